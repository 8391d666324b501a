"""Nothing gets out: a handler that tries each way out of its execution environment, and the
processes it starts, which end with the environment (sandbox.py, sandbox_init.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT, gone, host_processes, invoke

NAME = """
import ctypes
def name(text):
    ctypes.CDLL(None).prctl(15, text.encode(), 0, 0, 0)  # PR_SET_NAME: seen in the host's /proc
"""

ESCAPES = """
import ctypes, os
def attempt(action, *args):
    try:
        action(*args)
        return 'done'
    except Exception as exc:
        return type(exc).__name__
def read(path):
    with open(path, 'rb') as handle:
        return handle.read(1)
def write(path):
    with open(os.path.join(path, 'slb-escape-probe'), 'w') as handle:
        handle.write('x')
def environ_secrets(secret):
    found = []
    for pid in os.listdir('/proc'):
        if pid.isdigit():
            try:
                found.append(secret.encode() in open(f'/proc/{pid}/environ', 'rb').read())
            except OSError:
                pass
    return any(found)
def handler(e, c):
    mount = ctypes.CDLL(None, use_errno=True).mount(b'none', b'/', None, 32, None)
    status = open('/proc/self/status').read().split('\\n')
    return {
        'uid': os.getuid(),
        'cap_eff': next(l.split()[1] for l in status if l.startswith('CapEff')),
        'pids': sorted(p for p in os.listdir('/proc') if p.isdigit()),
        'secret_in_environ': environ_secrets(e['secret']),
        'reads': {p: attempt(read, p) for p in e['read']},
        'writes': {p: attempt(write, p) for p in e['write']},
        'remount': mount,
        'tmp': attempt(write, '/tmp'),
    }
"""


def test_a_handler_cannot_reach_outside_its_environment(namespaces, make_function, tmp_path,
                                                        monkeypatch) -> None:
    secret = "slb-secret-7f3a9c"
    monkeypatch.setenv("SLB_USER_SECRET", secret)  # in the lab's own process environment
    aws = tmp_path / "home" / ".aws"
    aws.mkdir(parents=True)
    (aws / "credentials").write_text(f"aws_secret_access_key = {secret}\n")
    home = str(Path.home())
    reads = [str(aws / "credentials"), f"{home}/.bashrc", str(ROOT / "pyproject.toml"),
             f"/proc/1/root{aws}/credentials", "/proc/1/environ", "/etc/shadow"]
    writes = [home, str(ROOT), str(tmp_path), "/var/tmp", "/etc", "/usr", "/", "/opt",
              "/var/task", "/proc/1/root/tmp"]
    make_function("escape", ESCAPES, Timeout=30)
    result = invoke("escape", {"secret": secret, "read": reads, "write": writes})[1]
    assert result["uid"] == 993 and result["cap_eff"] == "0000000000000000"
    assert result["pids"] == ["1", "2"]  # its own init and itself, nothing of the host
    assert result["secret_in_environ"] is False
    assert [p for p, outcome in result["reads"].items() if outcome == "done"] == []
    assert all(outcome != "done" for outcome in result["writes"].values()), result["writes"]
    assert result["remount"] != 0 and result["tmp"] == "done"
    assert not (tmp_path / "slb-escape-probe").exists() and not (ROOT / "slb-escape-probe").exists()


FORKS = NAME + """
import os, time
def handler(e, c):
    started, error = 0, None
    for _ in range(e['children']):
        try:
            pid = os.fork()
        except OSError as exc:
            error = type(exc).__name__
            break
        if pid == 0:
            name('slb-child')
            time.sleep(600)
            os._exit(0)
        started += 1
    if e.get('daemon'):
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                name('slb-daemon')
                time.sleep(600)
            os._exit(0)
    if e.get('hang'):
        time.sleep(600)
    return {'started': started, 'error': error}
"""


def test_children_and_setsid_daemons_end_with_a_timeout(namespaces, make_function) -> None:
    make_function("bomb", FORKS, Timeout=3, MemorySize=2048)
    response, payload = invoke("bomb", {"children": 200, "daemon": True, "hang": True})
    assert payload["errorType"] == "Sandbox.Timedout"
    assert gone("slb-child") and gone("slb-daemon")


def test_processes_left_running_end_with_a_reset(namespaces, make_function) -> None:
    make_function("leaves", FORKS, Timeout=10)
    assert invoke("leaves", {"children": 20, "daemon": True})[1] == {"started": 20,
                                                                    "error": None}
    time.sleep(0.2)
    assert len(host_processes("slb-child")) == 20 and len(host_processes("slb-daemon")) == 1
    namespaces.reset()
    assert gone("slb-child") and gone("slb-daemon")


def test_an_environment_may_run_1024_processes_and_threads(namespaces, make_function) -> None:
    make_function("fork-bomb", FORKS, Timeout=60, MemorySize=10240)
    result = invoke("fork-bomb", {"children": 2000})[1]
    assert result["error"] == "BlockingIOError"  # EAGAIN: "Resource temporarily unavailable"
    assert 1000 <= result["started"] < 1024  # the launcher, init and worker count too
    namespaces.reset()
    assert gone("slb-child", 20)


def test_memory_of_a_forked_child_counts(namespaces, make_function) -> None:
    source = ("import os, time\ndef handler(e, c):\n    if os.fork() == 0:\n"
              "        block = bytearray(1024 * 1024 * 1024)\n        time.sleep(30)\n"
              "        os._exit(0)\n    time.sleep(20)\n    return 'not reached'\n")
    make_function("forked-hog", source, MemorySize=128, Timeout=25)
    started = time.monotonic()
    payload = invoke("forked-hog")[1]
    assert payload["errorType"] == "Runtime.OutOfMemory"
    assert time.monotonic() - started < 10


KILLED_KERNEL = NAME + """
import time
def handler(e, c):
    name('slb-orphan')
    time.sleep(30)
    return 'finished'
"""

KERNEL = """
import os, signal, sys, threading, time, boto3, serverless_lab
from serverless_lab.deployment_package import zip_code
lab = serverless_lab.start(serverless_lab.Settings(aws_managed_policies=False))
role = boto3.client("iam").create_role(RoleName="r", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
boto3.client("lambda").create_function(
    FunctionName="f", Runtime="python3.12", Role=role, Handler="app.handler", Timeout=60,
    Code={"ZipFile": zip_code({"app.py": sys.argv[1]})})
threading.Thread(target=lambda: boto3.client("lambda").invoke(FunctionName="f"),
                 daemon=True).start()
time.sleep(3)
print("invoked", flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_killed_kernel_leaves_no_handler_running(namespaces) -> None:
    done = subprocess.run([sys.executable, "-c", KERNEL, KILLED_KERNEL], capture_output=True,
                          text=True, timeout=120)
    assert "invoked" in done.stdout, done.stderr
    assert gone("slb-orphan", 3)


def test_the_holder_reports_its_namespace(namespaces) -> None:
    holders = [e._holder.info for e in namespaces.runtime.environments("probe")]
    assert holders and all(json.dumps(h) and h["mode"] == "namespace" for h in holders)
