"""Function URLs: one per function ($LATEST) and one per alias, never on a version.

AWS: a function URL belongs to the unqualified function or to an alias, never to a numbered
version (the ``Qualifier`` pattern excludes digits), and each has at most one.
https://docs.aws.amazon.com/lambda/latest/dg/lambda-urls.html
https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunctionUrlConfig.html
https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctionUrlConfigs.html
Recorded on AWS (LocalStack ``test_lambda_api.snapshot.json``, ``TestLambdaUrl::*``): a
second URL answers ``ResourceConflictException`` (409) "Failed to create function url config
for [functionArn = ...]. Error message:  FunctionUrlConfig exists for this Lambda function";
create, update and list on a missing function "Function does not exist" (404); get, update
and delete of a URL that does not exist "The resource you requested does not exist." (404).

moto keeps one URL per function whatever the qualifier (a URL on an alias replaced the
function's), answers Get with 201 and fails (500) updating a URL that does not exist; these
seams keep the URLs per qualifier, on the function's $LATEST object.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

from moto.awslambda.exceptions import GenericResourcNotFound, LambdaClientError
from moto.awslambda.models import FunctionUrlConfig, LambdaFunction
from moto.awslambda.responses import LambdaResponse

from serverless_lab.awslambda import limits

QUALIFIER_PATTERN = r"((?!^\d+$)^[0-9a-zA-Z-_]+$)"


class FunctionDoesNotExist(LambdaClientError):
    code = 404

    def __init__(self) -> None:
        super().__init__("ResourceNotFoundException", "Function does not exist")


class UrlConfigExists(LambdaClientError):
    code = 409

    def __init__(self, arn: str) -> None:
        super().__init__("ResourceConflictException",
                         f"Failed to create function url config for [functionArn = {arn}]. "
                         "Error message:  FunctionUrlConfig exists for this Lambda function")


def _target(response: LambdaResponse,
            missing: type[FunctionDoesNotExist | GenericResourcNotFound]
            ) -> tuple[LambdaFunction, str]:
    """($LATEST, qualifier or ""), the qualifier checked as the API model checks it."""
    name = unquote(response.path.split("/functions/")[1].split("/")[0])
    qualifier = response.querystring.get("Qualifier", [""])[0]
    if qualifier and not re.fullmatch(QUALIFIER_PATTERN, qualifier):
        raise limits.ValidationException(
            f"Value '{qualifier}' at 'qualifier' failed to satisfy constraint: Member must "
            f"satisfy regular expression pattern: {QUALIFIER_PATTERN}")
    try:
        fn: LambdaFunction = response.backend.get_function(name)
        if qualifier:
            response.backend.get_alias(qualifier, fn.function_name)
    except LambdaClientError:  # the function, or the alias, does not exist
        raise missing() from None
    return fn, qualifier


def _urls(fn: LambdaFunction) -> dict[str, FunctionUrlConfig]:
    urls: dict[str, FunctionUrlConfig] | None = getattr(fn, "url_configs", None)
    if urls is None:
        urls = {}
        setattr(fn, "url_configs", urls)  # noqa: B010 - moto keeps one url_config
    return urls


def _answer(fn: LambdaFunction, qualifier: str, config: FunctionUrlConfig) -> str:
    answer: dict[str, Any] = config.to_dict()
    if qualifier:
        answer["FunctionArn"] = f"{fn.function_arn}:{qualifier}"
    return json.dumps(answer)


def _existing(response: LambdaResponse) -> tuple[LambdaFunction, str, FunctionUrlConfig]:
    fn, qualifier = _target(response, GenericResourcNotFound)
    config = _urls(fn).get(qualifier)
    if config is None:
        raise GenericResourcNotFound()
    return fn, qualifier, config


def create_url_config(self: LambdaResponse) -> tuple[int, dict[str, Any], str]:
    """CreateFunctionUrlConfig: not on a version; one URL per function or alias."""
    fn, qualifier = _target(self, FunctionDoesNotExist)
    if qualifier in _urls(fn):
        raise UrlConfigExists(fn.function_arn + (f":{qualifier}" if qualifier else ""))
    config = FunctionUrlConfig(function=fn, config=self.json_body)
    _urls(fn)[qualifier] = config
    if not qualifier:
        fn.url_config = config
    return 201, {"status": 201}, _answer(fn, qualifier, config)


def get_url_config(self: LambdaResponse) -> str:
    return _answer(*_existing(self))


def update_url_config(self: LambdaResponse) -> str:
    try:
        fn, qualifier, config = _existing(self)
    except GenericResourcNotFound:
        _target(self, FunctionDoesNotExist)  # a missing function says so
        raise
    config.update(self.json_body)
    return _answer(fn, qualifier, config)


def delete_url_config(self: LambdaResponse) -> tuple[int, dict[str, Any], str]:
    fn, qualifier, _ = _existing(self)
    del _urls(fn)[qualifier]
    if not qualifier:
        fn.url_config = None
    return 204, {"status": 204}, ""


def list_function_url_configs(self: LambdaResponse) -> str:
    """ListFunctionUrlConfigs (an operation moto lacks)."""
    fn, _ = _target(self, FunctionDoesNotExist)
    configs = [json.loads(_answer(fn, q, config)) for q, config in sorted(_urls(fn).items())]
    return json.dumps({"FunctionUrlConfigs": configs})
