"""The lab: moto's server on loopback, the Lambda runtime on top, one virtual clock.

``start()`` runs moto's ``ThreadedMotoServer`` on 127.0.0.1 inside this process, points
every boto3 client at it through ``AWS_ENDPOINT_URL`` with fake credentials (so nothing
reaches real AWS), and plugs each wing into moto's seams (``seam_rows``).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import boto3
import moto
from botocore.loaders import Loader
from moto.core.config import default_user_config
from moto.moto_server.threaded_moto_server import ThreadedMotoServer

from serverless_lab import seams
from serverless_lab.apigateway.gateway import Gateway
from serverless_lab.apigateway.throttling import Throttles
from serverless_lab.awslambda import event_invoke_config
from serverless_lab.awslambda.async_invoke import AsyncInvoker
from serverless_lab.awslambda.event_source_mapping import Pollers
from serverless_lab.awslambda.runtime import Runtime, RuntimeSettings
from serverless_lab.awslambda.versions import Routing
from serverless_lab.clock import VirtualClock, check_step
from serverless_lab.stepfunctions.executions import VirtualWaits, in_flight
from serverless_lab.stepfunctions.workflows import Workflows
from serverless_lab.targets import tagging
from serverless_lab.targets.control import ControlledApp
from serverless_lab.targets.endpoint_access import AccessPolicy
from serverless_lab.targets.selection import RunNames

MOTO_VERSION = "5.2.5"
SETTLE_LIMIT_SECONDS = 120.0  # real seconds settle() waits for running executions
FAKE_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    # Some operations (StartSyncExecution) prefix the host ("sync-"); on loopback they must not.
    "AWS_DISABLE_HOST_PREFIX_INJECTION": "true",
}
REMOVED_VARIABLES = ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
                     "AWS_SECURITY_TOKEN")


@dataclass
class Settings:
    """How a lab runs; the defaults are what every chapter uses."""

    host: str = "127.0.0.1"
    port: int = 0
    region: str = "us-east-1"
    environment_idle_seconds: float = 600.0
    freeze_clock: bool = False
    # AWS managed policies (AWSLambdaBasicExecutionRole ...) exist in IAM, as on AWS;
    # loading them costs about 0.8 s at each reset, so the unit tests turn them off.
    aws_managed_policies: bool = True
    # Weighted aliases draw from this seed, so traffic splits repeat run after run.
    seed: int = 20241127
    # The share of asynchronous Express executions delivered twice (at-least-once), seeded.
    express_duplicate_rate: float = 0.0
    # Browser origins allowed to call the endpoint (a page of your own on localhost:3000,
    # say); none by default. SERVERLESS_LAB_CORS_ORIGINS adds more (endpoint_access.py).
    cors_origins: tuple[str, ...] = ()


class Lab(RunNames):
    """A running emulator. Use ``serverless_lab.start()`` rather than this class."""

    target = "local"

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.run_id = tagging.seeded_run_id(self.settings.seed)
        self.clock = VirtualClock(frozen=self.settings.freeze_clock)
        self._server: ThreadedMotoServer | None = None
        self.access = AccessPolicy()
        self._environment = EnvironmentPatch()
        self._root = _workspace()
        self.runtime = Runtime(self.clock, self._root, RuntimeSettings(
            idle_seconds=self.settings.environment_idle_seconds,
            region=self.settings.region))
        from serverless_lab.awslambda.invoke import attempt

        self.async_invoker = AsyncInvoker(self.clock, attempt)
        self.pollers = Pollers(self.clock)
        self.waits = VirtualWaits(self.clock)
        self.workflows = Workflows(self.clock, self.settings)
        self.throttles = Throttles(self.clock)
        self.gateway = Gateway(self, middleware=lambda app: ControlledApp(self, app))
        self.routing = Routing(self.settings.seed)

    @property
    def endpoint_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the lab is not running: call serverless_lab.start()")
        host, port = self._server.get_host_and_port()
        return f"http://{host}:{port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> Lab:
        """Start the emulator; a second call is harmless."""
        if self._server is not None:
            return self
        _check_moto_version()
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        # moto's ASL interpreter logs every task failure it handles (Retry/Catch) as an error.
        logging.getLogger("moto.stepfunctions").setLevel(logging.CRITICAL)
        self._server = ThreadedMotoServer(self.settings.host, self.settings.port,
                                          verbose=False)
        self.access = AccessPolicy.for_lab(self.settings.cors_origins, self.settings.host)
        self._server.start()
        _serve_control(self._server, self)
        self.runtime.settings.endpoint_url = self.endpoint_url
        self._export_environment()
        _configure_moto(self.settings)
        seams.install(self, seam_rows())
        self.gateway.start()
        self.runtime.check_sandbox()
        return self

    def stop(self) -> None:
        """Stop the emulator, kill every execution environment, restore the environment."""
        if self._server is None:
            return
        self.async_invoker.drain()
        seams.uninstall()
        self.gateway.stop()
        self.runtime.shutdown()
        self._server.stop()
        self._server = None
        self._restore_environment()
        shutil.rmtree(self._root, ignore_errors=True)

    def advance(self, seconds: float = 0, minutes: float = 0, hours: float = 0,
                days: float = 0) -> None:
        """Move virtual time forward; everything that falls due runs, in order."""
        step = seconds + 60 * minutes + 3600 * hours + 86400 * days
        check_step(step)
        self.settle()
        self.clock.advance(step, after_each=self.settle)
        self.settle()

    def settle(self) -> None:
        """Run what is due now; return when nothing is in flight."""
        while True:
            self.async_invoker.drain()
            self._executions_settle()
            busy = self.pollers.poll_all() + self.clock.run_due() + \
                self.workflows.flush_logs() + self.workflows.redeliver()
            if busy == 0 and self.async_invoker.in_flight() == 0 and \
                    in_flight(self.waits, self.workflows) == 0:
                return

    def _executions_settle(self) -> None:
        """Wait (in real time: they are doing real work) until every Step Functions
        execution is finished or blocked on the virtual clock."""
        idle, deadline = threading.Event(), time.monotonic() + SETTLE_LIMIT_SECONDS
        while in_flight(self.waits, self.workflows) > 0 and time.monotonic() < deadline:
            idle.wait(0.0005)

    @property
    def account_id(self) -> str:
        return "123456789012"

    @property
    def region(self) -> str:
        return self.settings.region

    def api_url(self, rest_api_id: str, stage: str) -> str:
        """The base URL of a deployed API Gateway stage, served on loopback."""
        return self.gateway.url(rest_api_id, stage)

    def run_until(self, done: Callable[[], bool]) -> None:
        """Let virtual time pass, timer by timer, until ``done()`` (a synchronous Express
        execution that waits makes its caller wait: the clock moves with it)."""
        self.settle()
        while not done():
            due = self.clock.next_due()
            if due is None:
                return
            self.clock.advance(max(0.0, due - self.clock.now()), after_each=self.settle)
            self.settle()

    def reset(self) -> None:
        """Empty every service and put the clock back to its start."""
        from moto.moto_api._internal.models import moto_api_backend

        self.async_invoker.reset()
        self.pollers.reset()
        self.waits.reset()
        self.workflows.reset()
        self.throttles.reset()
        event_invoke_config.clear()
        self.runtime.shutdown()
        self.clock.clear()
        self.routing.reset()
        moto_api_backend.reset()
        _configure_moto(self.settings)

    def __enter__(self) -> Lab:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def _export_environment(self) -> None:
        values: dict[str, str | None] = dict(FAKE_ENVIRONMENT)
        values.update({"AWS_ENDPOINT_URL": self.endpoint_url,
                       "MOTO_PORT": self.endpoint_url.rsplit(":", 1)[1],
                       "AWS_DEFAULT_REGION": self.settings.region,
                       "AWS_REGION": self.settings.region})
        values.update({name: None for name in REMOVED_VARIABLES})
        self._environment.apply(values)
        fresh_default_session()
        tagging.install(boto3.DEFAULT_SESSION, self.run_id)

    def _restore_environment(self) -> None:
        self._environment.restore()
        fresh_default_session()


class EnvironmentPatch:
    """Environment variables set for a lab, and put back as they were when it stops."""

    def __init__(self) -> None:
        self._saved: dict[str, str | None] = {}

    def apply(self, values: dict[str, str | None]) -> None:
        """Set (or, for None, remove) each variable, remembering its first value."""
        for name, value in values.items():
            self._saved.setdefault(name, os.environ.get(name))
            _set_env(name, value)

    def restore(self) -> None:
        for name, value in self._saved.items():
            _set_env(name, value)
        self._saved.clear()


def fresh_default_session() -> None:
    """A new default boto3 session (it reads the environment just set), sharing one
    botocore data loader with the sessions before it: service models are the same files, and
    parsing them again costs each lab start a few hundred milliseconds."""
    global _LOADER
    boto3.setup_default_session()
    assert boto3.DEFAULT_SESSION is not None
    botocore_session = boto3.DEFAULT_SESSION._session
    if _LOADER is None:
        _LOADER = botocore_session.get_component("data_loader")
    botocore_session.register_component("data_loader", _LOADER)


_LOADER: Loader | None = None


def seam_rows() -> list[seams.Row]:
    """Every wing's seams into moto, composed: Lambda, Step Functions, API Gateway,
    EventBridge, the answer for operations no wing emulates, and the dispatcher's look-ups
    made once."""
    from serverless_lab import dispatch, unknown_operations
    from serverless_lab.apigateway import seams as apigateway_seams
    from serverless_lab.awslambda import seams as awslambda_seams
    from serverless_lab.events import seams as events_seams
    from serverless_lab.stepfunctions import seams as stepfunctions_seams

    return (awslambda_seams.rows() + stepfunctions_seams.rows() + apigateway_seams.rows()
            + events_seams.rows() + unknown_operations.rows() + dispatch.rows())


def _serve_control(server: ThreadedMotoServer, lab: Lab) -> None:
    """Answer ``/_lab/...`` (control.py) on the emulator's endpoint, before moto's routes:
    werkzeug's server reads its ``app`` for each request."""
    wsgi_server = server._server
    assert wsgi_server is not None
    wsgi_server.app = ControlledApp(lab, wsgi_server.app, endpoint=True)


def _workspace() -> Path:
    """A private directory for code, layers and environments, outside ``/tmp`` (which each
    execution environment replaces with its own)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    parent = cache / "serverless-lab"
    parent.mkdir(parents=True, exist_ok=True)
    for stale in parent.glob("lab-*-*"):
        if not _process_alive(stale.name.split("-")[1]):
            shutil.rmtree(stale, ignore_errors=True)  # left behind by a crashed kernel
    return Path(tempfile.mkdtemp(prefix=f"lab-{os.getpid()}-", dir=parent))


def _process_alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def _set_env(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def _check_moto_version() -> None:
    if moto.__version__ != MOTO_VERSION:
        raise RuntimeError(
            f"serverless_lab plugs into moto {MOTO_VERSION} internals but moto "
            f"{moto.__version__} is installed; run `pip install moto[all,server]=={MOTO_VERSION}`"
        )


def _configure_moto(settings: Settings) -> None:
    # Keep moto's full LambdaBackend (not LambdaSimpleBackend, whose invoke answers a canned
    # string): our seams replace the Docker path, so Docker itself is never used.
    default_user_config["lambda"] = {"use_docker": True}
    default_user_config["stepfunctions"] = {"execute_state_machine": True}
    default_user_config["iam"] = {"load_aws_managed_policies": settings.aws_managed_policies}
