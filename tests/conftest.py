"""Shared fixtures: one running lab per test session, emptied before each test that uses it."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
import pytest

import serverless_lab
from serverless_lab.deployment_package import zip_code

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
    "Action": "sts:AssumeRole"}]})


@pytest.fixture(scope="session", autouse=True)
def stop_lab_at_the_end() -> Iterator[None]:
    yield
    serverless_lab.stop()


FAST = serverless_lab.Settings(aws_managed_policies=False)


@pytest.fixture
def lab() -> serverless_lab.Lab:
    """The running lab (started if a test stopped it), emptied."""
    running = serverless_lab.start(FAST)
    running.reset()
    return running


@pytest.fixture
def aws(lab: serverless_lab.Lab) -> Callable[[str], Any]:
    return client


@pytest.fixture
def make_function(lab: serverless_lab.Lab) -> Callable[..., str]:
    """Create a python3.12 function from source text; return its name."""
    iam = boto3.client("iam")
    role = iam.create_role(RoleName="test-role", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]

    def create(name: str, source: str, handler: str = "app.handler", **config: Any) -> str:
        boto3.client("lambda").create_function(
            FunctionName=name, Runtime=config.pop("Runtime", "python3.12"), Role=role,
            Handler=handler, Code={"ZipFile": zip_code({"app.py": source})}, **config)
        return name

    return create


@pytest.fixture
def namespaces(lab: serverless_lab.Lab, make_function: Callable[..., str]) -> serverless_lab.Lab:
    """The lab, on a machine where execution environments get their sandbox (else skip)."""
    make_function("probe", "def handler(e, c):\n    return 1\n")
    invoke("probe")
    if lab.runtime.tmp_modes != {"namespace"}:
        pytest.skip("this machine allows no namespaces (the TMPDIR fallback is tested apart)")
    return lab


_CLIENTS: dict[tuple[str, Any], tuple[Any, Any]] = {}


def client(service: str, config: Any = None) -> Any:
    """A boto3 client of the default session, made once per service, config and session (a
    lab start makes a new default session): making a client costs ~20 ms, more than a warm
    invoke."""
    made = _CLIENTS.get((service, config))
    if made is None or made[0] is not boto3.DEFAULT_SESSION:
        made_now = boto3.client(service, config=config)  # makes the default session if none
        made = _CLIENTS[(service, config)] = (boto3.DEFAULT_SESSION, made_now)
    return made[1]


def invoke(name: str, event: Any = None, **kwargs: Any) -> tuple[dict[str, Any], Any]:
    """Invoke synchronously; return (response, decoded payload or None)."""
    if event is not None:
        kwargs["Payload"] = json.dumps(event)
    response = client("lambda").invoke(FunctionName=name, **kwargs)
    raw = response["Payload"].read()
    return response, json.loads(raw) if raw else None


def log_messages(name: str) -> list[str]:
    events = client("logs").filter_log_events(logGroupName=f"/aws/lambda/{name}")
    return [e["message"] for e in events["events"]]


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path]:
    """The book built once per test run from a copy-free checkout: (result, html dir).

    Under pytest-xdist (`make test`) the first worker that needs it builds it while the
    others wait on a lock; they all read the same build (the workers' temporary directories
    share one parent)."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    out, saved = shared / "book", shared / "book-build.json"
    with (shared / "book-build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not saved.exists():
            result = subprocess.run(
                [str(JUPYTER_BOOK), "build", str(ROOT), "--path-output", str(out), "-W", "-n",
                 "--keep-going"], capture_output=True, text=True, timeout=600)
            saved.write_text(json.dumps({"args": result.args, "returncode": result.returncode,
                                         "stdout": result.stdout, "stderr": result.stderr}))
        result = subprocess.CompletedProcess(**json.loads(saved.read_text()))
    return result, out / "_build" / "html"


def host_processes(name: str) -> list[int]:
    """Host pids whose name (comm) is ``name``."""
    found = []
    for pid in os.listdir("/proc"):
        try:
            if pid.isdigit() and Path(f"/proc/{pid}/comm").read_text().strip() == name:
                if Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z":
                    found.append(int(pid))
        except (OSError, IndexError):
            continue
    return found


def gone(name: str, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while host_processes(name) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not host_processes(name)


def assert_signature(signatures: dict, owner: object, name: str) -> None:
    """A seam's contract: moto's method still takes these parameters (None: a module
    attribute, or an operation moto lacks)."""
    import inspect

    from serverless_lab import seams

    if signatures[(owner, name)] is None:
        assert (name == "start_sync_execution") == (seams.original(owner, name) is None)
        return
    params = list(inspect.signature(seams.original(owner, name)).parameters)
    assert params == signatures[(owner, name)]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """``directory`` on http://127.0.0.1:<free port>, in a thread (the built book, for the
    browser tests)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


CHROMIUM = os.environ.get("SLB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright (no browser download), for the browser tests."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is missing: `make test` installs the test extra (pip install -e '.[test]')")
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs it "
                    "(Debian's chromium package), or set SLB_CHROMIUM to a Chromium binary")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
