"""Checking an Amazon States Language definition at CreateStateMachine, as AWS does.

AWS refuses a bad definition with ``InvalidDefinition`` and a message of the form
``Invalid State Machine Definition: '<CODE>: <detail> at <json-pointer>'`` (recorded examples
in AWS-RESPONSES.md 6d). Express state machines support only the Request Response
integration pattern: no ``.sync``, no ``.waitForTaskToken``, no activities.
https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html
https://docs.aws.amazon.com/step-functions/latest/dg/concepts-standard-vs-express.html

moto only parses the grammar (and answers with an empty error code); this seam runs these
checks first. ValidateStateMachineDefinition (moto lacks it) reports the same problems as
diagnostics: ``{"code", "message", "location", "severity": "ERROR"}``, with ``result`` OK or
FAIL (``test_sfn_api_validation.snapshot.json``, 19-10-2025).
https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from moto.core.exceptions import JsonRESTError

from serverless_lab.stepfunctions import validation

STATE_TYPES = ("Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map")
TERMINAL = ("Succeed", "Fail", "Choice")


@dataclass
class Diagnostic:
    """One problem: its code, AWS's words and where (a JSON pointer, or Jackson's source)."""

    code: str
    message: str
    location: str | None = None

    def text(self) -> str:
        """As CreateStateMachine words it: ``<CODE>: <message> at <location>``."""
        if self.code == "INVALID_JSON_DESCRIPTION" or self.location is None:
            return f"{self.code}: {self.message}"
        return f"{self.code}: {self.message} at {self.location}"

    def answer(self) -> dict[str, str]:
        """As ValidateStateMachineDefinition answers it."""
        found = {"code": self.code, "message": self.message, "severity": "ERROR"}
        if self.location is not None:
            found["location"] = self.location
        return found


def _schema(message: str, at: str) -> Diagnostic:
    return Diagnostic("SCHEMA_VALIDATION_FAILED", message, at or "/")


class InvalidDefinition(JsonRESTError):
    def __init__(self, problems: list[Diagnostic]) -> None:
        text = ", ".join(problem.text() for problem in problems)
        super().__init__("InvalidDefinition", f"Invalid State Machine Definition: '{text}'")


def _machine_problems(machine: Any, at: str) -> Iterator[Diagnostic]:
    if not isinstance(machine, dict):
        yield _schema("Expected an object", at) if at else \
            Diagnostic("SCHEMA_VALIDATION_FAILED", "Definition must be a valid JSON object")
        return
    missing = [key for key in ("States", "StartAt") if key not in machine]
    if missing:
        yield _schema(f"These fields are required: [{', '.join(missing)}]", at)
        return
    states = machine["States"]
    if machine["StartAt"] not in states:
        yield Diagnostic("MISSING_TRANSITION_TARGET",
                         f"Missing 'StartAt' target: {machine['StartAt']}", f"{at}/StartAt")
    for name, state in states.items():
        yield from _state_problems(name, state, states, f"{at}/States/{name}")


def _state_problems(name: str, state: Any, states: dict[str, Any], at: str) -> Iterator[Diagnostic]:
    kind = state.get("Type") if isinstance(state, dict) else None
    if kind not in STATE_TYPES:
        yield _schema(f"The field 'Type' should have one of these values: "
                      f"[{', '.join(STATE_TYPES)}]", f"{at}/Type")
        return
    if "Next" in state and state["Next"] not in states:
        yield Diagnostic("MISSING_TRANSITION_TARGET", f"Missing 'Next' target: {state['Next']}",
                         f"{at}/Next")
    if kind not in TERMINAL and "Next" not in state and not state.get("End"):
        yield _schema("These fields are required: [Next]", at)
    yield from _targets(state, states, at)
    for index, branch in enumerate(state.get("Branches", [])):
        yield from _machine_problems(branch, f"{at}/Branches/{index}")
    for key in ("Iterator", "ItemProcessor"):
        if key in state:
            yield from _machine_problems(state[key], f"{at}/{key}")


def _targets(state: dict[str, Any], states: dict[str, Any], at: str) -> Iterator[Diagnostic]:
    """Choice rules and catchers must name existing states."""
    for field in ("Choices", "Catch"):
        for index, rule in enumerate(state.get(field, [])):
            if rule.get("Next") not in states:
                yield Diagnostic("MISSING_TRANSITION_TARGET",
                                 f"Missing 'Next' target: {rule.get('Next')}",
                                 f"{at}/{field}/{index}/Next")


def _express_problems(machine: dict[str, Any], at: str = "") -> Iterator[Diagnostic]:
    for name, state in machine.get("States", {}).items():
        where = f"{at}/States/{name}/Resource"
        resource = str(state.get("Resource", ""))
        if resource.endswith(".sync") or ".sync:" in resource:
            yield _schema("Express state machine does not support '.sync' service integration",
                          where)
        elif resource.endswith(".waitForTaskToken"):
            # AWS's text ends in a space (two before " at " in CreateStateMachine's message).
            yield _schema("Express state machine does not support '.waitForTaskToken' service "
                          "integration ", where)
        elif ":activity:" in resource:
            yield _schema("Express state machine does not support Activity ARN", where)
        for index, branch in enumerate(state.get("Branches", [])):
            yield from _express_problems(branch, f"{at}/States/{name}/Branches/{index}")


def diagnostics(definition: str, machine_type: str | None) -> list[Diagnostic]:
    """Every problem of the definition (empty when it is valid)."""
    if not definition.strip():
        return [Diagnostic("SCHEMA_VALIDATION_FAILED", "Definition must be a valid JSON object")]
    problem = validation.json_problem(definition)
    if problem:
        return [Diagnostic("INVALID_JSON_DESCRIPTION", problem.detail
                           + (f"\n at {problem.location}" if problem.location else ""),
                           problem.location or None)]
    machine = json.loads(definition)
    problems = list(_machine_problems(machine, ""))
    if not problems and machine_type == "EXPRESS":
        problems = list(_express_problems(machine))
    return problems


def check(definition: str, machine_type: str | None) -> None:
    """Raise ``InvalidDefinition`` listing every problem (``ValidationException`` for a
    definition over the model's 1,048,576 characters), or return."""
    validation.check_length("definition", definition, validation.MAX_DEFINITION, sensitive=True)
    problems = diagnostics(definition, machine_type)
    if problems:
        raise InvalidDefinition(problems)


def validate_state_machine_definition(self: Any) -> str:
    """ValidateStateMachineDefinition: "Validates the syntax of a state machine definition
    ... result: OK or FAIL"; the problems are diagnostics (code, message, location, severity).
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html"""
    definition = self._get_param("definition") or ""
    validation.check_length("definition", definition, validation.MAX_DEFINITION, sensitive=True)
    found = diagnostics(definition, self._get_param("type"))
    return json.dumps({"result": "FAIL" if found else "OK",
                       "diagnostics": [problem.answer() for problem in found],
                       "truncated": False})
