"""State machine versions and aliases, and starting an execution through either.

AWS: "A version is a numbered, immutable snapshot of a state machine"; publishing when nothing
changed since the last version answers that version again (LocalStack
``test_sfn_api_versioning.snapshot.json`` ``test_idempotent_publish``), and numbers are never
reused after a deletion (``test_version_ids_between_deletions``). "An alias is a pointer that
refers to one or two versions of the same state machine": its routing configuration splits
executions by weight (0-100, summing to 100); a version an alias points to cannot be deleted
(``ConflictException``). StartExecution takes a version or an alias ARN: the execution keeps
the state machine's ARN and records ``stateMachineVersionArn`` (and ``stateMachineAliasArn``).
https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-version.html
https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-alias.html
https://docs.aws.amazon.com/step-functions/latest/dg/execution-alias-version-associate.html
Messages: ``test_sfn_api_aliasing.snapshot.json`` (recorded 09-04-2025).

moto has aliases but not PublishStateMachineVersion, ListStateMachineVersions or
DeleteStateMachineVersion, words its routing checks its own way, and cannot start an
execution on a version or an alias. The alias's weighted choice is drawn from the lab's seeded
generator (the one Lambda aliases use), so a lab sees the same split on every run.
"""

from __future__ import annotations

import json
import re
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.stepfunctions.exceptions import ResourceNotFound as MotoResourceNotFound
from moto.stepfunctions.exceptions import StateMachineDoesNotExist
from moto.stepfunctions.models import StepFunctionBackend

from serverless_lab import seams
from serverless_lab.stepfunctions import validation

ALIAS_NAME = r"^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$"
VERSION_ARN = re.compile(r"^arn:[^:]+:states:[^:]+:\d{12}:stateMachine:[^:]+:\d+$")
SAME_CONTENT = ("definition", "roleArn", "loggingConfiguration", "tracingConfiguration",
                "encryptionConfiguration")


class ConflictException(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("ConflictException", message)


class ResourceNotFound(JsonRESTError):
    def __init__(self) -> None:
        super().__init__("ResourceNotFound", "Request references a resource that does not exist.")


def _machine(backend: Any, arn: str) -> Any:
    """The state machine itself (not a version) of ``arn``."""
    validation.check_arn_prefix(arn)
    machine = backend.describe_state_machine(arn)
    if getattr(machine, "source_arn", None):
        raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
    return machine


def publish(self: Any, description: str | None) -> None:
    """Replacement for moto's ``StateMachine.publish``: nothing changed since the latest
    version -> no new version (its number is answered again)."""
    from moto.stepfunctions.models import StateMachine

    latest = self.latest_version
    if latest is not None and latest.version in self.versions and all(
            getattr(latest, key) == getattr(self, key) for key in SAME_CONTENT):
        return
    seams.original(StateMachine, "publish")(self, description)


def publish_state_machine_version(self: Any) -> str:
    """PublishStateMachineVersion: a new version of the current revision. "If the specified
    revision ID doesn't match the state machine's current revision ID, the API returns
    ConflictException" (the message as LocalStack's provider words it).
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_PublishStateMachineVersion.html"""
    machine = _machine(self.stepfunction_backend, self._get_param("stateMachineArn"))
    wanted, current = self._get_param("revisionId"), getattr(machine, "revision_id", None)
    if wanted is not None and wanted != current:
        raise ConflictException(f"Failed to publish the State Machine version for revision "
                                f"{wanted}. The current State Machine revision is {current}.")
    machine.publish(self._get_param("description"))
    version = machine.latest_version
    return json.dumps({"creationDate": version.creation_date.timestamp(),
                       "stateMachineVersionArn": version.arn})


def list_state_machine_versions(self: Any) -> str:
    """ListStateMachineVersions: newest first."""
    validation.check_max_results(self._get_param("maxResults"))
    machine = _machine(self.stepfunction_backend, self._get_param("stateMachineArn"))
    versions = sorted(machine.versions.values(), key=lambda v: v.version, reverse=True)
    return json.dumps({"stateMachineVersions": [
        {"stateMachineVersionArn": v.arn, "creationDate": v.creation_date.timestamp()}
        for v in versions]})


def delete_state_machine_version(self: Any) -> str:
    """DeleteStateMachineVersion: a missing version is not an error; one an alias routes to
    is a ConflictException naming the aliases."""
    arn = self._get_param("stateMachineVersionArn")
    validation.check_arn_prefix(arn)
    source, _, number = str(arn).rpartition(":")
    machine = next((m for m in self.stepfunction_backend.state_machines if m.arn == source), None)
    if machine is None or not number.isdigit() or int(number) not in machine.versions:
        return "{}"
    users = [alias.name for alias in machine.aliases.values()
             if any(route["stateMachineVersionArn"] == arn
                    for route in alias.routing_configuration)]
    if users:
        raise ConflictException("Version to be deleted must not be referenced by an alias. "
                                f"Current list of aliases referencing this version: "
                                f"[{', '.join(users)}]")
    del machine.versions[int(number)]
    return "{}"


def _items(routes: list[dict[str, Any]]) -> str:
    return ", ".join(f"RoutingConfigurationListItem(stateMachineVersionArn="
                     f"{r.get('stateMachineVersionArn')}, weight={r.get('weight')})" for r in routes)


def validate_routing_configuration(self: Any, routes: list[dict[str, Any]]) -> None:
    """Replacement for moto's routing check: AWS's checks and words, in AWS's order (model
    limits first: at most two entries, weights 0-100)."""
    if len(routes) > 2:
        raise validation.constraint("routingConfiguration", f"[{_items(routes)}]",
                                    "Member must have length less than or equal to 2")
    for index, route in enumerate(routes, start=1):
        if int(route.get("weight", 0)) > 100:
            raise validation.constraint(f"routingConfiguration.{index}.member.weight",
                                        route["weight"],
                                        "Member must have value less than or equal to 100")
    arns = [str(route.get("stateMachineVersionArn")) for route in routes]
    if not all(VERSION_ARN.match(arn) for arn in arns):
        raise validation.ValidationException("Routing configuration must contain state machine "
                                             f"version ARNs. Received: [{', '.join(arns)}]")
    if len(set(arns)) != len(arns):
        raise validation.ValidationException("Routing configuration must contain distinct "
                                             f"state machine version ARNs. Received: "
                                             f"[{', '.join(arns)}]")
    weights = [int(route.get("weight", 0)) for route in routes]
    if sum(weights) != 100:
        raise validation.ValidationException("Sum of routing configuration weights must equal "
                                             f"100. Received: [{', '.join(map(str, weights))}]")
    if len({arn.rsplit(":", 1)[0] for arn in arns}) > 1:
        raise validation.ValidationException(
            "Both stateMachineVersionArn values must belong to the same state machine.")


def create_state_machine_alias(self: Any, name: str, routing_configuration: list[dict[str, Any]],
                               description: str | None) -> Any:
    """CreateStateMachineAlias: the model's name rules; the same name again is idempotent when
    nothing differs, else a ConflictException."""
    if len(name) > validation.MAX_NAME:
        raise validation.constraint("name", name, "Member must have length less than or equal "
                                                  f"to {validation.MAX_NAME}")
    if not re.match(ALIAS_NAME, name):
        raise validation.constraint("name", name, "Member must satisfy regular expression "
                                                  f"pattern: {ALIAS_NAME}")
    source = str(routing_configuration[0]["stateMachineVersionArn"]).rsplit(":", 1)[0]
    machine = next((m for m in self.state_machines if m.arn == source), None)
    existing = machine.aliases.get(name) if machine is not None else None
    if existing is not None:
        if existing.routing_configuration == routing_configuration and \
                existing.description == description:
            return existing
        raise ConflictException("Failed to create alias because an alias with the same name "
                                "and a different routing configuration already exists.")
    return seams.original(StepFunctionBackend, "create_state_machine_alias")(
        self, name, routing_configuration, description)


def describe_state_machine_alias(self: Any, arn: str) -> Any:
    """DescribeStateMachineAlias (and UpdateStateMachineAlias through it): a missing alias is
    ``ResourceNotFound``, "Request references a resource that does not exist."
    (``test_update_no_such_alias_arn``)."""
    validation.check_arn_prefix(arn)
    try:
        return seams.original(StepFunctionBackend, "describe_state_machine_alias")(self, arn)
    except MotoResourceNotFound:
        raise ResourceNotFound() from None


def delete_state_machine_alias(self: Any, arn: str) -> None:
    """DeleteStateMachineAlias: deleting a missing alias succeeds (``test_delete_no_such_alias_arn``)."""
    validation.check_arn_prefix(arn)
    try:
        seams.original(StepFunctionBackend, "delete_state_machine_alias")(self, arn)
    except MotoResourceNotFound:
        return


def owner(backend: Any, arn: str) -> Any:
    """The state machine a state machine, version or alias ARN belongs to."""
    parts = str(arn).split(":")
    if len(parts) == 8 and not parts[7].isdigit():
        machine = _machine(backend, ":".join(parts[:7]))
        if parts[7] not in machine.aliases:
            raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
        return machine
    machine = backend.describe_state_machine(arn)
    source = getattr(machine, "source_arn", None)
    return backend.describe_state_machine(source) if source else machine


def resolve(backend: Any, arn: str) -> tuple[Any, Any, str | None]:
    """What StartExecution on ``arn`` runs: (state machine, version or None, alias ARN or
    None); an alias picks one of its versions by weight."""
    parts = str(arn).split(":")
    if len(parts) != 8 or parts[7].isdigit():
        machine = backend.describe_state_machine(arn)
        source = getattr(machine, "source_arn", None)
        return (backend.describe_state_machine(source), machine, None) if source else \
            (machine, None, None)
    machine = _machine(backend, ":".join(parts[:7]))
    alias = machine.aliases.get(parts[7])
    if alias is None:
        raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
    routes = alias.routing_configuration
    chosen = routes[0]["stateMachineVersionArn"]
    if len(routes) == 2:
        other = routes[1]["stateMachineVersionArn"]
        chosen = seams.host().routing.pick(chosen, {other: int(routes[1]["weight"]) / 100.0})
    return machine, backend.describe_state_machine(chosen), alias.arn


def prepare(machine: Any, version: Any) -> None:
    """Let moto's start run a version: its executions are the state machine's (so describe
    and list find them), it shares the state machine's backend, and the caller has made the
    same-name check on the state machine (a plain function: moto deep-copies the version)."""
    version.executions = machine.executions
    version.backend = machine.backend
    version._handle_name_input_idempotency = lambda name, execution_input: None
