"""Lambda quotas and validation rules, in one table, each row naming its AWS page.

moto validates almost none of these (Timeout 901, 60 MB zips, 6 layers and 6.6 KB of
environment variables all pass). Every check here raises the exception AWS raises, with
AWS's message where one was recorded (../shared/AWS-RESPONSES.md, section 5).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from moto.awslambda.exceptions import InvalidParameterValueException, LambdaClientError

QUOTAS_PAGE = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html"
CREATE_PAGE = "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html"
ENVVARS_PAGE = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html"
INVOKE_PAGE = "https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html"


@dataclass(frozen=True)
class Range:
    """A numeric setting and its allowed range."""

    parameter: str  # the API's member name, as AWS's validation messages spell it
    minimum: int
    maximum: int
    unit: str
    page: str


RANGES = {
    "MemorySize": Range("memorySize", 128, 10_240, "MB", QUOTAS_PAGE),
    "Timeout": Range("timeout", 1, 900, "s", CREATE_PAGE),
    "EphemeralStorage": Range("ephemeralStorage.size", 512, 10_240, "MB", QUOTAS_PAGE),
}
ENVIRONMENT_BYTES = 4096  # all variables together, measured as compact JSON (ENVVARS_PAGE)
MAX_LAYERS = 5  # QUOTAS_PAGE
ZIPPED_DIRECT_UPLOAD = 52_428_800  # 50 MB through the API; larger from S3 (QUOTAS_PAGE)
UNZIPPED_TOTAL = 262_144_000  # 250 MB, function code plus all layers (QUOTAS_PAGE)
SYNC_PAYLOAD = 6 * 1024 * 1024  # 6 MB request (INVOKE_PAGE)
ASYNC_PAYLOAD = 1024 * 1024  # 1 MB request for InvocationType=Event (INVOKE_PAGE)

# The runtimes CreateFunction accepts, as listed in AWS's own validation message.
RUNTIMES = ("nodejs20.x, python3.14, provided.al2023, python3.12, python3.13, nodejs24.x, "
            "nodejs22.x, java25, python3.10, python3.11, java21, ruby3.3, ruby3.4, ruby3.2, "
            "python3.8, python3.9, java17, nodejs16.x, dotnet10, dotnet8, java11, dotnet6, "
            "nodejs18.x, provided.al2, java8.al2").split(", ")
DEPRECATED_RUNTIMES = ("python3.7", "python3.6", "python2.7", "nodejs14.x", "nodejs12.x",
                       "nodejs10.x", "dotnetcore3.1", "ruby2.7", "java8", "go1.x", "provided")

# Keys Lambda sets itself and refuses in a function's configuration (ENVVARS_PAGE).
RESERVED_KEYS = ("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION",
                 "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
                 "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
                 "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
                 "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID",
                 "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API",
                 "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR")
KEY_PATTERN = r"[a-zA-Z]([a-zA-Z0-9_])+"
HANDLER_PATTERN = r"[^\s]+"
HANDLER_LENGTH = 128
ROLE_PATTERN = r"arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+"


class ValidationException(LambdaClientError):
    def __init__(self, message: str) -> None:
        super().__init__("ValidationException", f"1 validation error detected: {message}")


class SerializationException(LambdaClientError):
    """A string where the API model has an integer: AWS answers 400 "STRING_VALUE can not be
    converted to an Integer" (a response quoted in
    https://github.com/aarondfrancis/sidecar/issues/28, PUT .../configuration)."""

    def __init__(self) -> None:
        super().__init__("SerializationException",
                         "STRING_VALUE can not be converted to an Integer")


class RequestEntityTooLargeException(LambdaClientError):
    code = 413

    def __init__(self, message: str) -> None:
        super().__init__("RequestEntityTooLargeException", message)


class RequestTooLargeException(LambdaClientError):
    code = 413

    def __init__(self, limit: int) -> None:
        super().__init__("RequestTooLargeException", f"Request must be smaller than {limit} "
                         "bytes for the InvokeFunction operation")


def check_range(name: str, value: Any) -> None:
    limit = RANGES[name]
    if value is None:
        return
    if int(value) > limit.maximum:
        raise ValidationException(f"Value '{value}' at '{limit.parameter}' failed to satisfy "
                                  f"constraint: Member must have value less than or equal to "
                                  f"{limit.maximum}")
    if int(value) < limit.minimum:
        raise ValidationException(f"Value '{value}' at '{limit.parameter}' failed to satisfy "
                                  f"constraint: Member must have value greater than or equal "
                                  f"to {limit.minimum}")


def check_integers(values: list[Any]) -> None:
    """Integer members given as text (``MemorySize: "abc"``, or even ``"256"``)."""
    if any(isinstance(value, str) for value in values):
        raise SerializationException()


def check_handler(handler: Any) -> None:
    """Handler: at most 128 characters matching ``[^\\s]+`` (CREATE_PAGE)."""
    if handler is None:
        return
    if not re.fullmatch(HANDLER_PATTERN, str(handler)):
        raise ValidationException(f"Value '{handler}' at 'handler' failed to satisfy "
                                  "constraint: Member must satisfy regular expression "
                                  f"pattern: {HANDLER_PATTERN}")
    if len(str(handler)) > HANDLER_LENGTH:
        raise ValidationException(f"Value '{handler}' at 'handler' failed to satisfy "
                                  "constraint: Member must have length less than or equal "
                                  f"to {HANDLER_LENGTH}")


def check_role(role: Any) -> None:
    """Role: an IAM role ARN (recorded: ``test_create_lambda_exceptions``)."""
    if role is not None and not re.fullmatch(ROLE_PATTERN, str(role)):
        raise ValidationException(f"Value '{role}' at 'role' failed to satisfy constraint: "
                                  f"Member must satisfy regular expression pattern: "
                                  f"{ROLE_PATTERN}")


def check_code(spec: Mapping[str, Any]) -> None:
    """CreateFunction without a package: "Please provide a source for function code."
    (AWS's answer as quoted in https://github.com/aws/aws-sdk-go/issues/2183; moto failed
    with a 500 and kept half a function)."""
    code = spec.get("Code") or {}
    if spec.get("PackageType", "Zip") == "Image":
        present = code.get("ImageUri")
    else:
        present = code.get("ZipFile") or code.get("S3Bucket")
    if not present:
        raise InvalidParameterValueException("Please provide a source for function code.")


def check_enum(member: str, value: Any, allowed: tuple[str, ...]) -> None:
    """A value outside the API model's enum, in AWS's validation wording."""
    if value is not None and value not in allowed:
        raise ValidationException(f"Value '{value}' at '{member}' failed to satisfy "
                                  "constraint: Member must satisfy enum value set: "
                                  f"[{', '.join(allowed)}]")


def check_runtime(runtime: str | None) -> None:
    if runtime is None or runtime in RUNTIMES:
        return
    if runtime in DEPRECATED_RUNTIMES:
        raise InvalidParameterValueException(
            f"The runtime parameter of {runtime} is no longer supported for creating or "
            "updating AWS Lambda functions. We recommend you use a supported runtime while "
            "creating or updating functions.")
    raise InvalidParameterValueException(
        f"Value {runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum "
        f"value set: [{', '.join(RUNTIMES)}] or be a valid ARN")


def check_environment(variables: Mapping[str, str] | None) -> None:
    if not variables:
        return
    if any(not re.fullmatch(KEY_PATTERN, key) for key in variables):
        raise ValidationException(
            "Value at 'environment.variables' failed to satisfy constraint: Map keys must "
            f"satisfy constraint: [Member must satisfy regular expression pattern: {KEY_PATTERN}]")
    reserved = [key for key in variables if key in RESERVED_KEYS]
    if reserved:
        raise InvalidParameterValueException(
            "Lambda was unable to configure your environment variables because the "
            "environment variables you have provided contains reserved keys that are "
            f"currently not supported for modification. Reserved keys used in this request: "
            f"{', '.join(reserved)}")
    measured = json.dumps(dict(variables), separators=(",", ":"))
    if len(measured.encode()) > ENVIRONMENT_BYTES:
        raise InvalidParameterValueException(
            "Lambda was unable to configure your environment variables because the "
            "environment variables you have provided exceeded the 4KB limit. String "
            f"measured: {measured}")


def check_layers(layers: list[Any] | None) -> None:
    if layers and len(layers) > MAX_LAYERS:
        raise InvalidParameterValueException(f"Cannot reference more than {MAX_LAYERS} layers.")


def check_direct_upload(zipped: bytes) -> None:
    if len(zipped) >= ZIPPED_DIRECT_UPLOAD:
        raise RequestEntityTooLargeException(
            f"Zipped size must be smaller than {ZIPPED_DIRECT_UPLOAD} bytes")


def unzipped_size(zipped: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        return sum(info.file_size for info in archive.infolist())


def check_unzipped(total: int) -> None:
    if total >= UNZIPPED_TOTAL:
        raise InvalidParameterValueException(
            f"Unzipped size must be smaller than {UNZIPPED_TOTAL} bytes")


def check_configuration(spec: Mapping[str, Any]) -> None:
    """Every rule that applies to a CreateFunction or UpdateFunctionConfiguration body."""
    check_integers([spec.get("MemorySize"), spec.get("Timeout"),
                    (spec.get("EphemeralStorage") or {}).get("Size")])
    check_handler(spec.get("Handler"))
    check_role(spec.get("Role"))
    check_enum("tracingConfig.mode", (spec.get("TracingConfig") or {}).get("Mode"),
               ("Active", "PassThrough"))
    check_range("MemorySize", spec.get("MemorySize"))
    check_range("Timeout", spec.get("Timeout"))
    check_range("EphemeralStorage", (spec.get("EphemeralStorage") or {}).get("Size"))
    check_runtime(spec.get("Runtime"))
    check_environment((spec.get("Environment") or {}).get("Variables"))
    check_layers(spec.get("Layers"))


def check_payload(payload: bytes, asynchronous: bool) -> None:
    limit = ASYNC_PAYLOAD if asynchronous else SYNC_PAYLOAD
    if len(payload) > limit:
        raise RequestTooLargeException(limit)
