"""The public API: start/stop, context manager, reset, settle, advance, endpoint_url."""

from __future__ import annotations

import json
import os
import threading
import time

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import serverless_lab
from serverless_lab import lab as lab_module
from serverless_lab.deployment_package import zip_code
from tests.conftest import FAST, TRUST, gone, host_processes, invoke, log_messages


def test_public_api_is_tiny() -> None:
    assert serverless_lab.__all__ == ["CostsNotAcknowledged", "Lab", "Settings", "start", "stop"]


def test_start_is_idempotent_and_exports_a_loopback_endpoint(lab) -> None:
    assert serverless_lab.start() is lab
    assert lab.endpoint_url.startswith("http://127.0.0.1:")
    assert os.environ["AWS_ENDPOINT_URL"] == lab.endpoint_url
    assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"
    assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
    assert boto3.client("sts").get_caller_identity()["Account"] == "123456789012"


def test_context_manager_starts_and_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    serverless_lab.stop()
    monkeypatch.setenv("AWS_ENDPOINT_URL", "https://example.invalid")
    with serverless_lab.Lab() as lab:
        assert lab.running and os.environ["AWS_ENDPOINT_URL"] == lab.endpoint_url
        boto3.client("s3").create_bucket(Bucket="inside")
    assert not lab.running
    assert os.environ["AWS_ENDPOINT_URL"] == "https://example.invalid"
    lab.stop()  # a second stop is harmless


def test_reset_empties_services_and_environments(lab, make_function) -> None:
    make_function("f", "def handler(e, c):\n    return 1\n")
    invoke("f")
    boto3.client("s3").create_bucket(Bucket="gone-after-reset")
    lab.reset()
    assert boto3.client("s3").list_buckets()["Buckets"] == []
    assert lab.runtime.environments("f") == []
    with pytest.raises(ClientError):
        boto3.client("lambda").get_function(FunctionName="f")


def test_settle_waits_for_accepted_events(lab, make_function) -> None:
    make_function("bg", "import time\ndef handler(e, c):\n    time.sleep(0.2)\n    print('done', e['i'])\n")
    for i in range(3):
        invoke("bg", {"i": i}, InvocationType="Event")
    lab.settle()
    assert sorted(m for m in log_messages("bg") if m.startswith("done")) == \
        ["done 0", "done 1", "done 2"]


def test_advance_moves_the_virtual_clock(lab) -> None:
    before = lab.clock.now()
    lab.advance(minutes=3, seconds=30)
    assert lab.clock.now() - before >= 210


def test_step_functions_execution_is_enabled(lab) -> None:
    from moto.core.config import default_user_config

    assert default_user_config["stepfunctions"]["execute_state_machine"] is True


def test_moto_version_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lab_module.moto, "__version__", "4.0.0")
    with pytest.raises(RuntimeError, match="moto 5.2.5"):
        lab_module._check_moto_version()


def test_endpoint_url_before_start_is_a_clear_error() -> None:
    with pytest.raises(RuntimeError, match="not running"):
        serverless_lab.Lab().endpoint_url


SLOW = ("import ctypes, time\ndef handler(e, c):\n"
        "    ctypes.CDLL(None).prctl(15, b'slb-race', 0, 0, 0)\n    time.sleep(30)\n")


def _race(lab: serverless_lab.Lab, interrupt: str) -> tuple[float, dict]:
    """Invoke a slow function in another thread, then stop or reset the lab under it."""
    lab.reset()
    role = boto3.client("iam").create_role(RoleName="race", AssumeRolePolicyDocument=TRUST)
    client = boto3.client("lambda", config=Config(retries={"total_max_attempts": 1},
                                                 read_timeout=60))
    client.create_function(FunctionName="slow", Runtime="python3.12", Handler="app.handler",
                           Role=role["Role"]["Arn"], Timeout=60,
                           Code={"ZipFile": zip_code({"app.py": SLOW})})
    result: dict = {}

    def call() -> None:
        try:
            result["payload"] = json.loads(client.invoke(FunctionName="slow")["Payload"].read())
        except Exception as exc:  # noqa: BLE001 - the server may be gone: any answer will do
            result["error"] = type(exc).__name__

    thread = threading.Thread(target=call)
    thread.start()
    deadline = time.monotonic() + 20
    while not host_processes("slb-race") and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    getattr(lab, interrupt)()
    took = time.monotonic() - started
    thread.join(30)
    assert not thread.is_alive(), "the invocation never answered"
    assert gone("slb-race")
    return took, result


@pytest.mark.parametrize("interrupt", ["stop", "reset"])
def test_stop_and_reset_during_an_invocation_are_clean(interrupt: str) -> None:
    """20 times each: no error from stop/reset, prompt, the invocation ends, nothing left."""
    for _ in range(20):
        lab = serverless_lab.start(FAST)
        took, result = _race(lab, interrupt)
        assert took < 5, took
        if interrupt == "stop":
            assert not lab.running and "AWS_ENDPOINT_URL" not in os.environ
        else:
            assert result["payload"]["errorType"] == "Runtime.ExitError"
    serverless_lab.start(FAST)


def test_a_restarted_lab_reuses_parsed_service_models() -> None:
    """Each start makes a new default session (it reads the new environment) but shares
    botocore's data loader, so no service model is parsed twice in one process."""
    serverless_lab.start(FAST)
    boto3.client("lambda").list_functions()
    loader = boto3.DEFAULT_SESSION._session.get_component("data_loader")
    serverless_lab.stop()
    second = serverless_lab.start(FAST)
    assert boto3.DEFAULT_SESSION._session.get_component("data_loader") is loader
    assert boto3.client("lambda").meta.endpoint_url == second.endpoint_url
