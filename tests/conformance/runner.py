"""The conformance runner: calls a learner makes, each compared with what AWS answers.

A case lives in ``tests/data/conformance/<service>.yaml`` (one file per boto3 service name;
the file's ``service:`` key names it). The format, one case::

    - id: create-function-duplicate-name        # unique in its file
      action: CreateFunction                    # the AWS operation under test (for reports)
      source: >-                                # where the expected answer comes from
        https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#API_CreateFunction_Errors;
        LocalStack tests/aws/services/lambda_/test_lambda_api.snapshot.json
        "...::test_function_name_collision" (Apache 2.0)
      given:                                    # calls that must succeed first, in order
        - create_function: {FunctionName: f1, Role: $role, Runtime: python3.12,
                            Handler: app.handler, Code: {ZipFile: $zip}}
          save: {arn: FunctionArn}              # optional: name -> JMESPath into the answer
      call:                                     # the call under test: one boto3 method
        create_function: {FunctionName: f1, Role: $role, ...}
      aws:                                      # what AWS answers
        error: ResourceConflictException        # error code (boto3's Error.Code)
        status: 409                             # HTTP status
        message: "Function already exist: f1"   # exact; or message_re: a regular expression
      # or, for a call that succeeds:
      # aws: {status: 200, keys: [FunctionName, FunctionArn]}   # keys the answer must have
      #   values: {"Configuration.State": Active}   # optional: JMESPath -> the value it must
      #                                             # have ($name references allowed)
      emulator:                                 # ONLY for a known, remaining difference:
        error: ...                              #   what the emulator answers instead (same
        why: "..."                              #   shape as aws:), and why. The test checks
                                                #   the emulator really answers this, and
                                                #   chapter 10's table of differences lists it.

Instead of ``call:``, ``raw:`` sends one signed HTTP request as it is (for what boto3 cannot
send: a body that is not JSON, a payload that is not UTF-8)::

      raw: {method: POST, path: /2015-03-31/functions/f1/invocations,
            body: {$hex: "fffe"}, headers: {Content-Type: application/json}}

Values: ``$name`` as a whole string is a saved value or a built-in (``$role``: an execution
role's ARN, ``$zip``: a function that returns its event, ``$account``, ``$region``,
``$LATEST``: the text ``$LATEST``, Lambda's unpublished version);
``${name}`` inside a longer string is replaced by its text. Converters (a mapping with one
``$`` key): ``{$json: value}`` -> JSON text (state machine definitions, policies);
``{$zip: {app.py: source}}`` -> zip bytes; ``{$repeat: "a", times: 300000}`` -> a long
string; ``{$hex: "fffe"}`` -> bytes; ``{$nested: 100000}`` -> ``[[[...]]]`` that deep.

Clients are made with botocore's parameter validation off, so a malformed value reaches the
emulator the way it reaches AWS from a client that does not validate (the CLI with
``--cli-input-json``, an SDK of another language), and the answer is the server's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import jmespath
import yaml
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.exceptions import ClientError

from serverless_lab.deployment_package import zip_code
from serverless_lab.exam.question_bank import YAML_LOADER
from tests.conftest import client

DATA = Path(__file__).resolve().parents[1] / "data" / "conformance"
ACCOUNT, REGION = "123456789012", "us-east-1"
TRUST = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
    "Action": "sts:AssumeRole"}]}
ECHO = "def handler(event, context):\n    return event\n"
NO_VALIDATION = Config(parameter_validation=False, retries={"max_attempts": 1})
SIGNING_NAME = {"lambda": "lambda", "stepfunctions": "states", "apigateway": "apigateway",
                "apigatewayv2": "apigateway"}


@dataclass
class Answer:
    """What one call answered: its HTTP status, error code and message, or its keys."""

    status: int
    error: str | None = None
    message: str | None = None
    body: dict[str, Any] = field(default_factory=dict)


def load(service: str) -> list[dict[str, Any]]:
    """Every case of ``tests/data/conformance/<service>.yaml``."""
    document = yaml.load((DATA / f"{service}.yaml").read_text(), Loader=YAML_LOADER)
    assert document["service"] == service
    cases = document["cases"]
    ids = [case["id"] for case in cases]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    for case in cases:
        _check_keys(case)
    return cases


CASE_KEYS = {"id", "action", "source", "given", "call", "raw", "aws", "emulator"}
ANSWER_KEYS = {"status", "error", "message", "message_re", "keys", "values", "why"}


def _check_keys(case: dict[str, Any]) -> None:
    """A misspelt key would be ignored, and the case would check less than it says."""
    unknown = set(case) - CASE_KEYS
    for block in ("aws", "emulator"):
        unknown |= {f"{block}.{key}" for key in set(case.get(block) or {}) - ANSWER_KEYS}
    assert not unknown, f"{case.get('id')}: unknown keys {sorted(unknown)}"
    assert ("call" in case) != ("raw" in case), f"{case['id']}: one of call or raw"


def all_cases() -> dict[str, list[dict[str, Any]]]:
    """Every data file's cases, by service (for reports and chapter 10's table)."""
    return {path.stem: load(path.stem) for path in sorted(DATA.glob("*.yaml"))}


class Run:
    """One case run against the running lab: its saved values and its client."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.client = client(service, NO_VALIDATION)
        self.values: dict[str, Any] = {"account": ACCOUNT, "region": REGION,
                                       "LATEST": "$LATEST"}

    def builtin(self, name: str) -> Any:
        if name == "role" and "role" not in self.values:
            iam = client("iam")
            self.values["role"] = iam.create_role(
                RoleName="conformance-role",
                AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
        if name == "zip" and "zip" not in self.values:
            self.values["zip"] = zip_code({"app.py": ECHO})
        if name not in self.values:
            raise KeyError(f"no value ${name} (saved values: {sorted(self.values)})")
        return self.values[name]

    def resolve(self, value: Any) -> Any:
        """The value with its ``$name`` references and converters applied."""
        if isinstance(value, str):
            return self._text(value)
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if isinstance(value, dict):
            special = [key for key in value if key.startswith("$")]
            if special:
                return self._convert(special[0], value)
            return {key: self.resolve(item) for key, item in value.items()}
        return value

    def _text(self, value: str) -> Any:
        if re.fullmatch(r"\$[A-Za-z_]\w*", value):
            return self.builtin(value[1:])
        return re.sub(r"\$\{(\w+)\}", lambda m: str(self.builtin(m.group(1))), value)

    def _convert(self, key: str, value: dict[str, Any]) -> Any:
        inner = self.resolve(value[key])
        if key == "$json":
            return json.dumps(inner)
        if key == "$zip":
            return zip_code(inner)
        if key == "$repeat":
            return inner * int(value["times"])
        if key == "$hex":
            return bytes.fromhex(inner.replace(" ", ""))
        if key == "$nested":
            return "[" * int(inner) + "]" * int(inner)
        raise ValueError(f"unknown converter {key}")

    def call(self, spec: dict[str, Any]) -> Answer:
        """Make the one boto3 call ``spec`` names; the answer or the error it gave."""
        (method, params), = ((k, v) for k, v in spec.items() if k != "save")
        try:
            body = getattr(self.client, method)(**self.resolve(params or {}))
        except ClientError as error:
            return _error_answer(error.response)
        status = body.pop("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        for name, path in (spec.get("save") or {}).items():
            self.values[name] = jmespath.search(path, body)
        return Answer(status, body=body)

    def raw(self, spec: dict[str, Any]) -> Answer:
        """Send one signed HTTP request as it is; the status and the error it names."""
        spec = self.resolve(spec)
        body = spec.get("body", b"")
        body = body.encode() if isinstance(body, str) else body
        url = self.client.meta.endpoint_url.rstrip("/") + spec["path"]
        request = AWSRequest(spec.get("method", "GET"), url, data=body,
                             headers=spec.get("headers", {}))
        credentials = boto3.DEFAULT_SESSION.get_credentials()
        SigV4Auth(credentials, SIGNING_NAME[self.service], REGION).add_auth(request)
        prepared = request.prepare()
        parts = urlsplit(prepared.url)
        connection = HTTPConnection(parts.hostname, parts.port, timeout=30)
        try:
            connection.request(prepared.method, prepared.url[len(f"{parts.scheme}://{parts.netloc}"):],
                               body=body, headers=dict(prepared.headers))
            reply = connection.getresponse()
            raw, status, headers = reply.read(), reply.status, dict(reply.getheaders())
        finally:
            connection.close()
        if status < 400:
            return Answer(status, body=_json(raw))
        return _raw_error(status, headers, raw)


def _json(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw or b"{}")
    except ValueError:
        return {"<not JSON>": raw[:200].decode("utf-8", "replace")}
    return value if isinstance(value, dict) else {"<value>": value}


def _error_answer(response: dict[str, Any]) -> Answer:
    error = response.get("Error", {})
    return Answer(response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0),
                  error.get("Code"), error.get("Message"))


def _raw_error(status: int, headers: dict[str, str], raw: bytes) -> Answer:
    body = _json(raw)
    code = headers.get("x-amzn-ErrorType") or headers.get("X-Amzn-Errortype") \
        or body.get("__type") or body.get("code") or body.get("Type")
    code = code.split(":")[0].split("#")[-1] if code else None
    message = body.get("message") or body.get("Message") or body.get("errorMessage")
    return Answer(status, code, message, body)


def run_case(case: dict[str, Any], service: str) -> tuple[Answer, Run]:
    """Run the case's ``given`` calls (each must succeed), then its call: (answer, run)."""
    run = Run(service)
    for step in case.get("given") or []:
        answer = run.call(step)
        assert answer.error is None, f"given step {step} failed: {answer}"
    answer = run.raw(case["raw"]) if "raw" in case else run.call(case["call"])
    return answer, run


def expected(case: dict[str, Any]) -> dict[str, Any]:
    """What the emulator must answer: AWS's answer, or the known difference it documents."""
    return case.get("emulator") or case["aws"]


def mismatches(answer: Answer, want: dict[str, Any]) -> list[str]:
    """Each way ``answer`` differs from ``want`` (empty when it matches)."""
    found = []
    if "status" in want and answer.status != want["status"]:
        found.append(f"status {answer.status}, want {want['status']}")
    if answer.error != want.get("error"):
        found.append(f"error {answer.error!r}, want {want.get('error')!r}")
    if "message" in want and answer.message != want["message"]:
        found.append(f"message {answer.message!r}, want {want['message']!r}")
    if "message_re" in want and not re.fullmatch(want["message_re"], answer.message or ""):
        found.append(f"message {answer.message!r}, want /{want['message_re']}/")
    for path, value in (want.get("values") or {}).items():
        got = jmespath.search(path, answer.body)
        if got != value:
            found.append(f"{path} is {got!r}, want {value!r}")
    missing = [key for key in want.get("keys", []) if key not in answer.body]
    if missing:
        found.append(f"answer lacks {missing} (has {sorted(answer.body)})")
    return found


def check(case: dict[str, Any], service: str) -> None:
    """Run the case; fail with every mismatch against what it expects."""
    answer, run = run_case(case, service)
    want = dict(expected(case))
    for key in ("message", "values"):
        if key in want:
            want[key] = run.resolve(want[key])
    problems = mismatches(answer, want)
    assert not problems, f"{case['id']} ({case.get('action')}): " + "; ".join(problems)


def differences() -> list[dict[str, Any]]:
    """Every case with a known remaining difference (chapter 10's table), by service."""
    return [dict(case, service=service) for service, cases in all_cases().items()
            for case in cases if case.get("emulator")]
