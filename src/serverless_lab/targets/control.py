"""Control of a running lab over HTTP, for notebooks and tools in another process.

Served on the emulator's endpoint (``AWS_ENDPOINT_URL``) and on the API Gateway front, under
``/_lab/``, in front of moto's own routes:

    GET  /_lab/status                     the clock, the endpoint and gateway addresses
    POST /_lab/advance?seconds=180        move virtual time; everything due runs, in order
    POST /_lab/settle                     run what is due now; answer when nothing is in flight
    POST /_lab/reset                      empty every service, clock back to its start
    POST /_lab/settings?express_duplicate_rate=0.2   change an emulator knob
    POST /_lab/freeze, /_lab/thaw         stop real time on the virtual clock, and let it go

AWS has nothing like it: this is how ``SERVERLESS_LAB_TARGET=endpoint`` drives the virtual
clock of a ``serverless-lab serve`` running in another terminal. Actions change the lab, so
they answer POST only (a page's ``<img src>`` cannot reset it), check every value (400 with
a message, the lab unchanged), and, like the endpoint itself, refuse other origins' pages
and foreign ``Host`` names (endpoint_access.py).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from serverless_lab.targets.endpoint_access import AccessPolicy, forbidden, refusal, with_cors

PREFIX = "/_lab/"
# emulator settings another process may change, with their ranges
KNOBS: dict[str, tuple[float, float]] = {"express_duplicate_rate": (0.0, 1.0)}
QUERIES = {"advance": {"seconds"}, "settings": set(KNOBS), "settle": set(), "reset": set(),
           "status": set(), "freeze": set(), "thaw": set()}


class ControlError(ValueError):
    """An unknown control request or a bad value."""


def status(lab: Any) -> dict[str, Any]:
    return {"now": lab.clock.now(), "next_due": lab.clock.next_due(),
            "endpoint": lab.endpoint_url, "gateway": lab.gateway.base,
            "settings": {name: getattr(lab.settings, name) for name in KNOBS}}


def number(name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ControlError(f"{name} must be a number, not {text!r}") from None
    if not math.isfinite(value):
        raise ControlError(f"{name} must be a finite number, not {text!r}")
    return value


def _settings(lab: Any, query: dict[str, str]) -> None:
    values = {name: number(name, text) for name, text in query.items()}
    for name, value in values.items():
        low, high = KNOBS[name]
        if not low <= value <= high:
            raise ControlError(f"{name} must be from {low} to {high}, not {value}")
    for name, value in values.items():
        setattr(lab.settings, name, value)


def _advance(lab: Any, query: dict[str, str]) -> None:
    lab.advance(seconds=number("seconds", query.get("seconds", "0")))


ACTIONS: dict[str, Callable[[Any, dict[str, str]], None]] = {
    "status": lambda lab, query: None,
    "advance": _advance,
    "settle": lambda lab, query: lab.settle(),
    "reset": lambda lab, query: lab.reset(),
    "freeze": lambda lab, query: lab.clock.freeze(),
    "thaw": lambda lab, query: lab.clock.thaw(),
    "settings": _settings,
}


def control(lab: Any, action: str, query: dict[str, str]) -> dict[str, Any]:
    """Carry out one control request and answer the lab's status."""
    if action not in ACTIONS:
        raise ControlError(f"unknown control request: {action}")
    unknown = sorted(set(query) - QUERIES[action])
    if unknown:
        raise ControlError(f"{action} takes no parameter {', '.join(unknown)}")
    try:
        ACTIONS[action](lab, query)
    except ValueError as exc:
        raise ControlError(str(exc)) from exc
    return status(lab)


def respond(lab: Any, request: Request) -> Response:
    """The HTTP answer to a ``/_lab/...`` request."""
    action = request.path.removeprefix(PREFIX)
    if action != "status" and request.method != "POST":
        return Response(json.dumps({"message": f"{action} changes the lab: use POST"}),
                        status=405, headers={"Allow": "POST"}, content_type="application/json")
    try:
        body = control(lab, request.path.removeprefix(PREFIX), request.args.to_dict())
    except ControlError as exc:
        return Response(json.dumps({"message": str(exc)}), status=400,
                        content_type="application/json")
    return Response(json.dumps(body), content_type="application/json")


class ControlledApp:
    """WSGI middleware: refusals first (endpoint_access.py), then ``/_lab/`` requests to the
    lab and everything else to ``app`` (moto on the endpoint, API stages on the gateway,
    where ``endpoint`` is False and browsers are the API's callers)."""

    def __init__(self, lab: Any, app: Callable[..., Iterable[bytes]],
                 endpoint: bool = False) -> None:
        self.lab, self.app, self.endpoint = lab, app, endpoint

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        policy = getattr(self.lab, "access", None) or AccessPolicy()
        controls = environ.get("PATH_INFO", "").startswith(PREFIX)
        reason = refusal(policy, environ, browser=controls or self.endpoint)
        if reason is not None:
            return forbidden(reason)(environ, start_response)
        if controls:
            return respond(self.lab, Request(environ))(environ, start_response)
        if self.endpoint:
            return with_cors(self.app, policy, environ, start_response)
        return self.app(environ, start_response)
