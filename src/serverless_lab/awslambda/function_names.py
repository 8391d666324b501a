"""Function names and ARNs: which function a name reaches, and what a request body must be.

AWS: a function is named by its name, its full ARN or a partial ARN
(``123456789012:function:my-function``); "The length constraint applies only to the full
ARN. If you specify only the function name, it is limited to 64 characters in length."
https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html

A full ARN of another Region does not reach this Region's function: Lambda answers
``ResourceNotFoundException`` "Functions from 'eu-west-1' are not reachable in this region
('us-east-1')"; one of another account answers ``AccessDeniedException`` (403) (LocalStack
``test_lambda_api.snapshot.json``, ``TestLambdaFunction::test_get_function_wrong_region`` and
``::test_function_arns``, recorded on AWS; a name that fails the member's pattern, such as
``invalid:function:name``, answers ``ValidationException``). moto finds the local function by its name in
either case and runs it.

A request body that is not UTF-8 is refused with ``InvalidRequestContentException`` (400)
"Could not parse request body into json: Could not parse payload into json: Invalid UTF-8
start byte 0x87 ..." (``TestLambdaErrors::test_lambda_invoke_payload_encoding_error``);
moto's dispatcher fails decoding it (an HTML 500).
"""

from __future__ import annotations

import re
from typing import Any

from moto.awslambda.exceptions import InvalidParameterValueException, LambdaClientError
from moto.awslambda.models import LambdaBackend, LambdaFunction
from moto.awslambda.responses import LambdaResponse

from serverless_lab import seams
from serverless_lab.awslambda.limits import ValidationException, check_enum

ARN = re.compile(r"arn:(?P<partition>aws[a-zA-Z-]*):lambda:(?P<region>[a-z0-9-]+):"
                 r"(?P<account>\d{12}):function:(?P<name>[^:]+)(:(?P<qualifier>.+))?")
PARTIAL = re.compile(r"(?P<account>\d{12}):function:(?P<name>[^:]+)(:(?P<qualifier>.+))?")
NAME_LIMIT = 64
NAME_PATTERN = (r"(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-"
                r"\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?")
SOURCE_NOTE = ("\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` "
               "disabled); line: 1, column: {column}]")


class AccessDeniedException(LambdaClientError):
    code = 403

    def __init__(self, arn: str) -> None:
        super().__init__("AccessDeniedException",
                         f"The function {arn} belongs to another account; this account has "
                         "no access to it.")


class NotReachable(LambdaClientError):
    code = 404

    def __init__(self, region: str, here: str) -> None:
        super().__init__("ResourceNotFoundException", f"Functions from '{region}' are not "
                         f"reachable in this region ('{here}')")


class InvalidRequestContentException(LambdaClientError):
    def __init__(self, detail: str) -> None:
        super().__init__("InvalidRequestContentException",
                         f"Could not parse request body into json: Could not parse payload "
                         f"into json: {detail}")


def check_reachable(backend: LambdaBackend, name_or_arn: str) -> None:
    """Refuse an ARN of another Region or account, as AWS does."""
    found = ARN.fullmatch(name_or_arn) or PARTIAL.fullmatch(name_or_arn)
    if found is None:
        return
    region = found.groupdict().get("region")
    if region and region != backend.region_name:
        raise NotReachable(region, backend.region_name)
    if found.group("account") != backend.account_id:
        raise AccessDeniedException(name_or_arn)


def check_name_length(name: str) -> None:
    """A bare function name has at most 64 characters (recorded as an
    InvalidParameterValueException carrying a validation message)."""
    if ":" not in name and len(name) > NAME_LIMIT:
        raise InvalidParameterValueException(
            f"1 validation error detected: Value '{name}' at 'functionName' failed to satisfy "
            f"constraint: Member must have length less than or equal to {NAME_LIMIT}")


def get_function(self: LambdaBackend, function_name_or_arn: str,
                 qualifier: str | None = None) -> LambdaFunction:
    """LambdaBackend.get_function, for names this Region and account can reach; a partial
    ARN (``123456789012:function:fn``), which moto cannot split, is read as its name."""
    if not re.fullmatch(NAME_PATTERN, function_name_or_arn):
        raise ValidationException(
            f"Value '{function_name_or_arn}' at 'functionName' failed to satisfy constraint: "
            f"Member must satisfy regular expression pattern: {NAME_PATTERN}")
    check_reachable(self, function_name_or_arn)
    partial = PARTIAL.fullmatch(function_name_or_arn)
    if partial:
        function_name_or_arn = partial.group("name")
        qualifier = qualifier or partial.group("qualifier")
    fn: LambdaFunction = seams.original(LambdaBackend, "get_function")(
        self, function_name_or_arn, qualifier)
    return fn


def setup_class(self: LambdaResponse, *args: Any, **kwargs: Any) -> Any:
    """BaseResponse.setup_class, with a body that is not UTF-8 refused as AWS refuses it."""
    try:
        return seams.original(LambdaResponse, "setup_class")(self, *args, **kwargs)
    except UnicodeDecodeError as error:
        byte = error.object[error.start]
        raise InvalidRequestContentException(
            f"Invalid UTF-8 start byte 0x{byte:02x}"
            + SOURCE_NOTE.format(column=error.start + 1)) from None


def list_functions(self: LambdaResponse) -> Any:
    """ListFunctions: ``FunctionVersion`` is ALL or absent (LocalStack
    ``TestLambdaFunction::test_list_functions``, recorded on AWS)."""
    check_enum("functionVersion", self.querystring.get("FunctionVersion", [None])[0],
                      ("ALL",))
    return seams.original(LambdaResponse, "list_functions")(self)
