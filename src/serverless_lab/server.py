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
import sys
import threading
from collections.abc import Sequence

from . import cleanup
from .lab import Lab, Settings

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
    lab = Lab(Settings(host=args.host, port=args.port)).start()
    print(json.dumps({"endpoint": lab.endpoint_url, "gateway": lab.gateway.base}), flush=True)
    try:
        (stop or threading.Event()).wait()
    except KeyboardInterrupt:
        pass
    finally:
        lab.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
