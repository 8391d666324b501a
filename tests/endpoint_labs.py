"""Run pytest (the labs through nbval) against a `serverless-lab serve` in another process.

    python tests/endpoint_labs.py labs --nbval ...          (one process, one served emulator)
    python tests/endpoint_labs.py labs --nbval ... -n 2 --dist loadscope   (`make labs-endpoint`)

The labs then run with SERVERLESS_LAB_TARGET=endpoint: every boto3 call, every clock move
(`lab.advance`, `lab.settle`) and every knob goes over HTTP to the served emulator. Their
outputs must still match the stored ones, which proves that no lab depends on state inside
the notebook's own process.

This file is also the pytest plugin (``-p tests.endpoint_labs``) that serves the emulator:
each process that runs labs (the only one, or each pytest-xdist worker) starts its own
``serverless-lab serve`` and points its kernels at it (AWS_ENDPOINT_URL), so two labs never
share an emulator. Under xdist the labs are handed out whole (``--dist loadscope``: a
notebook's cells run in order in one kernel).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from serverless_lab.targets.server import spawn, terminate

ROOT = Path(__file__).resolve().parents[1]
_SERVED: list[tuple[subprocess.Popen[bytes], str]] = []


def main(argv: list[str]) -> int:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    env = dict(os.environ, SERVERLESS_LAB_TARGET="endpoint", PYTHONPATH=path)
    command = [sys.executable, "-m", "pytest", "-p", "tests.endpoint_labs", *argv]
    return subprocess.call(command, env=env)


def _runs_labs(config: pytest.Config) -> bool:
    """False for the xdist controller (its workers run the labs), True otherwise."""
    if hasattr(config, "workerinput"):
        return True
    return not (config.pluginmanager.hasplugin("xdist") and config.getoption("numprocesses"))


def pytest_configure(config: pytest.Config) -> None:
    if not _runs_labs(config):
        return
    scratch = tempfile.mkdtemp(prefix="slb-serve-")
    process, address = spawn(Path(scratch) / "serve.log")
    _SERVED.append((process, scratch))
    os.environ["AWS_ENDPOINT_URL"] = address["endpoint"]
    worker: Any = getattr(config, "workerinput", {}).get("workerid", "main")
    sys.stderr.write(f"[{worker}] serverless-lab serve at {address['endpoint']}\n")


def pytest_unconfigure(config: pytest.Config) -> None:
    while _SERVED:
        process, scratch = _SERVED.pop()
        terminate(process)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
