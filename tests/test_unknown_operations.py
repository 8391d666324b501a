"""Operations nobody emulates answer like AWS's unknown operation (unknown_operations.py), an
internal error answers the service's 500 error, and a walk over every operation in
botocore's models for Lambda, Step Functions, API Gateway and API Gateway v2 finds no HTML,
no 500 with a body that is not AWS's, no answer boto3 cannot parse and no hang.

``pytest tests/test_unknown_operations.py -s`` prints the operation coverage per service
(implemented / answered as not emulated), for the issue's closing note.
"""

from __future__ import annotations

import datetime
import inspect
import json
import logging
from collections import Counter
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.model import Shape
from moto.awslambda.responses import LambdaResponse
from moto.moto_server.werkzeug_app import DomainDispatcherApplication
from moto.stepfunctions.responses import StepFunctionResponse
from werkzeug.datastructures import Headers, MultiDict

from serverless_lab import seams, unknown_operations
from serverless_lab.unknown_operations import UNKNOWN, identify, models

WALK = Config(parameter_validation=False, retries={"total_max_attempts": 1},
              read_timeout=5, connect_timeout=2)
PLACEHOLDER = "placeholder"
ARN = "arn:aws:lambda:us-east-1:123456789012:function:placeholder"
SIGNATURES = {(DomainDispatcherApplication, "get_application"): ["self", "environ"]}


# Answers without an AWS error code that a real operation (not this module) gives for the
# walk's placeholder input, each the wing's to fix (issue 16); listed so that a new one fails.
# operation -> why its answer is not AWS-shaped yet (none left: Step Functions'
# UpdateStateMachine answers MissingRequiredParameter now)
KNOWN_ELSEWHERE: dict[str, dict[str, str]] = {}


def _signed(service: str) -> Headers:
    scope = f"Credential=testing/20261206/us-east-1/{service}/aws4_request"
    return Headers({"Authorization": f"AWS4-HMAC-SHA256 {scope}, SignedHeaders=host"})


# --- the seam's contract with the pinned moto -------------------------------------------


@pytest.mark.parametrize("owner, name", sorted(SIGNATURES, key=lambda row: row[1]))
def test_seam_signature(owner: Any, name: str) -> None:
    params = list(inspect.signature(seams.original(owner, name)).parameters)
    assert params == SIGNATURES[(owner, name)]


def test_every_row_has_a_contract() -> None:
    assert {(owner, name) for owner, name, _ in unknown_operations.rows()} == set(SIGNATURES)


def test_moto_apps_get_the_answers(lab) -> None:
    """Flask's handler table is where equip() puts the answers (fails if Flask changes it)."""
    app = unknown_operations.equip(__import__("flask").Flask("probe"))
    assert app.error_handler_spec[None][None][Exception] is unknown_operations.on_exception


# --- naming the operation from botocore's models ----------------------------------------


@pytest.mark.parametrize("method, path, query, service, expected", [
    ("GET", "/2021-07-20/functions/f1/runtime-management-config", {}, "lambda",
     ("lambda", "GetRuntimeManagementConfig")),
    ("GET", "/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:f1/configuration",
     {}, "lambda", ("lambda", "GetFunctionConfiguration")),
    ("POST", "/restapis", {"mode": "import"}, "apigateway", ("apigateway", "ImportRestApi")),
    ("POST", "/restapis", {}, "apigateway", ("apigateway", "CreateRestApi")),
    ("DELETE", "/v2/apis/a1/routes/r1", {}, "apigateway", ("apigatewayv2", "DeleteRoute")),
    ("GET", "/2015-03-31/nothing-here", {}, "lambda", ("lambda", None)),
    ("GET", "/v2/nothing-here", {}, "apigateway", ("apigatewayv2", None)),
])
def test_identify_names_the_operation_from_method_and_path(
        method: str, path: str, query: dict[str, str], service: str,
        expected: tuple[str, str | None]) -> None:
    found = identify(method, path, MultiDict(query), _signed(service))
    assert found is not None
    assert (found[0].service_name, found[1]) == expected


def test_identify_reads_a_json_services_target() -> None:
    headers = _signed("states")
    headers["X-Amz-Target"] = "AWSStepFunctions.ListMapRuns"
    found = identify("POST", "/", MultiDict(), headers)
    assert found is not None and (found[0].service_name, found[1]) == (
        "stepfunctions", "ListMapRuns")


def test_other_services_are_not_answered() -> None:
    assert identify("GET", "/bucket", MultiDict(), _signed("s3")) is None


# --- answers on the wire ------------------------------------------------------------------


def _raw(lab: Any, service: str, method: str, path: str, headers: dict[str, str] | None = None,
         body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    import urllib.error
    import urllib.request

    request = AWSRequest(method=method, url=lab.endpoint_url + path, data=body,
                         headers=headers or {})
    credentials = boto3.Session().get_credentials()
    SigV4Auth(credentials, service, "us-east-1").add_auth(request)
    prepared = urllib.request.Request(request.url, data=body or None, method=method,
                                      headers=dict(request.headers.items()))
    try:
        with urllib.request.urlopen(prepared, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_a_path_no_lambda_operation_has_answers_404_unknown_operation(lab) -> None:
    status, headers, body = _raw(lab, "lambda", "GET", "/2015-03-31/nothing-here")
    assert status == 404 and headers["x-amzn-ErrorType"] == UNKNOWN
    assert json.loads(body)["message"] == (
        "The emulator does not emulate any Lambda operation at GET "
        "/2015-03-31/nothing-here (serverless_lab)")


def test_an_unknown_step_functions_target_answers_400_unknown_operation(lab) -> None:
    status, _, body = _raw(lab, "states", "POST", "/", {
        "X-Amz-Target": "AWSStepFunctions.NoSuchOperation",
        "Content-Type": "application/x-amz-json-1.0"}, b"{}")
    assert status == 400
    assert json.loads(body) == {"__type": UNKNOWN, "message": (
        "The emulator does not emulate Step Functions' NoSuchOperation operation "
        "(serverless_lab)")}


def test_a_response_method_that_raises_not_implemented_is_not_emulated(
        lab, monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(self: Any) -> Any:
        raise NotImplementedError("The list_functions action has not been implemented")

    monkeypatch.setattr(LambdaResponse, "list_functions", missing)
    with pytest.raises(ClientError) as caught:
        boto3.client("lambda").list_functions()
    error = caught.value.response
    assert error["Error"] == {"Code": UNKNOWN, "Message": (
        "The emulator does not emulate Lambda's ListFunctions operation (serverless_lab)")}
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404


@pytest.mark.parametrize("service, owner, name, call, code", [
    ("lambda", LambdaResponse, "list_functions", "list_functions", "ServiceException"),
    ("stepfunctions", StepFunctionResponse, "list_state_machines", "list_state_machines",
     "InternalFailure"),
])
def test_an_internal_error_answers_the_services_500_and_logs_the_traceback(
        lab, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        service: str, owner: Any, name: str, call: str, code: str) -> None:
    def broken(self: Any) -> Any:
        raise KeyError("injected failure")

    monkeypatch.setattr(owner, name, broken)
    client = boto3.client(service, config=Config(retries={"total_max_attempts": 1}))
    with caplog.at_level(logging.ERROR, logger="serverless_lab"), \
            pytest.raises(ClientError) as caught:
        getattr(client, call)()
    operation = client.meta.method_to_api_mapping[call]
    assert caught.value.response["Error"]["Code"] == code
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert f"{operation} operation: KeyError" in caught.value.response["Error"]["Message"]
    logged = [r for r in caplog.records if r.name == "serverless_lab" and r.exc_info]
    assert logged and "injected failure" in str(logged[-1].exc_info[1])


# --- the walk over every operation ---------------------------------------------------------


def placeholder(shape: Shape, depth: int = 0, name: str = "") -> Any:
    """A value of the shape's type (an enum's first value, an ARN for a member named so);
    structures get their required members only."""
    kind = shape.type_name
    if kind == "structure":
        members = shape.members  # type: ignore[attr-defined]
        return {member: placeholder(members[member], depth + 1, member)
                for member in shape.required_members if depth < 6}  # type: ignore[attr-defined]
    if kind == "string" and "arn" in (name + shape.name).lower() and not shape.enum:  # type: ignore[attr-defined]
        return ARN
    scalars: dict[str, Any] = {
        "map": {}, "integer": 1, "long": 1, "float": 1.0, "double": 1.0,
        "boolean": False, "blob": b"{}", "timestamp": datetime.datetime(2026, 12, 1)}
    if kind == "list":
        return [placeholder(shape.member, depth + 1, name)]  # type: ignore[attr-defined]
    if kind in scalars:
        return scalars[kind]
    return shape.enum[0] if shape.enum else PLACEHOLDER  # type: ignore[attr-defined]


def classify(client: Any, operation: str) -> str:
    """'implemented', 'not emulated', 'aws error' (another AWS error of the operation),
    'internal failure' (the service's 500 error) or 'violation: ...' (HTML, a 500 that is not
    AWS's, no error code, a parse error, a hang)."""
    model = client.meta.service_model.operation_model(operation)
    params = placeholder(model.input_shape) if model.input_shape is not None else {}
    seen: dict[str, Any] = {}
    client.meta.events.register(f"before-parse.*.{operation}",
                                lambda response_dict, **_: seen.update(response_dict))
    method = next(name for name, api in client.meta.method_to_api_mapping.items()
                  if api == operation)
    try:
        answer = getattr(client, method)(**params)
    except ClientError as error:
        return _error_kind(error, seen)
    except BotoCoreError as error:  # parse errors, read timeouts (a hang)
        return f"violation: {type(error).__name__}: {error}"
    for stream in (answer.get("Payload"), answer.get("body")):
        if hasattr(stream, "close"):
            stream.close()
    return "implemented"


def _error_kind(error: ClientError, seen: dict[str, Any]) -> str:
    code = error.response["Error"].get("Code", "")
    status = error.response["ResponseMetadata"]["HTTPStatusCode"]
    body = seen.get("body", b"")
    raw = body if isinstance(body, bytes) else b""
    if raw.lstrip().startswith(b"<"):
        return f"violation: HTML or XML body {status} {raw[:120]!r}"
    if not code or code.isdigit():
        return f"violation: no AWS error code {status} {raw[:120]!r}"
    if status >= 500:
        if code in ("ServiceException", "InternalFailure"):
            return "internal failure"
        return f"violation: {status} {code}"
    return "not emulated" if code == UNKNOWN else "aws error"


def walk(service: str) -> dict[str, str]:
    """Every operation of the service's model, called once with placeholder parameters."""
    client = boto3.client(service, config=WALK)
    return {operation: classify(client, operation)
            for operation in client.meta.service_model.operation_names}


def coverage(outcomes: dict[str, str]) -> dict[str, int]:
    """implemented (a success or an AWS error of the operation itself) / not emulated."""
    counts = Counter(outcomes.values())
    return {"operations": len(outcomes),
            "implemented": len(outcomes) - counts["not emulated"],
            "not emulated": counts["not emulated"],
            "internal failure": counts["internal failure"]}


_WALKS: dict[str, dict[str, str]] = {}  # each service walked once per test run


def walked(service: str) -> dict[str, str]:
    if service not in _WALKS:
        _WALKS[service] = walk(service)
    return _WALKS[service]


@pytest.mark.parametrize("service", unknown_operations.SERVICES)
def test_every_operation_works_or_answers_like_aws(lab, service: str) -> None:
    outcomes = walked(service)
    counts = coverage(outcomes)
    print(f"\n{service}: {counts}")
    print("  not emulated:", ", ".join(sorted(
        op for op, kind in outcomes.items() if kind == "not emulated")))
    failing = sorted(op for op, kind in outcomes.items() if kind == "internal failure")
    if failing:
        print("  internal failure (the service's 500, logged):", ", ".join(failing))
    operations = botocore.session.get_session().get_service_model(service).operation_names
    assert set(outcomes) == set(operations) and counts["operations"] == len(operations)
    violations = {op: kind for op, kind in outcomes.items() if kind.startswith("violation")}
    unexplained = {op: kind for op, kind in violations.items()
                   if op not in KNOWN_ELSEWHERE.get(service, {})}
    assert not unexplained, "\n".join(f"{op}: {kind}" for op, kind in unexplained.items())


def report() -> list[str]:
    """The closing note's numbers: conformance cases and known differences per service
    (tests/data/conformance), and the operation coverage per service (the walk)."""
    from tests.conformance import runner

    cases = runner.all_cases()
    lines = ["service        cases  differ  operations  implemented  not emulated  500s"]
    for service in unknown_operations.SERVICES:
        counts = coverage(walked(service))
        service_cases = cases.get(service, [])
        differ = sum(1 for case in service_cases if "emulator" in case)
        lines.append(f"{service:<14} {len(service_cases):>5}  {differ:>6}  "
                     f"{counts['operations']:>10}  {counts['implemented']:>11}  "
                     f"{counts['not emulated']:>12}  {counts['internal failure']:>4}")
    return lines


def test_report(lab) -> None:
    """``pytest tests/test_unknown_operations.py -s -k report`` prints the numbers."""
    lines = report()
    print("\n" + "\n".join(lines))
    assert len(lines) == 1 + len(unknown_operations.SERVICES)
    for line, service in zip(lines[1:], unknown_operations.SERVICES, strict=True):
        operations, implemented, missing = (int(n) for n in line.split()[3:6])
        assert line.startswith(service) and implemented + missing == operations


def test_the_walk_covers_the_models_services() -> None:
    assert [model.service_name for model in models()] == list(unknown_operations.SERVICES)
