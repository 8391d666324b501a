"""An environment's memory: all of its processes, against MemorySize (environment_memory.py)."""

from __future__ import annotations

import subprocess
import sys

from serverless_lab.awslambda.environment_memory import Memory

HOG = ("b = bytearray(200 * 1024 * 1024); print('allocated', flush=True); "
       "import time; time.sleep(30)")


def test_without_a_sandbox_the_worker_alone_is_measured() -> None:
    child = subprocess.Popen([sys.executable, "-c", HOG], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline() == "allocated\n"
        memory = Memory(limit_mb=128)
        assert memory.exceeded(child)
        assert memory.peak_mb() >= 200
        assert not Memory(limit_mb=1024).exceeded(child)
    finally:
        child.kill()
        child.wait()
