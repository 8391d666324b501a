"""Failures inside an environment: timeouts, exits, memory; the kernel never dies."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import invoke, log_messages

COUNTER = "n = 0\ndef handler(e, c):\n    global n\n    n += 1\n    return n\n"


def test_timeout_kills_the_environment_with_aws_message(make_function) -> None:
    make_function("slow", "import time\ndef handler(e, c):\n    time.sleep(e.get('s', 0))\n"
                  "    return 'ok'\n", Timeout=1)
    response, payload = invoke("slow", {"s": 3})
    assert response["FunctionError"] == "Unhandled"
    assert list(payload) == ["errorType", "errorMessage"]
    assert payload["errorType"] == "Sandbox.Timedout"
    request_id = response["ResponseMetadata"]["RequestId"]
    assert payload["errorMessage"] == \
        f"RequestId: {request_id} Error: Task timed out after 1.00 seconds"
    assert f"{request_id} Task timed out after 1.00 seconds" in log_messages("slow")
    assert invoke("slow", {"s": 0})[1] == "ok"
    report = [m for m in log_messages("slow") if m.startswith("REPORT")][-1]
    assert "Init Duration" in report  # the environment was reset: a cold start


def test_tmp_survives_a_timeout_reset(make_function) -> None:
    make_function("keeper", "import os, time\ndef handler(e, c):\n"
                  "    if e.get('write'):\n        open('/tmp/kept', 'w').write('yes')\n"
                  "        time.sleep(3)\n    return os.path.exists('/tmp/kept')\n", Timeout=1)
    invoke("keeper", {"write": True})
    assert invoke("keeper", {})[1] is True


def test_handler_calling_sys_exit_is_runtime_exit_error(make_function) -> None:
    make_function("quits", "import sys\ndef handler(e, c):\n    sys.exit(0)\n")
    response, payload = invoke("quits")
    request_id = response["ResponseMetadata"]["RequestId"]
    assert payload == {"errorType": "Runtime.ExitError",
                       "errorMessage": f"RequestId: {request_id} Error: Runtime exited "
                                       "without providing a reason"}


def test_exit_status_and_signal_are_reported(make_function) -> None:
    make_function("dies", "import os, signal\ndef handler(e, c):\n"
                  "    if e.get('kill'):\n        os.kill(os.getpid(), signal.SIGKILL)\n"
                  "    os._exit(3)\n")
    assert invoke("dies")[1]["errorMessage"].endswith("Runtime exited with error: exit status 3")
    assert invoke("dies", {"kill": True})[1]["errorMessage"].endswith(
        "Runtime exited with error: signal: killed")


def test_module_level_exit_during_init(make_function) -> None:
    make_function("initquits", "import sys\nsys.exit(0)\n")
    assert invoke("initquits")[1]["errorType"] == "Runtime.ExitError"


def test_memory_over_memory_size_is_out_of_memory(make_function) -> None:
    make_function("hog", "def handler(e, c):\n    block = bytearray(400 * 1024 * 1024)\n"
                  "    return len(block)\n", MemorySize=128)
    response, payload = invoke("hog")
    assert response["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "Runtime.OutOfMemory"


def test_after_a_crash_the_next_invoke_is_a_cold_start(make_function) -> None:
    make_function("flaky", COUNTER.replace("    n += 1\n", "    n += 1\n"
                  "    if e.get('crash'):\n        import os; os._exit(1)\n"))
    assert [invoke("flaky")[1] for _ in range(2)] == [1, 2]
    invoke("flaky", {"crash": True})
    assert invoke("flaky")[1] == 1


def test_unhandled_error_is_logged_as_one_error_entry(make_function) -> None:
    make_function("raises", "def handler(e, c):\n    raise ValueError('no name given')\n")
    invoke("raises")
    entry = next(m for m in log_messages("raises") if m.startswith("[ERROR]"))
    assert entry.split("\r") == [
        "[ERROR] ValueError: no name given", "Traceback (most recent call last):",
        '  File "/var/task/app.py", line 2, in handler',
        "    raise ValueError('no name given')"]


KILLED_KERNEL = """
import os, signal, boto3, serverless_lab
from serverless_lab.deployment_package import zip_code
lab = serverless_lab.start(serverless_lab.Settings(aws_managed_policies=False))
role = boto3.client("iam").create_role(RoleName="r", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
boto3.client("lambda").create_function(
    FunctionName="f", Runtime="python3.12", Role=role, Handler="app.handler",
    Code={"ZipFile": zip_code({"app.py": "def handler(e, c):\\n    return 1\\n"})})
boto3.client("lambda").invoke(FunctionName="f")
worker = lab.runtime.environments("f")[0]._process
print(worker.pid, os.getsid(worker.pid) != os.getsid(0), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_workers_have_their_own_session_and_end_with_the_lab_process() -> None:
    """A kernel shutting down does not wait for them; a killed kernel leaves none behind."""
    import subprocess
    import sys
    import time

    done = subprocess.run([sys.executable, "-c", KILLED_KERNEL], capture_output=True,
                          text=True, timeout=120)
    pid, own_session = done.stdout.split()
    assert own_session == "True"
    for _ in range(100):
        if _ended(pid):
            break
        time.sleep(0.05)
    assert _ended(pid)


def _ended(pid: str) -> bool:
    """Gone, or a zombie (exited; reaped by whatever init this machine has)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
    except (FileNotFoundError, IndexError):
        return True
