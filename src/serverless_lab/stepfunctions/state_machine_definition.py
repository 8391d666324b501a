"""Checking an Amazon States Language definition at CreateStateMachine, as AWS does.

AWS refuses a bad definition with ``InvalidDefinition`` and a message of the form
``Invalid State Machine Definition: '<CODE>: <detail> at <json-pointer>'`` (recorded examples
in AWS-RESPONSES.md 6d). Express state machines support only the Request Response
integration pattern: no ``.sync``, no ``.waitForTaskToken``, no activities.
https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html
https://docs.aws.amazon.com/step-functions/latest/dg/concepts-standard-vs-express.html

moto only parses the grammar (and answers with an empty error code); this seam runs these
checks first.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.stepfunctions.parser.models import StepFunctionsParserBackend

from serverless_lab import seams

STATE_TYPES = ("Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map")
TERMINAL = ("Succeed", "Fail", "Choice")


class InvalidDefinition(JsonRESTError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("InvalidDefinition",
                         f"Invalid State Machine Definition: '{', '.join(problems)}'")


def _machine_problems(machine: Any, at: str) -> Iterator[str]:
    if not isinstance(machine, dict):
        yield f"SCHEMA_VALIDATION_FAILED: Expected an object at {at or '/'}"
        return
    missing = [key for key in ("StartAt", "States") if key not in machine]
    if missing:
        yield f"SCHEMA_VALIDATION_FAILED: These fields are required: [{', '.join(missing)}] " \
              f"at {at or '/'}"
        return
    states = machine["States"]
    if machine["StartAt"] not in states:
        yield f"MISSING_TRANSITION_TARGET: Missing 'StartAt' target: {machine['StartAt']} " \
              f"at {at}/StartAt"
    for name, state in states.items():
        yield from _state_problems(name, state, states, f"{at}/States/{name}")


def _state_problems(name: str, state: Any, states: dict[str, Any], at: str) -> Iterator[str]:
    kind = state.get("Type") if isinstance(state, dict) else None
    if kind not in STATE_TYPES:
        yield ("SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: "
               f"[{', '.join(STATE_TYPES)}] at {at}/Type")
        return
    if "Next" in state and state["Next"] not in states:
        yield f"MISSING_TRANSITION_TARGET: Missing 'Next' target: {state['Next']} at {at}/Next"
    if kind not in TERMINAL and "Next" not in state and not state.get("End"):
        yield f"SCHEMA_VALIDATION_FAILED: These fields are required: [Next] at {at}"
    yield from _targets(state, states, at)
    for index, branch in enumerate(state.get("Branches", [])):
        yield from _machine_problems(branch, f"{at}/Branches/{index}")
    for key in ("Iterator", "ItemProcessor"):
        if key in state:
            yield from _machine_problems(state[key], f"{at}/{key}")


def _targets(state: dict[str, Any], states: dict[str, Any], at: str) -> Iterator[str]:
    """Choice rules and catchers must name existing states."""
    for field in ("Choices", "Catch"):
        for index, rule in enumerate(state.get(field, [])):
            if rule.get("Next") not in states:
                yield (f"MISSING_TRANSITION_TARGET: Missing 'Next' target: {rule.get('Next')} "
                       f"at {at}/{field}/{index}/Next")


def _express_problems(machine: dict[str, Any], at: str = "") -> Iterator[str]:
    for name, state in machine.get("States", {}).items():
        where = f"{at}/States/{name}"
        resource = str(state.get("Resource", ""))
        if resource.endswith(".sync") or ".sync:" in resource:
            yield ("SCHEMA_VALIDATION_FAILED: Express state machine does not support '.sync' "
                   f"service integration at {where}/Resource")
        elif resource.endswith(".waitForTaskToken"):
            yield ("SCHEMA_VALIDATION_FAILED: Express state machine does not support "
                   f"'.waitForTaskToken' service integration  at {where}/Resource")
        elif ":activity:" in resource:
            yield ("SCHEMA_VALIDATION_FAILED: Express state machine does not support Activity "
                   f"ARN at {where}/Resource")
        for index, branch in enumerate(state.get("Branches", [])):
            yield from _express_problems(branch, f"{where}/Branches/{index}")


def check(definition: str, machine_type: str | None) -> None:
    """Raise ``InvalidDefinition`` listing every problem, or return."""
    try:
        machine = json.loads(definition)
    except ValueError as exc:
        raise InvalidDefinition([f"INVALID_JSON_DESCRIPTION: {exc}"]) from None
    problems = list(_machine_problems(machine, ""))
    if not problems and machine_type == "EXPRESS":
        problems = list(_express_problems(machine))
    if problems:
        raise InvalidDefinition(problems)


def create_state_machine(self: StepFunctionsParserBackend, *args: Any, **kwargs: Any) -> Any:
    """CreateStateMachine: AWS's checks, then moto's."""
    definition = kwargs.get("definition", args[1] if len(args) > 1 else None)
    check(str(definition), kwargs.get("sm_type"))
    return seams.original(StepFunctionsParserBackend, "create_state_machine")(
        self, *args, **kwargs)
