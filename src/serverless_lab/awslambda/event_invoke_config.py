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

from moto.awslambda.exceptions import UnknownEventConfig
from moto.awslambda.models import EventInvokeConfig, LambdaFunction
from moto.awslambda.responses import LambdaResponse

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


def _target(response: LambdaResponse) -> tuple[LambdaFunction, str, str]:
    name = unquote(response.path.split("/functions/")[1].split("/")[0])
    qualifier = response.querystring.get("Qualifier", [None])[0]
    short = name.split(":function:")[-1]
    if ":" in short:
        short, qualifier = short.split(":", 1)
    fn: LambdaFunction = response.backend.get_function(short, qualifier)
    arn = fn.function_arn.split(":function:")[0] + f":function:{short}:{qualifier or '$LATEST'}"
    return fn, qualifier or "$LATEST", arn


def _save(response: LambdaResponse, merge: bool) -> str:
    fn, qualifier, arn = _target(response)
    key = (fn.account_id, fn.function_name, qualifier)
    body = {k: v for k, v in response.json_body.items()
            if k in ("MaximumRetryAttempts", "MaximumEventAgeInSeconds", "DestinationConfig")}
    config = {**(_get(*key) or {}), **body} if merge else body
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
    fn, qualifier, arn = _target(self)
    config = _get(fn.account_id, fn.function_name, qualifier)
    if config is None:
        raise UnknownEventConfig(arn)
    return json.dumps(config)


def delete_config(self: LambdaResponse) -> tuple[int, dict[str, Any], str]:
    fn, qualifier, arn = _target(self)
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
