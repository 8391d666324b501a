"""The Invoke API: synchronous, asynchronous (``Event``) and ``DryRun``.

moto ignores ``Qualifier``, ``DryRun``, ``LogType`` and alias weights, and cannot run a
handler without Docker. Three seams (``seams.py``) put that right:

* ``LambdaFunction.invoke(body, request_headers, response_headers)``: every internal caller
  (S3 notifications, SNS, SQS and DynamoDB event source mappings, Logs subscriptions) runs
  the function through it.
* ``LambdaResponse.invoke``: the HTTP ``Invoke`` operation, answered as AWS answers it.
  https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
* ``LambdaResponse._enrich_response``: moto stamps every response with a random request id;
  for Invoke, AWS's response request id is the invocation's own (the ``requestId`` in an
  error payload), so an id set by ``response_invoke`` is kept.
"""

from __future__ import annotations

import base64
import json
import threading
import uuid
from typing import Any
from urllib.parse import unquote

from moto.awslambda.exceptions import LambdaClientError, UnknownFunctionException
from moto.awslambda.models import LambdaFunction
from moto.awslambda.responses import LambdaResponse

from serverless_lab import seams
from serverless_lab.awslambda import function_names, limits, versions
from serverless_lab.awslambda.async_invoke import AsyncEvent, Throttled
from serverless_lab.awslambda.execution_environment import FunctionSpec, Outcome
from serverless_lab.awslambda.function_names import InvalidRequestContentException
from serverless_lab.awslambda.runtime import PYTHON_RUNTIME_PREFIX, Invocation, Runtime

RESPONSE_LIMIT = 6291556  # the figure in AWS's Function.ResponseSizeTooLarge message
LOG_TAIL_BYTES = 4096
REQUEST_ID_HEADER = "x-amzn-requestid"
INVOCATION_TYPES = ("Event", "RequestResponse", "DryRun")  # INVOKE_PAGE's valid values


class InvalidRuntimeException(LambdaClientError):
    code = 502

    def __init__(self, runtime: str) -> None:
        super().__init__("InvalidRuntimeException",
                         f"The runtime parameter of {runtime} is not supported by the "
                         "serverless_lab emulator, which runs python3.x functions only.")


class TooManyRequestsException(LambdaClientError):
    """A throttle: reserved concurrency reached (AWS-RESPONSES.md section 5)."""

    code = 429

    def __init__(self, reason: str) -> None:
        super().__init__("TooManyRequestsException", "Rate Exceeded.")
        self.description = json.dumps({"__type": "TooManyRequestsException", "Type": "User",
                                       "message": "Rate Exceeded.", "Reason": reason})


def spec_for(fn: LambdaFunction, runtime: Runtime) -> FunctionSpec:
    """Snapshot the configuration of the version ``fn`` that an environment runs."""
    if not str(fn.run_time or "").startswith(PYTHON_RUNTIME_PREFIX):
        raise InvalidRuntimeException(str(fn.run_time))
    return FunctionSpec(
        function_name=fn.function_name, version=str(fn.version),
        handler=str(fn.handler), runtime=str(fn.run_time), memory_mb=int(fn.memory_size),
        timeout_s=float(fn.timeout),
        code_dir=runtime.code_dir(fn.code_bytes, "code", fn.code_sha_256),
        opt_dir=runtime.opt_dir(_layer_packages(fn)),
        environment=tuple(sorted(fn.environment_vars.items())),
        role=fn.role, revision=f"{fn.code_digest}:{fn.last_modified}",
        ephemeral_mb=int(fn.ephemeral_storage),
        file_systems=runtime.file_systems(getattr(fn, "file_system_configs", None) or []),
    )


def _layer_packages(fn: LambdaFunction) -> tuple[tuple[str, bytes], ...]:
    """The layer contents kept with the function when its layers were set."""
    kept: tuple[tuple[str, bytes], ...] = getattr(fn, "layer_packages", ())
    return kept


def run(fn: LambdaFunction, event: str, invoked_arn: str, spec: FunctionSpec | None = None,
        request_id: str | None = None) -> tuple[str, Outcome]:
    """Run ``fn`` once, synchronously; return the request id and what happened."""
    runtime = seams.host().runtime
    spec = spec or spec_for(fn, runtime)
    request_id = request_id or str(uuid.uuid4())
    if not runtime.concurrency.acquire(fn.function_name, versions.reserved_concurrency(fn)):
        raise TooManyRequestsException("ReservedFunctionConcurrentInvocationLimitExceeded")
    try:
        outcome = runtime.invoke(spec, Invocation(request_id, event, invoked_arn),
                                 fn.account_id)
    finally:
        runtime.concurrency.release(fn.function_name)
    if len(outcome.payload) > RESPONSE_LIMIT:
        outcome.function_error = "Unhandled"
        outcome.payload = json.dumps({
            "errorMessage": "Response payload size exceeded maximum allowed payload size "
                            f"({RESPONSE_LIMIT} bytes).",
            "errorType": "Function.ResponseSizeTooLarge"}).encode()
    return request_id, outcome


def log_tail(outcome: Outcome) -> str:
    """The last 4 KB of the invocation's log, base64-encoded (``LogType=Tail``)."""
    text = "\n".join(outcome.log_suffix) + "\n"
    return base64.b64encode(text.encode()[-LOG_TAIL_BYTES:]).decode()


def parse_event(body: Any) -> str:
    raw = body if isinstance(body, bytes | str) else json.dumps(body)
    if not raw:
        return "{}"
    try:
        json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidRequestContentException(str(exc)) from None
    return raw.decode() if isinstance(raw, bytes) else raw


def attempt(event: AsyncEvent) -> tuple[LambdaFunction, Outcome]:
    """One attempt of an asynchronous event, for the async engine."""
    try:
        _, outcome = run(event.fn, event.payload, event.invoked_arn,
                         request_id=event.request_id)
    except TooManyRequestsException:
        raise Throttled(versions.reserved_concurrency(event.fn)) from None
    return event.fn, outcome


_pushed = threading.local()


def _as_asynchronous(original: Any, *args: Any, **kwargs: Any) -> Any:
    _pushed.active = True
    try:
        return original(*args, **kwargs)
    finally:
        _pushed.active = False


def s3_notification(account_id: str, event_body: Any, fn_arn: str, region_name: str) -> None:
    """S3 "invokes your function asynchronously": moto's notifier, made asynchronous.
    https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html"""
    from moto.s3 import notifications

    _as_asynchronous(seams.original(notifications, "_invoke_awslambda"),
                     account_id, event_body, fn_arn, region_name)


def sns_delivery(self: Any, *args: Any, **kwargs: Any) -> Any:
    """SNS invokes subscribed functions asynchronously, like S3."""
    from moto.awslambda.models import LambdaBackend

    original = seams.original(LambdaBackend, "send_sns_message")
    return _as_asynchronous(original, self, *args, **kwargs)


def function_invoke(self: LambdaFunction, body: Any, request_headers: Any,
                    response_headers: Any) -> bytes:
    """Replacement for ``LambdaFunction.invoke``: services that push events (S3, SNS) queue
    them; pollers (event source mappings) run the function synchronously and read
    ``x-amz-function-error`` from ``response_headers``."""
    if getattr(_pushed, "active", False):
        seams.host().async_invoker.accept(self, parse_event(body), self.function_arn, None)
        return b""
    _, outcome = run(self, parse_event(body), self.function_arn)
    response_headers["x-amz-executed-version"] = str(self.version)
    if outcome.function_error:
        response_headers["x-amz-function-error"] = outcome.function_error
    return outcome.payload


def qualified_arn(fn: LambdaFunction, qualifier: str | None) -> str:
    base = fn.function_arn.rsplit(":function:", 1)[0] + ":function:" + fn.function_name
    return f"{base}:{qualifier}" if qualifier else base


def target(response: LambdaResponse) -> tuple[str, str | None]:
    """The function name and qualifier the caller asked for (moto ignores ``Qualifier``)."""
    name = unquote(response.path.rsplit("/", 2)[-2])
    qualifier = response.querystring.get("Qualifier", [None])[0]
    short = name.split(":function:")[-1]
    if ":" in short:
        short, qualifier = short.split(":", 1)
    return short, qualifier


def _invocation_type(response: LambdaResponse) -> str:
    invocation_type = str(response.headers.get("X-Amz-Invocation-Type", "RequestResponse"))
    limits.check_enum("invocationType", invocation_type, INVOCATION_TYPES)
    limits.check_enum("logType", response.headers.get("X-Amz-Log-Type"), ("None", "Tail"))
    return invocation_type


def resolve_target(response: LambdaResponse, name: str, qualifier: str | None) -> LambdaFunction:
    """The version to run; an unqualified miss names $LATEST, as AWS's does
    (test_lambda.snapshot.json, ``TestLambdaFeatures::test_invoke_exceptions``)."""
    full = unquote(response.path.rsplit("/", 2)[-2])
    function_names.check_reachable(response.backend, full)
    try:
        return versions.resolve(response.backend, name, qualifier, seams.host().routing)
    except UnknownFunctionException as missing:
        if qualifier:
            raise
        raise UnknownFunctionException(missing.message.split(": ", 1)[1] + ":$LATEST") from None


def response_invoke(self: LambdaResponse) -> tuple[int, dict[str, str], bytes]:
    """Replacement for ``LambdaResponse.invoke``, the Invoke operation."""
    name, qualifier = target(self)
    invocation_type = _invocation_type(self)
    fn = resolve_target(self, name, qualifier)
    body = self.body or b""
    limits.check_payload(body if isinstance(body, bytes) else body.encode(),
                         asynchronous=invocation_type == "Event")
    event = parse_event(body)
    spec = spec_for(fn, seams.host().runtime)
    headers = {"content-type": "application/json", "x-amz-executed-version": spec.version}
    if invocation_type == "DryRun":
        return 204, {**headers, "status": "204"}, b""
    invoked_arn = qualified_arn(fn, qualifier)
    if invocation_type == "Event":
        request_id = seams.host().async_invoker.accept(fn, event, invoked_arn, qualifier)
        return 202, {**headers, "status": "202", REQUEST_ID_HEADER: request_id}, b""
    request_id, outcome = run(fn, event, invoked_arn, spec)
    headers[REQUEST_ID_HEADER] = request_id
    if outcome.function_error:
        headers["x-amz-function-error"] = outcome.function_error
    if self.headers.get("X-Amz-Log-Type") == "Tail":
        headers["x-amz-log-result"] = log_tail(outcome)
    return 200, headers, outcome.payload


def enrich_response(headers: dict[str, str], body: Any) -> tuple[dict[str, str], Any]:
    ours = headers.get(REQUEST_ID_HEADER)
    headers, body = seams.original(LambdaResponse, "_enrich_response")(headers, body)
    if ours:
        headers[REQUEST_ID_HEADER] = ours
    return headers, body
