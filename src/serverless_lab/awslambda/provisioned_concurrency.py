"""Provisioned concurrency configs: Put/Get/Delete/ListProvisionedConcurrencyConfig(s).

AWS: provisioned concurrency is set on "a function's alias or version", never on $LATEST
(``Qualifier`` is required; ``ProvisionedConcurrentExecutions`` is at least 1). Put answers
202 with ``Status`` ``IN_PROGRESS`` while Lambda prepares the environments, then ``READY``.
https://docs.aws.amazon.com/lambda/latest/dg/API_PutProvisionedConcurrencyConfig.html
https://docs.aws.amazon.com/lambda/latest/api/API_ProvisionedConcurrencyConfigListItem.html
Errors as recorded on AWS (LocalStack ``test_lambda_api.snapshot.json``,
``TestLambdaProvisionedConcurrency::test_provisioned_concurrency_exceptions``): $LATEST on
Put "Provisioned Concurrency Configs cannot be applied to unpublished function versions.",
on Get/Delete "The function resource provided must be an alias or a published version.";
a missing alias "Cannot find alias arn: ...", a missing version "Function not found: ...";
no config ``ProvisionedConcurrencyConfigNotFoundException`` (404); a config on an alias
whose version has one, or on a version an alias with one points at, ``ResourceConflictException``
(409, ``::test_lambda_provisioned_lifecycle``).

The emulator's difference (chapter 10's table): the status is ``READY`` at once, and no
environment is kept warm for it (the next invocation still starts cold). moto has none of
these operations; the configs live on the function's $LATEST object, so they go with it.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any
from urllib.parse import unquote

from moto.awslambda.exceptions import (
    InvalidParameterValueException,
    LambdaClientError,
    UnknownAliasException,
)
from moto.awslambda.models import LambdaFunction
from moto.awslambda.responses import LambdaResponse

from serverless_lab.awslambda import account_settings, limits
from serverless_lab.awslambda.versions import ResourceConflictException

LATEST_PUT = "Provisioned Concurrency Configs cannot be applied to unpublished function versions."
LATEST_READ = "The function resource provided must be an alias or a published version."


class ProvisionedConcurrencyConfigNotFoundException(LambdaClientError):
    code = 404

    def __init__(self) -> None:
        super().__init__("ProvisionedConcurrencyConfigNotFoundException",
                         "No Provisioned Concurrency Config found for this function")


def _name(response: LambdaResponse) -> str:
    name = unquote(response.path.split("/functions/")[1].split("/")[0])
    return name.split(":function:")[-1].split(":")[0]


def _qualifier(response: LambdaResponse, latest_message: str) -> str:
    qualifier = response.querystring.get("Qualifier", [""])[0]
    if qualifier == "$LATEST":
        raise InvalidParameterValueException(latest_message)
    return str(qualifier)


def _latest(response: LambdaResponse, name: str, qualifier: str) -> LambdaFunction:
    """$LATEST of the function, once the qualifier is known to name a version or alias."""
    backend = response.backend
    if re.fullmatch(r"[0-9]+", qualifier):
        backend.get_function(name, qualifier)  # "Function not found: ...:10"
    else:
        arn = f"arn:aws:lambda:{backend.region_name}:{backend.account_id}:function:{name}"
        if name not in backend._lambdas._functions or \
                qualifier not in backend._lambdas._get_function_aliases(name):
            raise UnknownAliasException(f"{arn}:{qualifier}")
    latest: LambdaFunction = backend.get_function(name)
    return latest


def _configs(latest: LambdaFunction) -> dict[str, dict[str, Any]]:
    configs: dict[str, dict[str, Any]] | None = getattr(latest, "provisioned_configs", None)
    if configs is None:
        configs = {}
        setattr(latest, "provisioned_configs", configs)  # noqa: B010 - moto lacks it
    return configs


def _requested(response: LambdaResponse) -> int:
    value = json.loads(response.body or "{}").get("ProvisionedConcurrentExecutions")
    limits.check_integers([value])
    if value is None or int(value) < 1:
        raise limits.ValidationException(
            f"Value '{value}' at 'provisionedConcurrentExecutions' failed to satisfy "
            "constraint: Member must have value greater than or equal to 1")
    return int(value)


def _check_overlap(response: LambdaResponse, latest: LambdaFunction, qualifier: str) -> None:
    """A version and an alias pointing at it cannot both have a config (409, recorded in
    ``TestLambdaProvisionedConcurrency::test_lambda_provisioned_lifecycle``)."""
    configs = _configs(latest)
    aliases = response.backend._lambdas._get_function_aliases(latest.function_name)
    if qualifier in aliases and str(aliases[qualifier].function_version) in configs:
        raise ResourceConflictException("Alias can't be used for Provisioned Concurrency "
                                        "configuration on an already Provisioned version")
    if any(str(alias.function_version) == qualifier and name in configs
           for name, alias in aliases.items()):
        raise ResourceConflictException("Version is pointed by a Provisioned Concurrency alias")


def _check_account(response: LambdaResponse, name: str, qualifier: str, value: int) -> None:
    provisioned = sum(config["RequestedProvisionedConcurrentExecutions"]
                      for entry in response.backend._lambdas._functions.values()
                      for q, config in _configs(entry["latest"]).items()
                      if (entry["latest"].function_name, q) != (name, qualifier))
    reserved = account_settings.reserved_elsewhere(response.backend, "")
    free = account_settings.CONCURRENT_EXECUTIONS - reserved - provisioned - value
    if free < account_settings.UNRESERVED_MINIMUM:
        raise InvalidParameterValueException(
            "Specified ConcurrentExecutions for function decreases account's "
            "UnreservedConcurrentExecution below its minimum value of "
            f"[{account_settings.UNRESERVED_MINIMUM}].")


def put_provisioned_concurrency_config(self: LambdaResponse) -> tuple[int, dict[str, Any], str]:
    name, qualifier = _name(self), _qualifier(self, LATEST_PUT)
    value = _requested(self)
    latest = _latest(self, name, qualifier)
    _check_overlap(self, latest, qualifier)
    _check_account(self, name, qualifier, value)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+0000")
    config = {"RequestedProvisionedConcurrentExecutions": value,
              "AvailableProvisionedConcurrentExecutions": value,
              "AllocatedProvisionedConcurrentExecutions": value,
              "Status": "READY", "LastModified": stamp}
    _configs(latest)[qualifier] = config
    return 202, {"status": 202}, json.dumps(config)


def get_provisioned_concurrency_config(self: LambdaResponse) -> str:
    name, qualifier = _name(self), _qualifier(self, LATEST_READ)
    config = _configs(_latest(self, name, qualifier)).get(qualifier)
    if config is None:
        raise ProvisionedConcurrencyConfigNotFoundException()
    return json.dumps(config)


def delete_provisioned_concurrency_config(self: LambdaResponse) -> tuple[int, dict[str, Any], str]:
    name, qualifier = _name(self), _qualifier(self, LATEST_READ)
    if _configs(_latest(self, name, qualifier)).pop(qualifier, None) is None:
        raise ProvisionedConcurrencyConfigNotFoundException()
    return 204, {"status": 204}, ""


def list_provisioned_concurrency_configs(self: LambdaResponse) -> str:
    latest: LambdaFunction = self.backend.get_function(_name(self))
    base = latest.function_arn.split(":function:")[0] + f":function:{latest.function_name}"
    items = [{"FunctionArn": f"{base}:{qualifier}", **config}
             for qualifier, config in sorted(_configs(latest).items())]
    return json.dumps({"ProvisionedConcurrencyConfigs": items})
