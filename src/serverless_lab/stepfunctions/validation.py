"""Step Functions' request checks, with AWS's error codes and messages.

AWS checks each request against the API's model before the service sees it: a member over
its length or outside its enum gives ``ValidationException`` and ``1 validation error
detected: Value '<value>' at '<member>' failed to satisfy constraint: ...``; the value is left
out for a sensitive member (a definition, an execution input): ``Value at '<member>' ...``
(the form LocalStack recorded on AWS, e.g. ``test_sfn_api.snapshot.json``
``TestSnfApi::test_list_sms_pagination`` and ``kms/test_kms.snapshot.json``). The limits are
the model's (botocore's ``stepfunctions`` service model): a name is 1-80 characters, a
definition at most 1,048,576, an execution input at most 262,144 bytes ("Length constraints
apply to the payload size, and are expressed as bytes in UTF-8 encoding"), ``maxResults`` at
most 1000.
https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html

A value that is not an ARN at all is refused with ``InvalidArn`` and ``Invalid Arn: 'Invalid
ARN prefix: <value>'`` by every action (``TestSnfApi::test_describe_invalid_arn_sm``,
``test_describe_execution_invalid_arn``, ``test_sfn_api_activities.snapshot.json``).

AWS parses JSON with Jackson, whose messages a learner sees inside ``InvalidExecutionInput``
and ``InvalidDefinition``; ``json_problem`` words the common mistakes as Jackson does
(``TestSnfApi::test_invalid_start_execution_input``, AWS-RESPONSES.md 6d) and falls back to
Python's words for the rest.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from moto.core.exceptions import JsonRESTError

MAX_NAME = 80
MAX_DEFINITION = 1048576
MAX_INPUT = 262144
MAX_RESULTS = 1000
MAX_NESTING = 1000
STATUSES = ("SUCCEEDED", "TIMED_OUT", "PENDING_REDRIVE", "ABORTED", "FAILED", "RUNNING")
EXPECTING = ("was expecting (JSON String, Number, Array, Object or token 'null', 'true' or "
             "'false')")


class ValidationException(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("ValidationException", message)


class InvalidArn(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("InvalidArn", message)


class InvalidExecutionInput(JsonRESTError):
    def __init__(self, detail: str) -> None:
        super().__init__("InvalidExecutionInput",
                         f"Invalid State Machine Execution Input: '{detail}'")


def constraint(member: str, value: Any, rule: str, sensitive: bool = False) -> ValidationException:
    """AWS's model-validation error for one member."""
    shown = "Value" if sensitive else f"Value '{value}'"
    return ValidationException(
        f"1 validation error detected: {shown} at '{member}' failed to satisfy constraint: {rule}")


def check_length(member: str, value: str | None, limit: int, sensitive: bool = False,
                 as_bytes: bool = False) -> None:
    """A string member over its maximum length."""
    if value is None:
        return
    size = len(value.encode()) if as_bytes else len(value)
    if size > limit:
        raise constraint(member, value, f"Member must have length less than or equal to {limit}",
                         sensitive)


def check_max_results(value: Any) -> None:
    if value is not None and int(value) > MAX_RESULTS:
        raise constraint("maxResults", value,
                         f"Member must have value less than or equal to {MAX_RESULTS}")


def check_status_filter(value: str | None) -> None:
    if value is not None and value not in STATUSES:
        raise constraint("statusFilter", value,
                         f"Member must satisfy enum value set: [{', '.join(STATUSES)}]")


def check_arn_prefix(arn: str | None) -> None:
    """A value that does not start like an ARN (``arn:``)."""
    if arn is not None and not str(arn).startswith("arn:"):
        raise InvalidArn(f"Invalid Arn: 'Invalid ARN prefix: {arn}'")


def validate_arn(self: Any, arn: str, regex: Any, invalid_msg: str) -> None:
    """Replacement for ``StepFunctionBackend._validate_arn``: AWS's prefix message first, then
    moto's own check of the ARN's form."""
    from moto.stepfunctions.models import StepFunctionBackend

    from serverless_lab import seams

    check_arn_prefix(arn)
    seams.original(StepFunctionBackend, "_validate_arn")(self, arn, regex, invalid_msg)


@dataclass
class JsonProblem:
    """Why a text is not JSON: Jackson's words, and where (``[Source: ...]``)."""

    detail: str
    location: str


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _jackson_detail(text: str, start: int) -> tuple[str, int] | None:
    """Jackson's message for an unquoted word or a field name not in double quotes, and the
    offset its report points at."""
    word = re.match(r"[A-Za-z_$][\w$]*", text[start:])
    if word and word.group() not in ("true", "false", "null"):
        return f"Unrecognized token '{word.group()}': {EXPECTING}", start + len(word.group())
    field = re.match(r"\{\s*([^\"}\s])", text[start:])
    if field:
        char = field.group(1)
        return (f"Unexpected character ('{char}' (code {ord(char)})): was expecting "
                "double-quote to start field name"), start + field.end()
    return None


def nesting_depth(text: str) -> int:
    """How deep arrays and objects nest (outside strings)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def json_problem(text: str) -> JsonProblem | None:
    """None when ``text`` is JSON; else why not, worded as Jackson (AWS's parser) words it."""
    if text.count("[") + text.count("{") > MAX_NESTING and nesting_depth(text) > MAX_NESTING:
        return JsonProblem(f"Document nesting depth ({MAX_NESTING + 1}) exceeds the maximum "
                           f"allowed ({MAX_NESTING}, from `StreamReadConstraints."
                           "getMaxNestingDepth()`)", "")
    try:
        json.loads(text)
        return None
    except RecursionError:
        # Depth within AWS's 1,000 but beyond Python's recursion limit (about 900 levels in a
        # server thread): still refused, as a 400, in the emulator's own words.
        return JsonProblem("Document nesting depth exceeds what the emulator can parse "
                           f"(AWS allows {MAX_NESTING})", "")
    except ValueError as exc:
        start = len(text) - len(text.lstrip())
        found = _jackson_detail(text, start)
        detail, index = found if found else (str(exc), getattr(exc, "pos", 0))
        line, column = _position(text, index)
        return JsonProblem(detail, f'[Source: (String)"{text[:500]}"; line: {line}, '
                                   f"column: {column}]")


def check_execution_input(text: str | None) -> None:
    """StartExecution's input must be JSON: "InvalidExecutionInput: The provided JSON input
    data is not valid." An empty input is refused with "Invalid execution input."
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html"""
    if text is None:
        return
    check_length("input", text, MAX_INPUT, sensitive=True, as_bytes=True)
    if not text.strip():
        raise InvalidExecutionInput("Invalid execution input.")
    problem = json_problem(text)
    if problem:
        raise InvalidExecutionInput(problem.detail)


MAX_TAG_KEY = 128
MAX_TAG_VALUE = 256


def _check_tag(index: int, tag: Any) -> None:
    """One tag of a ``tags`` list (1-based ``index``, as AWS's messages count members)."""
    for part, least, most in (("key", 1, MAX_TAG_KEY), ("value", 0, MAX_TAG_VALUE)):
        member = f"tags.{index}.member.{part}"
        value = tag.get(part) if isinstance(tag, dict) else None
        if not isinstance(value, str):
            raise ValidationException(f"1 validation error detected: Value null at '{member}' "
                                      "failed to satisfy constraint: Member must not be null")
        if len(value) < least:
            raise constraint(member, value,
                             f"Member must have length greater than or equal to {least}")
        check_length(member, value, most)


def check_tags(tags: Any) -> None:
    """A tag is a ``key`` of 1-128 characters and a ``value`` of 0-256 (the Tag data type,
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_Tag.html); a length
    outside them is the model's ValidationException. A tag without its key or value cannot be
    stored: the emulator refuses it with a ValidationException in the words AWS uses for a
    missing member (``Member must not be null``); no answer of AWS to it is recorded."""
    for index, tag in enumerate(tags if isinstance(tags, list) else [], start=1):
        _check_tag(index, tag)
