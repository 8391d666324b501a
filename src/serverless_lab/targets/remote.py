"""A lab whose boto3 calls go to another endpoint or to AWS itself (targets.py).

Against a ``serverless-lab serve`` (it answers ``/_lab/status``), ``advance``, ``settle``,
``reset`` and the emulator's knobs are carried out by that process's virtual clock over HTTP
(control.py), so a lab gives the same outputs as in-process. Against anything else (AWS, or
another emulator), time is real: ``advance`` waits with a progress bar, ``settle`` polls the
run's resources until nothing observable changes, ``reset`` deletes the run's resources, and
the emulator's knobs say that they are skipped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import boto3
import requests

from serverless_lab.lab import (
    FAKE_ENVIRONMENT,
    REMOVED_VARIABLES,
    EnvironmentPatch,
    Settings,
    fresh_default_session,
)
from serverless_lab.observation import observe
from serverless_lab.targets import tagging
from serverless_lab.targets.selection import COST_NOTICE, RunNames, Target, TargetError

KNOB_NOTICES = {
    "express_duplicate_rate": "AWS delivers asynchronous Express executions at least once, "
                              "and duplicates rarely and unpredictably: no knob makes them",
    "freeze_clock": "time is real there: nothing can stop it",
}
# CreateFunction's answers while a new role, or a policy just attached to it, propagates.
ROLE_NOT_READY = ("cannot be assumed by Lambda",
                  "does not have permissions to call CreateNetworkInterface")


@dataclass
class Timing:
    """How a lab waits when time is real."""

    settle_interval: float = 2.0   # seconds between two looks at the run's resources
    quiet_looks: int = 3           # unchanged looks in a row that count as settled
    settle_limit: float = 300.0    # settle gives up after this many seconds
    role_retry_delay: float = 3.0  # CreateFunction retried while a new role propagates
    role_retry_attempts: int = 10


class RemoteSettings(Settings):
    """Settings whose emulator knobs go to the serving process, or print that they are
    skipped when there is no emulator to obey them."""

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        changed = self.__dict__.get("on_change")
        if changed is not None and name in KNOB_NOTICES:
            changed(name, value)


class ServedClock:
    """The virtual clock of a ``serverless-lab serve``, read (and frozen) over HTTP."""

    def __init__(self, control: Callable[..., dict[str, Any]]) -> None:
        self._control = control

    def now(self) -> float:
        return float(self._control("status")["now"])

    @contextmanager
    def frozen(self) -> Iterator[None]:
        self._control("freeze")
        try:
            yield
        finally:
            self._control("thaw")


class WallClock:
    """Real time (target ``aws``, or an emulator that is not ours): nothing can stop it, so
    ``frozen`` changes nothing there."""

    def __init__(self, time_source: Callable[[], float]) -> None:
        self.now = time_source

    @contextmanager
    def frozen(self) -> Iterator[None]:
        yield


class RemoteLab(RunNames):
    """The lab on target ``endpoint`` or ``aws``. Use ``serverless_lab.start()``."""

    def __init__(self, target: Target, settings: Settings | None = None, *,
                 served: bool | None = None, timing: Timing | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 time_source: Callable[[], float] = time.time) -> None:
        self.target_spec, self.timing = target, timing or Timing()
        self.target = target.kind
        self._sleep, self._time = sleep, time_source
        self._served = served
        self._environment = EnvironmentPatch()
        self._saved_session: boto3.session.Session | None = None
        self._running = False
        self.settings = RemoteSettings(**vars(settings or Settings()))
        self.run_id = (tagging.seeded_run_id(self.settings.seed) if target.emulated
                       else tagging.new_run_id())
        self.clock: Any = WallClock(time_source)
        self._account: str | None = None

    @property
    def running(self) -> bool:
        return self._running

    @property
    def served(self) -> bool:
        """Whether the endpoint is a ``serverless-lab serve`` whose clock the lab drives."""
        return bool(self._served)

    @property
    def endpoint_url(self) -> str | None:
        return self.target_spec.endpoint_url

    @property
    def region(self) -> str:
        return boto3.DEFAULT_SESSION.region_name if boto3.DEFAULT_SESSION else self.settings.region

    @property
    def account_id(self) -> str:
        if self._account is None:
            self._account = boto3.client("sts").get_caller_identity()["Account"]
        return self._account

    def start(self) -> RemoteLab:
        """Point boto3 at the target; a second call is harmless."""
        if self._running:
            return self
        self._export_environment()
        if boto3.DEFAULT_SESSION is None or not boto3.DEFAULT_SESSION.region_name:
            self.stop_environment()
            raise TargetError(f"target {self.target} needs a region: set AWS_REGION "
                              "or a region in your AWS profile")
        if self._served is None:
            self._served = self.target == "endpoint" and self._answers_control()
        if self.served:
            self.clock = ServedClock(self._control)
        else:
            self._unserved_notices()
        tagging.install(boto3.DEFAULT_SESSION, self.run_id)
        self._retry_while_roles_propagate()
        boto3.DEFAULT_SESSION.events.register(
            "before-parameter-build.s3.CreateBucket", bucket_region(self.region),
            unique_id="serverless-lab:bucket-region")
        object.__setattr__(self.settings, "on_change", self._knob_changed)
        self._running = True
        return self

    def stop(self) -> None:
        if not self._running:
            return
        object.__setattr__(self.settings, "on_change", None)
        self.stop_environment()
        self._running = False

    def stop_environment(self) -> None:
        """Put back the environment variables and the default boto3 session."""
        self._environment.restore()
        boto3.DEFAULT_SESSION = self._saved_session

    def __enter__(self) -> RemoteLab:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def advance(self, seconds: float = 0, minutes: float = 0, hours: float = 0,
                days: float = 0) -> None:
        """Let time pass: the served emulator's clock jumps; elsewhere, wait for real."""
        total = seconds + 60 * minutes + 3600 * hours + 86400 * days
        if self.served:
            self._control("advance", seconds=total)
            return
        self.settle()
        self._wait(total)
        self.settle()

    def settle(self) -> None:
        """The served emulator runs what is due; elsewhere, look at the run's resources
        (queue depths, running executions, latest log events) until they stop changing."""
        if self.served:
            self._control("settle")
            return
        deadline = self._time() + self.timing.settle_limit
        last, quiet = observe(self.prefix), 0
        while quiet < self.timing.quiet_looks and self._time() < deadline:
            self._sleep(self.timing.settle_interval)
            current = observe(self.prefix)
            quiet, last = (quiet + 1 if current == last else 0), current

    def reset(self) -> None:
        """A clean slate: the served emulator empties; elsewhere this run's resources go."""
        if self.served:
            self._control("reset")
        else:
            self.cleanup(quiet=True)

    def api_url(self, rest_api_id: str, stage: str) -> str:
        """The base URL of a deployed API Gateway stage on this target."""
        if self.served:  # the gateway's port, on the host this lab reaches the server by
            port = urlsplit(self._control("status")["gateway"]).port
            host = urlsplit(self.endpoint_url or "").netloc.rsplit(":", 1)[0]
            return f"http://{host}:{port}/{rest_api_id}/{stage}"
        if self.target == "aws":
            return f"https://{rest_api_id}.execute-api.{self.region}.amazonaws.com/{stage}"
        # Another emulator: LocalStack's path-based form (its other form is a host name,
        # <api>.execute-api.localhost.localstack.cloud), https://docs.localstack.cloud/aws/services/apigateway/
        return f"{self.endpoint_url}/_aws/execute-api/{rest_api_id}/{stage}"

    def _wait(self, seconds: float) -> None:
        from tqdm.auto import tqdm

        end = self._time() + seconds
        with tqdm(total=round(seconds), unit="s", desc=f"waiting (target {self.target})",
                  leave=False) as bar:
            while (left := end - self._time()) > 0:
                self._sleep(min(1.0, left))
                bar.n = round(seconds - max(0.0, end - self._time()))
                bar.refresh()

    def _control(self, action: str, **query: Any) -> dict[str, Any]:
        method = "GET" if action == "status" else "POST"
        reply = requests.request(method, f"{self.endpoint_url}/_lab/{action}", params=query,
                                 timeout=600)
        if reply.status_code == 400:  # a value the served lab refused: the same error here
            raise ValueError(reply.json().get("message", reply.text))
        reply.raise_for_status()
        answer: dict[str, Any] = reply.json()
        return answer

    def _answers_control(self) -> bool:
        try:
            return requests.get(f"{self.endpoint_url}/_lab/status", timeout=5).ok
        except requests.RequestException:
            return False

    def _knob_changed(self, name: str, value: Any) -> None:
        if self.served and name == "express_duplicate_rate":
            self._control("settings", **{name: value})
        else:
            print(f"skipped on target {self.target}: {name} is an emulator setting "
                  f"({KNOB_NOTICES[name]}).")

    def _unserved_notices(self) -> None:
        if self.target == "aws":
            print(COST_NOTICE)
            print(f"This run: {self.run_id} (names start with {self.prefix}).")
        for name in ("freeze_clock", "express_duplicate_rate"):
            if getattr(self.settings, name):
                self._knob_changed(name, getattr(self.settings, name))

    def _export_environment(self) -> None:
        """Fake credentials and the endpoint on ``endpoint``; on ``aws`` the user's own
        credentials, and no endpoint override."""
        values: dict[str, str | None] = {"AWS_ENDPOINT_URL": self.endpoint_url}
        if self.target == "endpoint":
            values.update(FAKE_ENVIRONMENT)
            values.update({name: None for name in REMOVED_VARIABLES})
        self._environment.apply(values)
        self._saved_session = boto3.DEFAULT_SESSION
        fresh_default_session()

    def _retry_while_roles_propagate(self) -> None:
        assert boto3.DEFAULT_SESSION is not None
        boto3.DEFAULT_SESSION.events.register(
            "needs-retry.lambda.CreateFunction", role_retry(self.timing),
            unique_id="serverless-lab:role-propagation")


def bucket_region(region: str) -> Callable[..., None]:
    """Outside us-east-1, CreateBucket needs CreateBucketConfiguration.LocationConstraint
    (the labs, written for us-east-1, leave it out): add the session's region.
    https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html"""

    def add_location(params: dict[str, Any], **_: Any) -> None:
        if region != "us-east-1":
            params.setdefault("CreateBucketConfiguration", {"LocationConstraint": region})

    return add_location


def role_retry(timing: Timing) -> Callable[..., float | None]:
    """IAM is eventually consistent: a new role may not be assumable by Lambda for some
    seconds, and CreateFunction answers InvalidParameterValueException "The role defined
    for the function cannot be assumed by Lambda." (or, for a function in a VPC whose role
    just got its network policy, "... does not have permissions to call
    CreateNetworkInterface on EC2"). A botocore ``needs-retry`` handler that
    retries that one error, a bounded number of times.
    https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency"""

    def role_not_ready(response: Any, attempts: int, **_: Any) -> float | None:
        parsed: dict[str, Any] = response[1] if response else {}
        message = parsed.get("Error", {}).get("Message", "")
        if any(text in message for text in ROLE_NOT_READY) and \
                attempts < timing.role_retry_attempts:
            return timing.role_retry_delay
        return None

    return role_not_ready
