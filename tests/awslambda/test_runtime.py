"""Execution environments: cold and warm starts, isolation, what the handler sees."""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import pytest

import serverless_lab
from tests.conftest import invoke, log_messages

COUNTER = "n = 0\ndef handler(e, c):\n    global n\n    n += 1\n    return n\n"
ENVIRON = "import os\ndef handler(e, c):\n    return dict(os.environ)\n"


def reports(name: str) -> list[str]:
    return [m for m in log_messages(name) if m.startswith("REPORT")]


def test_cold_then_warm_keeps_module_globals(make_function) -> None:
    make_function("counter", COUNTER)
    assert [invoke("counter")[1] for _ in range(3)] == [1, 2, 3]
    assert ["Init Duration" in line for line in reports("counter")] == [True, False, False]


def test_config_update_starts_a_new_environment(make_function) -> None:
    make_function("counter", COUNTER)
    invoke("counter")
    boto3.client("lambda").update_function_configuration(FunctionName="counter", Timeout=5)
    assert invoke("counter")[1] == 1


def test_concurrent_invocations_get_separate_environments_and_tmp(lab, make_function) -> None:
    make_function("tmpuser", "import os, time\ndef handler(e, c):\n"
                  "    open('/tmp/mine', 'a').write(e['who'])\n    time.sleep(0.5)\n"
                  "    return open('/tmp/mine').read()\n")
    with ThreadPoolExecutor(2) as pool:
        results = sorted(pool.map(lambda who: invoke("tmpuser", {"who": who})[1], "ab"))
    assert results == ["a", "b"]
    assert len(lab.runtime.environments("tmpuser")) == 2


def test_tmp_is_the_environments_own_not_the_hosts(lab, make_function) -> None:
    make_function("tmpcheck", "import os\ndef handler(e, c):\n"
                  "    open('/tmp/from-handler', 'w').write('x')\n    return sorted(os.listdir('/tmp'))\n")
    listing = invoke("tmpcheck")[1]
    if lab.runtime.tmp_modes != {"namespace"}:
        pytest.skip("mount namespaces unavailable here: TMPDIR fallback")
    assert "from-handler" in listing
    assert not Path("/tmp/from-handler").exists()


def test_environment_has_function_and_lambda_variables(make_function) -> None:
    make_function("env", ENVIRON, Environment={"Variables": {"GREETING": "hi"}}, MemorySize=256)
    env = invoke("env")[1]
    assert env["GREETING"] == "hi"
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == "env"
    assert env["AWS_LAMBDA_FUNCTION_VERSION"] == "$LATEST"
    assert env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "256"
    assert env["AWS_REGION"] == "us-east-1" and env["_HANDLER"] == "app.handler"
    assert env["AWS_LAMBDA_LOG_GROUP_NAME"] == "/aws/lambda/env"
    assert env["AWS_ACCESS_KEY_ID"].startswith("ASIA") and env["AWS_SESSION_TOKEN"]


def test_user_environment_and_credentials_never_reach_the_function(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serverless_lab.stop()
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    (home / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAREALLOOKING00001\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALLOOKING00001")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYREALKEY")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "real-session-token")
    monkeypatch.setenv("MY_APP_SECRET", "hunter2")
    lab = serverless_lab.start()
    try:
        iam = boto3.client("iam")
        role = iam.create_role(RoleName="r", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        from serverless_lab.deployment_package import zip_code
        source = ("import os\ndef handler(e, c):\n    p = os.path.expanduser(e['home']) + "
                  "'/.aws/credentials'\n    return {'env': dict(os.environ), "
                  "'file': os.path.exists(p) and open(p).read()}\n")
        boto3.client("lambda").create_function(
            FunctionName="spy", Runtime="python3.12", Role=role, Handler="app.handler",
            Code={"ZipFile": zip_code({"app.py": source})})
        seen = invoke("spy", {"home": str(home)})[1]
        dump = json.dumps(seen["env"])
        for secret in ("AKIAREALLOOKING00001", "REALKEY", "real-session-token", "hunter2"):
            assert secret not in dump
        if lab.runtime.tmp_modes == {"namespace"}:
            assert not seen["file"]
    finally:
        serverless_lab.stop()
    assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAREALLOOKING00001"  # restored on stop


def test_idle_environments_are_reaped_on_the_virtual_clock(lab, make_function) -> None:
    make_function("counter", COUNTER)
    invoke("counter")
    assert len(lab.runtime.environments("counter")) == 1
    lab.advance(minutes=5)
    assert len(lab.runtime.environments("counter")) == 1
    lab.advance(minutes=6)
    assert lab.runtime.environments("counter") == []
    assert invoke("counter")[1] == 1
