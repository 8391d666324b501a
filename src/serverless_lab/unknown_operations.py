"""Operations the emulator does not emulate answer like AWS's unknown operation, never HTML.

moto's server answers three ways where an AWS operation has no emulation: werkzeug's HTML 404
for a path no ``url_paths`` entry matches, an HTML 500 when the Response class lacks the
method (``BaseResponse.call_action`` raises NotImplementedError) and another HTML 500 when a
backend raises NotImplementedError. Every one of them becomes the error AWS's request router
answers for an operation it does not know, ``UnknownOperationException``, naming the
operation and saying it is not emulated:

- JSON-protocol services (Step Functions): **400**, ``{"__type": "UnknownOperationException"}``
  for an ``X-Amz-Target`` the service lacks. AWS's Common Errors pages give 400 for an
  action or operation that is invalid ("InvalidAction ... HTTP Status Code: 400",
  https://docs.aws.amazon.com/cloudsearch/latest/developerguide/CommonErrors.html).
- REST-JSON services (Lambda, API Gateway, API Gateway v2): **404** with the code in
  ``x-amzn-ErrorType`` for a path that names no operation. No AWS page documents this
  answer: it is the not-found status of a route that does not exist, and the code of AWS's
  own request router (not verified against a response recorded on AWS).

Any other exception inside a real operation (ours or moto's, not an AWS error) answers the
service's own 500 error from its model (Lambda's ``ServiceException``, "The Lambda service
encountered an internal error", https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
#API_Invoke_Errors), else the common ``InternalFailure`` 500, with the operation named; the
traceback goes to the ``serverless_lab`` logger. ("InternalFailure ... The request processing
has failed because of an unknown error, exception or failure. HTTP Status Code: 500", the
same Common Errors page.)

The answers are Flask error handlers put on each of moto's service apps as the server's
dispatcher hands it out (a seam on ``DomainDispatcherApplication.get_application``), so a
real route or Response method that another seam adds always wins: the handlers only run
where moto found no route or raised. The module knows the services only through botocore's
models (operation names, HTTP method and ``requestUri`` templates, target prefixes).
"""

from __future__ import annotations

import functools
import json
import logging
import re
from dataclasses import dataclass
from typing import Any

import botocore.session
from botocore.model import ServiceModel
from flask import request
from moto.moto_server.werkzeug_app import DomainDispatcherApplication
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.wrappers import Response

from serverless_lab import seams

SERVICES = ("lambda", "stepfunctions", "apigateway", "apigatewayv2")
UNKNOWN = "UnknownOperationException"
LOGGER = logging.getLogger("serverless_lab")
_EQUIPPED = "_serverless_lab_answers"
_CREDENTIAL = re.compile(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/")


@dataclass(frozen=True)
class Route:
    """One operation's HTTP route from its model: method, path pattern, fixed query keys."""

    operation: str
    method: str
    pattern: re.Pattern[str]
    query: tuple[tuple[str, str | None], ...]
    literals: int

    def matches(self, method: str, path: str, args: Any) -> bool:
        if method != self.method or not self.pattern.fullmatch(path):
            return False
        return all(key in args and (value is None or args.get(key) == value)
                   for key, value in self.query)


@functools.cache
def models() -> tuple[ServiceModel, ...]:
    session = botocore.session.get_session()
    return tuple(session.get_service_model(name) for name in SERVICES)


def _route(name: str, http: dict[str, str]) -> Route:
    path, _, query = http["requestUri"].partition("?")
    parts = []
    for piece in re.split(r"(\{[^}]+\})", path.rstrip("/") or "/"):
        if piece.startswith("{"):
            parts.append(".+" if piece.endswith("+}") else "[^/]+")
        else:
            parts.append(re.escape(piece))
    fixed = tuple((key, value if sep else None) for key, sep, value in
                  (item.partition("=") for item in query.split("&") if item))
    literals = len(re.sub(r"\{[^}]+\}", "", path))
    return Route(name, http["method"], re.compile("".join(parts) + "/?"), fixed, literals)


@functools.cache
def routes(model: ServiceModel) -> tuple[Route, ...]:
    """The model's routes, most specific first (fixed query keys, then literal text)."""
    found = [_route(name, model.operation_model(name).http) for name in model.operation_names]
    return tuple(sorted(found, key=lambda route: (-len(route.query), -route.literals)))


def identify(method: str, path: str, args: Any, headers: Any) -> tuple[ServiceModel, str | None] | None:
    """The service (one of ``SERVICES``) and operation a request is for; the operation is
    None where the service has none at that path; None for a request of another service."""
    signed = _CREDENTIAL.search(headers.get("Authorization", ""))
    candidates = [m for m in models() if signed is None or m.signing_name == signed.group(1)]
    target = headers.get("X-Amz-Target", "")
    for model in candidates:
        prefix = model.metadata.get("targetPrefix")
        if prefix and target.startswith(prefix + "."):
            return model, target.split(".", 1)[1]
    for model in candidates:
        if model.protocol == "rest-json":
            for route in routes(model):
                if route.matches(method, path, args):
                    return model, route.operation
    if signed is None or not candidates:
        return None
    return _nearest(candidates, path), None


def _nearest(candidates: list[ServiceModel], path: str) -> ServiceModel:
    """Of the services that sign alike (API Gateway and its v2), the one with a route that
    starts as the path does ('/v2/...')."""
    first = path.strip("/").split("/")[0]
    for model in candidates:
        if any(route.pattern.pattern.startswith(re.escape("/" + first)) for route in
               routes(model) if first):
            return model
    return candidates[0]


def title(model: ServiceModel) -> str:
    """'Lambda', 'Step Functions', 'API Gateway', 'ApiGatewayV2' (the model's full name)."""
    name = model.metadata.get("serviceFullName", model.service_name)
    return re.sub(r"^(AWS|Amazon) ?", "", name)


def possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def error_response(model: ServiceModel, code: str, status: int, message: str) -> Response:
    """An error as the service's protocol carries it, parsed by boto3 as ``code``."""
    headers = {"x-amzn-ErrorType": code}
    if model.protocol == "json":
        version = model.metadata.get("jsonVersion", "1.0")
        return Response(json.dumps({"__type": code, "message": message}), status=status,
                        headers=headers, content_type=f"application/x-amz-json-{version}")
    return Response(json.dumps({"message": message, "Type": "User" if status < 500 else
                                "Service"}), status=status, headers=headers,
                    content_type="application/json")


def not_emulated(model: ServiceModel, operation: str | None, method: str = "",
                 path: str = "") -> Response:
    """AWS's unknown-operation answer, saying the emulator does not emulate the operation."""
    what = (f"{possessive(title(model))} {operation} operation" if operation else
            f"any {title(model)} operation at {method} {path}")
    status = 400 if model.protocol == "json" else 404
    return error_response(model, UNKNOWN, status,
                          f"The emulator does not emulate {what} (serverless_lab)")


def internal_error_code(model: ServiceModel) -> str:
    """The service's own 500 error (Lambda: ServiceException), else InternalFailure."""
    for shape in model.error_shapes:
        if (shape.metadata.get("error") or {}).get("httpStatusCode") == 500:
            return shape.name
    return "InternalFailure"


def internal_failure(model: ServiceModel, operation: str | None, error: BaseException) -> Response:
    name = operation or "an"
    LOGGER.error("%s %s operation failed inside the emulator", title(model), name,
                 exc_info=error)
    message = (f"The emulator failed inside {possessive(title(model))} {name} operation: "
               f"{type(error).__name__} (serverless_lab; the traceback is in its log)")
    return error_response(model, internal_error_code(model), 500, message)


def _request_service() -> tuple[ServiceModel, str | None] | None:
    return identify(request.method, request.path, request.args, request.headers)


def on_not_found(error: HTTPException) -> Any:
    """No route matched: the operation is not emulated (other services keep moto's answer)."""
    found = _request_service()
    if found is None:
        return error
    return not_emulated(found[0], found[1], request.method, request.path)


def on_exception(error: Exception) -> Any:
    """An exception escaped an operation: NotImplementedError is an operation (or part of
    one) moto does not emulate; anything else but an HTTP answer is an internal failure."""
    if isinstance(error, HTTPException):
        return error  # moto's own AWS errors (RESTError) render themselves
    found = _request_service()
    if found is None:
        raise error
    if isinstance(error, NotImplementedError):
        return not_emulated(found[0], found[1], request.method, request.path)
    return internal_failure(found[0], found[1], error)


def on_response(response: Any) -> Any:
    """moto's router found no operation for a route it has (``call_action`` answers an
    empty 404): the same answer as a route nobody has."""
    if response.status_code != 404 or response.get_data():
        return response
    found = _request_service()
    if found is None:
        return response
    return not_emulated(found[0], found[1], request.method, request.path)


def equip(app: Any) -> Any:
    """Put the answers on one of moto's Flask service apps (once; they are looked up per
    request, so setting them directly also works after the app's first request)."""
    if not getattr(app, _EQUIPPED, False):
        spec = app.error_handler_spec[None]
        spec[404][NotFound] = on_not_found
        spec[405][MethodNotAllowed] = on_not_found
        spec[None][Exception] = on_exception
        app.after_request_funcs.setdefault(None, []).append(on_response)
        setattr(app, _EQUIPPED, True)
    return app


def get_application(self: DomainDispatcherApplication, environ: dict[str, Any]) -> Any:
    """Seam on moto's dispatcher: the service's Flask app, with the answers on it."""
    original = seams.original(DomainDispatcherApplication, "get_application")
    return equip(original(self, environ))


def rows() -> list[tuple[Any, str, Any]]:
    """(owner, method name, replacement) for every seam this module owns."""
    return [(DomainDispatcherApplication, "get_application", get_application)]
