"""Function URLs: CreateFunctionUrlConfig's checks and ListFunctionUrlConfigs.

AWS: a function URL belongs to $LATEST or an alias, never to a numbered version, and a
function (or alias) has at most one. https://docs.aws.amazon.com/lambda/latest/dg/lambda-urls.html
Recorded on AWS (LocalStack ``test_lambda_api.snapshot.json``, ``TestLambdaUrl::*``): a
second URL answers ``ResourceConflictException`` (409) "Failed to create function url config
for [functionArn = ...]. Error message:  FunctionUrlConfig exists for this Lambda function";
a missing function "Function does not exist" (404), on create and on list.
https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctionUrlConfigs.html
moto replaces an existing URL and has no ListFunctionUrlConfigs.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

from moto.awslambda.exceptions import LambdaClientError, UnknownFunctionException
from moto.awslambda.models import LambdaFunction
from moto.awslambda.responses import LambdaResponse

from serverless_lab import seams
from serverless_lab.awslambda import limits


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


def _function(response: LambdaResponse) -> LambdaFunction:
    name = unquote(response.path.split("/functions/")[1].split("/")[0])
    try:
        fn: LambdaFunction = response.backend.get_function(name)
    except UnknownFunctionException:
        raise FunctionDoesNotExist() from None
    return fn


def create_url_config(self: LambdaResponse) -> Any:
    """CreateFunctionUrlConfig: not on a version; one URL per function."""
    qualifier = self.querystring.get("Qualifier", [None])[0]
    if qualifier and re.fullmatch(r"[0-9]+", qualifier):
        # The Qualifier member's pattern in the API model excludes version numbers.
        raise limits.ValidationException(
            f"Value '{qualifier}' at 'qualifier' failed to satisfy constraint: Member must "
            r"satisfy regular expression pattern: ((?!^\d+$)^[0-9a-zA-Z-_]+$)")
    fn = _function(self)
    if fn.url_config is not None:
        raise UrlConfigExists(fn.function_arn)
    return seams.original(LambdaResponse, "create_function_url_config")(self)


def list_function_url_configs(self: LambdaResponse) -> str:
    """ListFunctionUrlConfigs (an operation moto lacks)."""
    fn = _function(self)
    configs = [fn.url_config.to_dict()] if fn.url_config is not None else []
    return json.dumps({"FunctionUrlConfigs": configs})
