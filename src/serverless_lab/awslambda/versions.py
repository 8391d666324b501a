"""Versions and aliases: what an alias may point at, and weighted routing between versions.

AWS: an alias points to one version, or to two during traffic shifting; it cannot point to
another alias. With ``RoutingConfig.AdditionalVersionWeights`` it sends the given share
(0.0-1.0) of invocations to one additional version; both versions must be published (not
``$LATEST``), have the same execution role and the same dead-letter queue configuration.
Routing is probabilistic.
https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html
https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html

The emulator draws each routing decision from one seeded generator per lab, so a lab that
invokes an alias 1,000 times sees the same counts on every run.
"""

from __future__ import annotations

import random
import re
import threading
from typing import Any

from moto.awslambda.exceptions import (
    ConflictException,
    InvalidParameterValueException,
    LambdaClientError,
)
from moto.awslambda.models import LambdaAlias, LambdaBackend, LambdaFunction

from serverless_lab import seams
from serverless_lab.awslambda import function_names
from serverless_lab.awslambda.limits import ValidationException

VERSION_PATTERN = r"(\$LATEST|[0-9]+)"
ALIAS_PATTERN = r"(?!^[0-9]+$)([a-zA-Z0-9-_]+)"
WEIGHTS_MEMBER = "routingConfig.additionalVersionWeights"


class Routing:
    """The seeded generator behind weighted aliases (``Settings.seed``)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def reset(self) -> None:
        with self._lock:
            self._random.seed(self.seed)

    def pick(self, primary: str, weights: dict[str, float]) -> str:
        """The version one invocation runs: the additional one with its weight."""
        [(additional, weight)] = weights.items()
        with self._lock:
            draw = self._random.random()
        return additional if draw < float(weight) else primary


def _functions(backend: LambdaBackend) -> dict[str, Any]:
    functions: dict[str, Any] = backend._lambdas._functions
    return functions


def reserved_concurrency(fn: LambdaFunction) -> int | None:
    """Reserved concurrency applies to the whole function, every version and alias."""
    from moto.awslambda.models import lambda_backends

    entry = _functions(lambda_backends[fn.account_id][fn.region]).get(fn.function_name)
    latest = entry["latest"] if entry else fn
    value = latest.reserved_concurrency
    return None if value is None else int(value)


def resolve(backend: LambdaBackend, name: str, qualifier: str | None,
            routing: Routing) -> LambdaFunction:
    """The function version an Invoke of ``name:qualifier`` runs, alias weights applied."""
    fn: LambdaFunction = backend.get_function(name, qualifier)
    alias = _alias(backend, name, qualifier)
    weights = _weights(alias.routing_config) if alias else {}
    if alias is None or not weights:
        return fn
    chosen = routing.pick(str(alias.function_version), weights)
    version: LambdaFunction = backend.get_function(name, chosen)
    return version


def _weights(routing_config: Any) -> dict[str, float]:
    weights: dict[str, float] = (routing_config or {}).get("AdditionalVersionWeights") or {}
    return weights


def _alias(backend: LambdaBackend, name: str, qualifier: str | None) -> LambdaAlias | None:
    if not qualifier or re.fullmatch(VERSION_PATTERN, qualifier):
        return None
    aliases: dict[str, LambdaAlias] = backend._lambdas._get_function_aliases(name)
    return aliases.get(qualifier)


def _check_weights(weights: dict[str, Any]) -> None:
    shown = "{" + ", ".join(f"{k}={float(v)}" for k, v in weights.items()) + "}"
    if any(not re.fullmatch(r"[0-9]+", key) for key in weights):
        raise ValidationException(
            f"Value '{shown}' at '{WEIGHTS_MEMBER}' failed to satisfy constraint: Map keys "
            "must satisfy constraint: [Member must have length less than or equal to 1024, "
            "Member must have length greater than or equal to 1, Member must satisfy regular "
            "expression pattern: [0-9]+]")
    if any(not 0.0 <= float(v) <= 1.0 for v in weights.values()):
        raise ValidationException(
            f"Value '{shown}' at '{WEIGHTS_MEMBER}' failed to satisfy constraint: Map value "
            "must satisfy constraint: [Member must have value less than or equal to 1.0, "
            "Member must have value greater than or equal to 0.0, Member must not be null]")
    if len(weights) > 1:
        raise InvalidParameterValueException(
            "Number of items in AdditionalVersionWeights cannot be greater than 1")


def _check_pair(backend: LambdaBackend, function_name: str, primary: str,
                additional: str) -> None:
    if primary == "$LATEST":
        raise InvalidParameterValueException(
            "$LATEST is not supported for an alias pointing to more than 1 version")
    if additional == primary:
        raise InvalidParameterValueException(
            f"Invalid function version {primary}. Function version {primary} is already "
            "included in routing configuration.")
    first = backend.get_function(function_name, primary)
    second = backend.get_function(function_name, additional)
    if first.role != second.role:
        raise InvalidParameterValueException(
            "The execution role of both versions in an alias routing configuration must be "
            "the same.")
    if getattr(first, "dead_letter_config", None) != getattr(second, "dead_letter_config", None):
        raise InvalidParameterValueException(
            "The dead-letter queue configuration of both versions in an alias routing "
            "configuration must be the same.")


def check_alias(backend: LambdaBackend, function_name: str, function_version: str,
                routing_config: Any) -> None:
    """Refuse what AWS refuses before moto stores the alias."""
    if function_version is not None and not re.fullmatch(VERSION_PATTERN, function_version):
        raise ValidationException(
            f"Value '{function_version}' at 'functionVersion' failed to satisfy constraint: "
            f"Member must satisfy regular expression pattern: {VERSION_PATTERN}")
    weights = _weights(routing_config)
    if not weights:
        return
    _check_weights(weights)
    [additional] = weights
    if function_version is not None:
        backend.get_function(function_name, function_version)
        _check_pair(backend, function_name, function_version, additional)


class ResourceConflictException(LambdaClientError):
    """A taken alias name: AWS's code is ResourceConflictException (409), so
    ``except lam.exceptions.ResourceConflictException`` catches it; moto's is
    ConflictException (LocalStack ``TestLambdaAlias::test_notfound_and_invalid_routingconfigs``,
    recorded on AWS)."""

    code = 409

    def __init__(self, message: str) -> None:
        super().__init__("ResourceConflictException", message)


def create_alias(self: LambdaBackend, name: str, function_name: str, function_version: str,
                 description: str, routing_config: Any) -> LambdaAlias:
    """CreateAlias: an alias name is not a number ("2024" reads as a version)."""
    if not re.fullmatch(ALIAS_PATTERN, str(name)):
        raise ValidationException(
            f"Value '{name}' at 'name' failed to satisfy constraint: Member must satisfy "
            f"regular expression pattern: {ALIAS_PATTERN}")
    check_alias(self, function_name, function_version, routing_config)
    try:
        alias: LambdaAlias = seams.original(LambdaBackend, "create_alias")(
            self, name, function_name, function_version, description, routing_config)
    except ConflictException as taken:
        raise ResourceConflictException(taken.message) from None
    return alias


def update_alias(self: LambdaBackend, name: str, function_name: str, function_version: str,
                 description: str, routing_config: Any) -> LambdaAlias:
    current = self.get_alias(name, function_name)
    target = function_version or current.function_version
    if routing_config is not None or function_version:
        check_alias(self, function_name, target, routing_config
                    if routing_config is not None else current.routing_config)
    alias: LambdaAlias = seams.original(LambdaBackend, "update_alias")(
        self, name, function_name, function_version, description, routing_config)
    return alias


def delete_function(self: LambdaBackend, function_name: str,
                    qualifier: str | None = None) -> None:
    """DeleteFunction: a qualifier deletes one version; $LATEST only goes with the function,
    and a qualifier in the name must agree with ``Qualifier`` (LocalStack
    ``TestLambdaFunction::test_ops_with_arn_qualifier_mismatch[delete_function]``, recorded
    on AWS). https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunction.html"""
    function_names.check_reachable(self, function_name)
    short = function_name.split(":function:")[-1]
    derived = short.split(":", 1)[1] if ":" in short else None
    if derived and qualifier and derived != qualifier:
        raise InvalidParameterValueException(
            "The derived qualifier from the function name does not match the specified "
            "qualifier.")
    if (derived or qualifier) == "$LATEST":
        raise InvalidParameterValueException(
            "$LATEST version cannot be deleted without deleting the function.")
    seams.original(LambdaBackend, "delete_function")(self, function_name, qualifier)


def list_versions(self: LambdaBackend, function_name: str) -> Any:
    """ListVersionsByFunction: a missing function is not found (moto lists nothing)."""
    self.get_function(function_name)
    return seams.original(LambdaBackend, "list_versions_by_function")(self, function_name)


def delete_alias_response(self: Any) -> tuple[int, dict[str, Any], str]:
    """DeleteAlias answers 204 with no body (moto: 201).
    https://docs.aws.amazon.com/lambda/latest/api/API_DeleteAlias.html"""
    from moto.awslambda.responses import LambdaResponse

    seams.original(LambdaResponse, "delete_alias")(self)
    return 204, {"status": 204}, ""
