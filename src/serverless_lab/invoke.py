"""The Invoke API, plugged into moto at its own seams.

moto keeps Lambda's control plane but cannot run a handler without Docker. Three seams,
each checked by a contract test (tests/test_invoke.py):

* ``LambdaFunction.invoke(body, request_headers, response_headers)``: every internal caller
  (S3 notifications, SNS, SQS and DynamoDB event source mappings, Logs subscriptions) runs
  the function through it.
* ``LambdaResponse.invoke``: the HTTP ``Invoke`` operation. moto ignores ``Qualifier``,
  ``DryRun`` and ``LogType``; this one honours them and answers as AWS does.
  https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
* ``LambdaResponse._enrich_response``: moto stamps every response with a random request id;
  for Invoke, AWS's response request id is the invocation's own (the ``requestId`` in an
  error payload), so an id set by ``response_invoke`` is kept.
* ``LambdaBackend.create_function`` and ``LambdaFunction.update_function_code``: a package
  that is not a zip is refused there, as AWS refuses it.
"""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any, Protocol
from urllib.parse import unquote

from moto.awslambda.exceptions import LambdaClientError
from moto.awslambda.models import LambdaBackend, LambdaFunction
from moto.awslambda.responses import LambdaResponse

from .deployment_package import check_zip
from .execution_environment import FunctionSpec, Outcome
from .runtime import PYTHON_RUNTIME_PREFIX, Invocation, Runtime

SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024  # 6 MB request and response (FACTS.md section 7)
RESPONSE_LIMIT = 6291556  # the figure in AWS's Function.ResponseSizeTooLarge message
LOG_TAIL_BYTES = 4096
REQUEST_ID_HEADER = "x-amzn-requestid"


class Host(Protocol):
    """What the seams need from the running lab."""

    runtime: Runtime

    def submit_event(self, run: Any) -> None: ...


class InvalidRequestContentException(LambdaClientError):
    def __init__(self, detail: str) -> None:
        super().__init__("InvalidRequestContentException",
                         f"Could not parse request body into json: Could not parse payload "
                         f"into json: {detail}")


class RequestTooLargeException(LambdaClientError):
    code = 413

    def __init__(self) -> None:
        super().__init__("RequestTooLargeException",
                         f"Request must be smaller than {SYNC_PAYLOAD_LIMIT} bytes for the "
                         "InvokeFunction operation")


class InvalidRuntimeException(LambdaClientError):
    code = 502

    def __init__(self, runtime: str) -> None:
        super().__init__("InvalidRuntimeException",
                         f"The runtime parameter of {runtime} is not supported by the "
                         "serverless_lab emulator, which runs python3.x functions only.")


_host: Host | None = None
_originals: dict[tuple[type, str], Any] = {}
_own_attributes: dict[tuple[type, str], Any] = {}
_INHERITED = object()


def executed_version(fn: LambdaFunction) -> str:
    return str(fn.version)


def spec_for(fn: LambdaFunction, runtime: Runtime) -> FunctionSpec:
    """Snapshot the configuration of the version ``fn`` that an environment runs."""
    if not str(fn.run_time or "").startswith(PYTHON_RUNTIME_PREFIX):
        raise InvalidRuntimeException(str(fn.run_time))
    backend = _backend(fn)
    layers = []
    for layer in fn.layers:
        version = backend.layers_versions_by_arn(layer["Arn"])
        if version is not None:
            layers.append(runtime.code_dir(version.code_bytes, "layers", version.code_sha_256)
                          + "/python")
    return FunctionSpec(
        function_name=fn.function_name, version=executed_version(fn),
        handler=str(fn.handler), runtime=str(fn.run_time), memory_mb=int(fn.memory_size),
        timeout_s=float(fn.timeout),
        code_dir=runtime.code_dir(fn.code_bytes, "code", fn.code_sha_256),
        layer_dirs=tuple(layers), environment=tuple(sorted(fn.environment_vars.items())),
        role=fn.role, revision=f"{fn.code_digest}:{fn.last_modified}",
    )


def run(fn: LambdaFunction, event: str, invoked_arn: str,
        spec: FunctionSpec | None = None) -> tuple[str, Outcome]:
    """Run ``fn`` once, synchronously; return the request id and what happened."""
    assert _host is not None, "serverless_lab is not started"
    request_id = str(uuid.uuid4())
    spec = spec or spec_for(fn, _host.runtime)
    outcome = _host.runtime.invoke(spec, Invocation(request_id, event, invoked_arn),
                                   fn.account_id)
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


def _backend(fn: LambdaFunction) -> LambdaBackend:
    from moto.awslambda.models import lambda_backends

    return lambda_backends[fn.account_id][fn.region]


def _parse_event(body: Any) -> str:
    raw = body if isinstance(body, bytes | str) else json.dumps(body)
    if not raw:
        return "{}"
    try:
        json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidRequestContentException(str(exc)) from None
    return raw.decode() if isinstance(raw, bytes) else raw


def function_invoke(self: LambdaFunction, body: Any, request_headers: Any,
                    response_headers: Any) -> bytes:
    """Replacement for ``LambdaFunction.invoke``: internal callers run the function
    synchronously and read ``x-amz-function-error`` from ``response_headers``."""
    _, outcome = run(self, _parse_event(body), self.function_arn)
    response_headers["x-amz-executed-version"] = executed_version(self)
    if outcome.function_error:
        response_headers["x-amz-function-error"] = outcome.function_error
    return outcome.payload


def _qualified_arn(fn: LambdaFunction, name: str, qualifier: str | None) -> str:
    base = fn.function_arn.rsplit(":function:", 1)[0] + ":function:" + fn.function_name
    if ":" in name.split(":function:")[-1]:
        qualifier = name.rsplit(":", 1)[-1]
    return f"{base}:{qualifier}" if qualifier else base


def response_invoke(self: LambdaResponse) -> tuple[int, dict[str, str], bytes]:
    """Replacement for ``LambdaResponse.invoke``, the Invoke operation."""
    name = unquote(self.path.rsplit("/", 2)[-2])
    qualifier = self.querystring.get("Qualifier", [None])[0]
    fn = self.backend.get_function(name, qualifier)
    invocation_type = self.headers.get("X-Amz-Invocation-Type", "RequestResponse")
    body = self.body or b""
    if len(body) > SYNC_PAYLOAD_LIMIT:
        raise RequestTooLargeException()
    event = _parse_event(body)
    assert _host is not None, "serverless_lab is not started"
    spec = spec_for(fn, _host.runtime)
    headers = {"content-type": "application/json", "x-amz-executed-version": spec.version}
    if invocation_type == "DryRun":
        return 204, {**headers, "status": "204"}, b""
    invoked_arn = _qualified_arn(fn, name, qualifier)
    if invocation_type == "Event":
        _host.submit_event(lambda: run(fn, event, invoked_arn, spec))
        return 202, {**headers, "status": "202"}, b""
    request_id, outcome = run(fn, event, invoked_arn, spec)
    headers[REQUEST_ID_HEADER] = request_id
    if outcome.function_error:
        headers["x-amz-function-error"] = outcome.function_error
    if self.headers.get("X-Amz-Log-Type") == "Tail":
        headers["x-amz-log-result"] = log_tail(outcome)
    return 200, headers, outcome.payload


def enrich_response(headers: dict[str, str], body: Any) -> tuple[dict[str, str], Any]:
    ours = headers.get(REQUEST_ID_HEADER)
    headers, body = _originals[(LambdaResponse, "_enrich_response")](headers, body)
    if ours:
        headers[REQUEST_ID_HEADER] = ours
    return headers, body


def create_function(self: LambdaBackend, spec: dict[str, Any]) -> LambdaFunction:
    """Refuse a package that is not a zip before moto stores it."""
    zipped = spec.get("Code", {}).get("ZipFile")
    if zipped and spec.get("PackageType", "Zip") == "Zip":
        check_zip(_decode_zip(zipped))
    function: LambdaFunction = _originals[(LambdaBackend, "create_function")](self, spec)
    return function


def update_function_code(self: LambdaFunction, updated_spec: dict[str, Any]) -> Any:
    zipped = updated_spec.get("ZipFile")
    if zipped:
        check_zip(_decode_zip(zipped))
    return _originals[(LambdaFunction, "update_function_code")](self, updated_spec)


def _decode_zip(zipped: str | bytes) -> bytes:
    try:
        return base64.b64decode(zipped, validate=True)
    except ValueError:
        return zipped if isinstance(zipped, bytes) else zipped.encode()


SEAMS = [
    (LambdaFunction, "invoke", function_invoke),
    (LambdaResponse, "invoke", response_invoke),
    (LambdaResponse, "_enrich_response", staticmethod(enrich_response)),
    (LambdaBackend, "create_function", create_function),
    (LambdaFunction, "update_function_code", update_function_code),
]


def install(host: Host) -> None:
    """Plug the runtime into moto (idempotent)."""
    global _host
    _host = host
    for owner, name, replacement in SEAMS:
        if (owner, name) not in _originals:
            _originals[(owner, name)] = getattr(owner, name)
            _own_attributes[(owner, name)] = owner.__dict__.get(name, _INHERITED)
        setattr(owner, name, replacement)


def uninstall() -> None:
    """Give moto its own methods back."""
    global _host
    _host = None
    for owner, name, _ in SEAMS:
        if (owner, name) not in _originals:
            continue
        del _originals[(owner, name)]
        own = _own_attributes.pop((owner, name))
        if own is _INHERITED:
            delattr(owner, name)
        else:
            setattr(owner, name, own)
