"""Contract tests for Step Functions' seams into moto (stepfunctions/seams.py)."""

from __future__ import annotations

import inspect

import pytest
from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import (
    WaitFunction,
)
from moto.stepfunctions.parser.asl.eval.event.event_manager import EventManager
from moto.stepfunctions.parser.backend.execution import Execution
from moto.stepfunctions.parser.models import StepFunctionsParserBackend
from moto.stepfunctions.responses import StepFunctionResponse

from serverless_lab.stepfunctions.seams import rows
from tests.conftest import assert_signature

SIGNATURES: dict[tuple[object, str], list[str] | None] = {
    (StepFunctionsParserBackend, "stop_execution"): ["self", "execution_arn"],
    (StepFunctionResponse, "stop_execution"): ["self"],
    (StepFunctionResponse, "describe_execution"): ["self"],
    (StepFunctionResponse, "list_executions"): ["self"],
    (Execution, "start"): ["self"],
    (EventManager, "_get_current_timestamp"): [],
    (StepFunctionsParserBackend, "create_state_machine"): [
        "self", "name", "definition", "roleArn", "tags", "publish", "loggingConfiguration",
        "tracingConfiguration", "encryptionConfiguration", "version_description", "sm_type"],
    (StepFunctionResponse, "start_sync_execution"): None,  # moto has no such operation
    (StepFunctionResponse, "get_execution_history"): ["self"],
    (WaitFunction, "_wait_interval"): ["self", "env", "wait_seconds"],
    (retrier_decl, "time"): None,
    (StepFunctionsParserBackend, "start_execution"): ["self", "state_machine_arn", "name",
                                                      "execution_input", "trace_header"],
}


def test_every_seam_of_this_wing_has_a_contract() -> None:
    assert {(owner, name) for owner, name, _ in rows()} == set(SIGNATURES)


@pytest.mark.parametrize(("owner", "name"), list(SIGNATURES), ids=lambda x: getattr(x, "__name__", x))
def test_moto_method_has_the_expected_signature(owner: object, name: str) -> None:
    assert_signature(SIGNATURES, owner, name)


def test_moto_retrier_sleeps_through_its_time_module() -> None:
    assert "time.sleep(interval_seconds)" in inspect.getsource(retrier_decl)
