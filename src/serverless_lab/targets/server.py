"""``serverless-lab serve``: the whole emulator as a standalone process.

Runs moto, the Lambda runtime, the asynchronous engine, Step Functions and the API Gateway
front in the foreground until Ctrl-C, and prints where to reach them. The lab's virtual
clock is controlled over HTTP on the endpoint (and the gateway's port), so ``advance`` and
``settle`` work from another process (control.py):

    POST /_lab/advance?seconds=180      POST /_lab/settle      POST /_lab/reset
    GET  /_lab/status                   POST /_lab/settings?express_duplicate_rate=0.2

``serverless-lab cleanup`` deletes the resources that lab runs created (cleanup.py).

There is no authentication: it listens on 127.0.0.1 unless ``--host`` names another address
together with ``--allow-remote``, and then it says so.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from serverless_lab.lab import Lab, Settings
from serverless_lab.targets import cleanup
from serverless_lab.targets.endpoint_access import HOSTS_VARIABLE

LOOPBACK_WARNING = ("WARNING: serverless-lab is listening on {host}, which is not a loopback "
                    "address. It has no authentication: anyone who can reach this address can "
                    "use it.")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="serverless-lab")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the emulator until Ctrl-C")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=4566)
    serve.add_argument("--allow-remote", action="store_true",
                       help="allow a non-loopback --host (there is no authentication)")
    serve.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                       help="a browser origin allowed to call the endpoint, e.g. "
                            "http://localhost:3000 (repeatable; none by default)")
    cleanup.add_parser(commands)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, stop: threading.Event | None = None) -> int:
    args = parse(argv)
    if args.command == "cleanup":
        return cleanup.run(args)
    return serve(args, stop)


def serve(args: argparse.Namespace, stop: threading.Event | None) -> int:
    """Run the emulator in the foreground until Ctrl-C (or ``stop``)."""
    if not is_loopback(args.host):
        if not args.allow_remote:
            print(f"refusing to listen on {args.host}: add --allow-remote", file=sys.stderr)
            return 2
        print(LOOPBACK_WARNING.format(host=args.host), file=sys.stderr)
    if args.allow_remote:
        os.environ.setdefault(HOSTS_VARIABLE, "*")  # any Host: the address is not loopback
    lab = Lab(Settings(host=args.host, port=args.port,
                       cors_origins=tuple(args.cors_origin))).start()
    print(json.dumps({"endpoint": lab.endpoint_url, "gateway": lab.gateway.base}), flush=True)
    try:
        (stop or threading.Event()).wait()
    except KeyboardInterrupt:
        pass
    finally:
        lab.stop()
    return 0


def spawn(log: Path, startup_seconds: float = 60.0) -> tuple[subprocess.Popen[bytes],
                                                             dict[str, str]]:
    """Start ``serverless-lab serve --port 0`` in another process (its output to ``log``);
    answer the process and the addresses it printed on its first line. For tools and tests
    that need a served emulator: ``tests/endpoint_labs.py``, ``benchmarks/targets.py``."""
    command = [str(Path(sys.executable).with_name("serverless-lab")), "serve", "--port", "0"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + startup_seconds
    while time.monotonic() < deadline and not _exited(process, 0.05):
        first = log.read_text().split("\n", 1)
        if len(first) == 2:
            return process, json.loads(first[0])
    terminate(process)
    raise RuntimeError(f"serverless-lab serve did not start:\n{log.read_text()}")


def terminate(process: subprocess.Popen[bytes]) -> None:
    """Stop a spawned server (Ctrl-C's path: the lab stops cleanly), killing it if stuck."""
    process.terminate()
    if not _exited(process, 60.0):
        process.kill()
        process.wait()


def _exited(process: subprocess.Popen[bytes], seconds: float) -> bool:
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
