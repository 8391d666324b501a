"""Run pytest (the labs through nbval) against a `serverless-lab serve` in another process.

    python tests/endpoint_labs.py labs --nbval ...     (what `make labs-endpoint` runs)

The labs then run with SERVERLESS_LAB_TARGET=endpoint: every boto3 call, every clock move
(`lab.advance`, `lab.settle`) and every knob goes over HTTP to the served emulator. Their
outputs must still match the stored ones, which proves that no lab depends on state inside
the notebook's own process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SERVE = Path(sys.executable).with_name("serverless-lab")
STARTUP_SECONDS = 60


def serve(log: Path) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    """Start the emulator; answer the process and the addresses it printed."""
    with log.open("wb") as out:
        process = subprocess.Popen([str(SERVE), "serve", "--port", "0"], stdout=out,
                                   stderr=subprocess.STDOUT)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        first = log.read_text().split("\n", 1)
        if len(first) == 2:
            return process, json.loads(first[0])
        time.sleep(0.1)
    process.kill()
    raise SystemExit(f"serverless-lab serve did not start:\n{log.read_text()}")


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        log = Path(scratch) / "serve.log"
        process, address = serve(log)
        print(f"serverless-lab serve at {address['endpoint']}", flush=True)
        env = dict(os.environ, SERVERLESS_LAB_TARGET="endpoint",
                   AWS_ENDPOINT_URL=address["endpoint"])
        try:
            return subprocess.call([sys.executable, "-m", "pytest", *argv], env=env)
        finally:
            process.terminate()
            process.wait(timeout=60)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
