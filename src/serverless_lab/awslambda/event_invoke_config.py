"""Asynchronous invocation settings: retries, maximum event age and destinations.

AWS: ``PutFunctionEventInvokeConfig`` sets ``MaximumRetryAttempts`` (0-2, default 2),
``MaximumEventAgeInSeconds`` (60-21,600, default 21,600) and ``DestinationConfig`` on a
function, a version or an alias; it replaces the whole configuration, while
``UpdateFunctionEventInvokeConfig`` changes only the fields given.
https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html
https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-configuring.html

moto keeps one list per function, ignores ``Qualifier`` and appends on every put; these
seams keep one configuration per function, version or alias instead.
"""

from __future__ import annotations

import datetime
import json
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from moto.awslambda.exceptions import (
    InvalidParameterValueException,
    LambdaClientError,
    UnknownEventConfig,
    UnknownFunctionException,
)
from moto.awslambda.models import EventInvokeConfig, LambdaFunction
from moto.awslambda.responses import LambdaResponse

from serverless_lab.awslambda import limits

DEFAULT_RETRIES = 2
DEFAULT_MAX_AGE = 21_600
_store: dict[tuple[str, str, str], dict[str, Any]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class AsyncSettings:
    """What governs one asynchronous event."""

    max_retries: int = DEFAULT_RETRIES
    max_age: int = DEFAULT_MAX_AGE
    on_success: str | None = None
    on_failure: str | None = None


def settings_for(fn: LambdaFunction, qualifier: str | None) -> AsyncSettings:
    """The configuration of the qualifier that was invoked (alias, version or $LATEST)."""
    config = _get(fn.account_id, fn.function_name, qualifier or "$LATEST")
    if config is None:
        return AsyncSettings()
    destinations = config.get("DestinationConfig") or {}
    return AsyncSettings(
        int(config.get("MaximumRetryAttempts", DEFAULT_RETRIES)),
        int(config.get("MaximumEventAgeInSeconds", DEFAULT_MAX_AGE)),
        (destinations.get("OnSuccess") or {}).get("Destination") or None,
        (destinations.get("OnFailure") or {}).get("Destination") or None)


def clear() -> None:
    with _lock:
        _store.clear()


def _get(account: str, name: str, qualifier: str) -> dict[str, Any] | None:
    with _lock:
        return _store.get((account, name, qualifier))


FIELDS = ("MaximumRetryAttempts", "MaximumEventAgeInSeconds", "DestinationConfig")


class FunctionDoesNotExist(LambdaClientError):
    """Put/Update/List on a missing function (LocalStack ``test_lambda_api.snapshot.json``,
    ``TestLambdaEventInvokeConfig::test_lambda_eventinvokeconfig_exceptions``, recorded on
    AWS); Get/Delete answer ``UnknownEventConfig``'s message instead."""

    code = 404

    def __init__(self) -> None:
        super().__init__("ResourceNotFoundException", "The function doesn't exist.")


def _target(response: LambdaResponse, reading: bool = False) -> tuple[LambdaFunction, str, str]:
    name = unquote(response.path.split("/functions/")[1].split("/")[0])
    qualifier = response.querystring.get("Qualifier", [None])[0]
    short = name.split(":function:")[-1]
    if ":" in short:
        short, qualifier = short.split(":", 1)
    backend = response.backend
    arn = (f"arn:aws:lambda:{backend.region_name}:{backend.account_id}:function:{short}:"
           f"{qualifier or '$LATEST'}")
    try:
        fn: LambdaFunction = backend.get_function(short, qualifier)
    except UnknownFunctionException:
        raise (UnknownEventConfig(arn) if reading else FunctionDoesNotExist()) from None
    return fn, qualifier or "$LATEST", arn


def _check_age(age: Any) -> None:
    """MaximumEventAgeInSeconds: 60-21,600 (moto checks only the retry attempts)."""
    if age is None:
        return
    limits.check_integers([age])
    bound = ("greater than or equal to 60" if int(age) < 60 else
             f"less than or equal to {DEFAULT_MAX_AGE}" if int(age) > DEFAULT_MAX_AGE else None)
    if bound:
        raise limits.ValidationException(f"Value '{age}' at 'maximumEventAgeInSeconds' failed to "
                                  f"satisfy constraint: Member must have value {bound}")


# Destination services (FACTS.md section 8: SQS, SNS, Lambda, EventBridge; S3 on failure).
SERVICES = {"OnSuccess": (":sqs:", ":sns:", ":lambda:", ":events:"),
            "OnFailure": (":sqs:", ":sns:", ":lambda:", ":events:", ":s3:")}


def _shown(destinations: dict[str, Any]) -> str:
    """The destination config as AWS's message prints it (Java's toString)."""
    def side(key: str, label: str) -> str:
        arn = (destinations.get(key) or {}).get("Destination")
        return f"{label}(destination={arn})" if arn else "null"
    return (f"DestinationConfig(onSuccess={side('OnSuccess', 'OnSuccess')}, "
            f"onFailure={side('OnFailure', 'OnFailure')})")


def _check_services(destinations: dict[str, Any]) -> None:
    """A destination of another service: "The provided destination config
    DestinationConfig(onSuccess=OnSuccess(destination=arn:aws:iam:...), onFailure=null) is
    invalid." (same recording, put_destination_invalid_service_arn)."""
    for key, allowed in SERVICES.items():
        arn = str((destinations.get(key) or {}).get("Destination") or "")
        if arn.startswith("arn:") and not any(service in arn for service in allowed):
            raise InvalidParameterValueException(
                f"The provided destination config {_shown(destinations)} is invalid.")


def _check_destinations(fn: LambdaFunction, response: LambdaResponse,
                        config: dict[str, Any]) -> None:
    """A Lambda destination must exist and must not be the function itself (same record)."""
    _check_services(config.get("DestinationConfig") or {})
    for target in (config.get("DestinationConfig") or {}).values():
        arn = str((target or {}).get("Destination") or "")
        if ":lambda:" not in arn or ":function:" not in arn:
            continue
        name = arn.split(":function:")[1].split(":")[0]
        if name == fn.function_name:
            raise InvalidParameterValueException(
                "You can't specify the function as a destination for itself.")
        try:
            response.backend.get_function(arn)
        except UnknownFunctionException:
            raise InvalidParameterValueException(
                f"The destination ARN {arn} is invalid.") from None


def _save(response: LambdaResponse, merge: bool) -> str:
    fn, qualifier, arn = _target(response)
    key = (fn.account_id, fn.function_name, qualifier)
    body = {k: v for k, v in response.json_body.items() if k in FIELDS}
    if not body:
        raise InvalidParameterValueException(
            "You must specify at least one of error handling or destination setting.")
    _check_age(body.get("MaximumEventAgeInSeconds"))
    if merge and _get(*key) is None:
        raise UnknownEventConfig(arn)
    config = {**(_get(*key) or {}), **body} if merge else body
    _check_destinations(fn, response, config)
    EventInvokeConfig(arn, "", config)  # moto's validation of ranges and destination ARNs
    stamped = {"LastModified": datetime.datetime.now(datetime.timezone.utc).timestamp(),
               "FunctionArn": arn, **config}
    with _lock:
        _store[key] = stamped
    return json.dumps(stamped)


def put_config(self: LambdaResponse) -> str:
    return _save(self, merge=False)


def update_config(self: LambdaResponse) -> str:
    return _save(self, merge=True)


def get_config(self: LambdaResponse) -> str:
    fn, qualifier, arn = _target(self, reading=True)
    config = _get(fn.account_id, fn.function_name, qualifier)
    if config is None:
        raise UnknownEventConfig(arn)
    return json.dumps(config)


def delete_config(self: LambdaResponse) -> tuple[int, dict[str, Any], str]:
    fn, qualifier, arn = _target(self, reading=True)
    with _lock:
        if _store.pop((fn.account_id, fn.function_name, qualifier), None) is None:
            raise UnknownEventConfig(arn)
    return 204, {"status": 204}, ""


def list_configs(self: LambdaResponse) -> str:
    fn, _, _ = _target(self)
    with _lock:
        configs = [c for (account, name, _), c in sorted(_store.items())
                   if (account, name) == (fn.account_id, fn.function_name)]
    return json.dumps({"FunctionEventInvokeConfigs": configs})
