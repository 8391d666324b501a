"""Control of a running lab over HTTP, for notebooks and tools in another process.

Served on the emulator's endpoint (``AWS_ENDPOINT_URL``) and on the API Gateway front, under
``/_lab/``, in front of moto's own routes:

    GET  /_lab/status                     the clock, the endpoint and gateway addresses
    POST /_lab/advance?seconds=180        move virtual time; everything due runs, in order
    POST /_lab/settle                     run what is due now; answer when nothing is in flight
    POST /_lab/reset                      empty every service, clock back to its start
    POST /_lab/settings?express_duplicate_rate=0.2   change an emulator knob

AWS has nothing like it: this is how ``SERVERLESS_LAB_TARGET=endpoint`` drives the virtual
clock of a ``serverless-lab serve`` running in another terminal.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

PREFIX = "/_lab/"
KNOBS = {"express_duplicate_rate": float}  # emulator settings another process may change


class ControlError(ValueError):
    """An unknown control request or a bad value."""


def status(lab: Any) -> dict[str, Any]:
    return {"now": lab.clock.now(), "next_due": lab.clock.next_due(),
            "endpoint": lab.endpoint_url, "gateway": lab.gateway.base,
            "settings": {name: getattr(lab.settings, name) for name in KNOBS}}


def _settings(lab: Any, query: dict[str, str]) -> None:
    for name, value in query.items():
        if name not in KNOBS:
            raise ControlError(f"{name} is not a setting another process may change")
        setattr(lab.settings, name, KNOBS[name](value))


def _advance(lab: Any, query: dict[str, str]) -> None:
    lab.advance(seconds=float(query.get("seconds", "0")))


ACTIONS: dict[str, Callable[[Any, dict[str, str]], None]] = {
    "status": lambda lab, query: None,
    "advance": _advance,
    "settle": lambda lab, query: lab.settle(),
    "reset": lambda lab, query: lab.reset(),
    "settings": _settings,
}


def control(lab: Any, action: str, query: dict[str, str]) -> dict[str, Any]:
    """Carry out one control request and answer the lab's status."""
    if action not in ACTIONS:
        raise ControlError(f"unknown control request: {action}")
    try:
        ACTIONS[action](lab, query)
    except ValueError as exc:
        raise ControlError(str(exc)) from exc
    return status(lab)


def respond(lab: Any, request: Request) -> Response:
    """The HTTP answer to a ``/_lab/...`` request."""
    try:
        body = control(lab, request.path.removeprefix(PREFIX), request.args.to_dict())
    except ControlError as exc:
        return Response(json.dumps({"message": str(exc)}), status=400,
                        content_type="application/json")
    return Response(json.dumps(body), content_type="application/json")


class ControlledApp:
    """WSGI middleware: ``/_lab/`` requests to the lab, everything else to moto."""

    def __init__(self, lab: Any, app: Callable[..., Iterable[bytes]]) -> None:
        self.lab, self.app = lab, app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").startswith(PREFIX):
            return respond(self.lab, Request(environ))(environ, start_response)
        return self.app(environ, start_response)
