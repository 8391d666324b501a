"""Run pytest (the labs through nbval) against a `serverless-lab serve` in another process.

    python tests/endpoint_labs.py labs --nbval ...     (what `make labs-endpoint` runs)

The labs then run with SERVERLESS_LAB_TARGET=endpoint: every boto3 call, every clock move
(`lab.advance`, `lab.settle`) and every knob goes over HTTP to the served emulator. Their
outputs must still match the stored ones, which proves that no lab depends on state inside
the notebook's own process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from serverless_lab.targets.server import spawn, terminate


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        log = Path(scratch) / "serve.log"
        process, address = spawn(log)
        print(f"serverless-lab serve at {address['endpoint']}", flush=True)
        env = dict(os.environ, SERVERLESS_LAB_TARGET="endpoint",
                   AWS_ENDPOINT_URL=address["endpoint"])
        try:
            return subprocess.call([sys.executable, "-m", "pytest", *argv], env=env)
        finally:
            terminate(process)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
