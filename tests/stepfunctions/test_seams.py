"""Contract tests for Step Functions' seams into moto (stepfunctions/seams.py)."""

from __future__ import annotations

import inspect

import boto3
import pytest
from moto.stepfunctions import responses
from moto.stepfunctions.models import StateMachine, StepFunctionBackend
from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import (
    WaitFunction,
)
from moto.stepfunctions.parser.asl.eval.event.event_manager import EventManager
from moto.stepfunctions.parser.backend.execution import Execution
from moto.stepfunctions.parser.models import StepFunctionsParserBackend
from moto.stepfunctions.responses import StepFunctionResponse

import serverless_lab
from serverless_lab import seams
from serverless_lab.stepfunctions.seams import interpreter_installed, interpreter_rows, rows
from tests.conftest import FAST, assert_signature

SIGNATURES: dict[tuple[object, str], list[str] | None] = {
    (responses, "get_backend"): ["account", "region"],
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
    (StepFunctionsParserBackend, "update_state_machine"): [
        "self", "arn", "definition", "role_arn", "logging_configuration",
        "tracing_configuration", "encryption_configuration", "publish", "version_description"],
    (StepFunctionResponse, "update_state_machine"): ["self"],
    (StepFunctionResponse, "list_state_machines"): ["self"],
    (StepFunctionResponse, "describe_state_machine"): ["self"],
    (StepFunctionBackend, "tag_resource"): ["self", "arn", "tags"],
    (StepFunctionResponse, "tag_resource"): ["self"],
    (StepFunctionBackend, "create_activity"): ["self", "name", "tags", "encryption_configuration"],
    (StepFunctionsParserBackend, "describe_map_run"): ["self", "map_run_arn"],
    (StepFunctionsParserBackend, "update_map_run"): [
        "self", "map_run_arn", "max_concurrency", "tolerated_failure_count",
        "tolerated_failure_percentage"],
    (StepFunctionBackend, "_validate_arn"): ["self", "arn", "regex", "invalid_msg"],
    (StateMachine, "publish"): ["self", "description"],
    (StepFunctionResponse, "_validate_routing_configuration"): ["self", "routing_configuration"],
    (StepFunctionBackend, "create_state_machine_alias"): [
        "self", "name", "routing_configuration", "description"],
    (StepFunctionBackend, "describe_state_machine_alias"): ["self", "arn"],
    (StepFunctionBackend, "delete_state_machine_alias"): ["self", "arn"],
}
# Operations the pinned moto lacks: the lab adds them as methods of moto's Response class
# (Step Functions' JSON protocol has one URL, so no route is needed).
LACKING = ("validate_state_machine_definition", "publish_state_machine_version",
           "list_state_machine_versions", "delete_state_machine_version")
SIGNATURES.update({(StepFunctionResponse, name): None for name in LACKING})
CHECKED = [key for key in SIGNATURES if key[1] not in LACKING]


def test_every_seam_of_this_wing_has_a_contract() -> None:
    both = rows() + interpreter_rows()
    assert {(owner, name) for owner, name, _ in both} == set(SIGNATURES)
    assert len(both) == len(SIGNATURES)


def test_moto_finds_its_backend_through_the_module_function_on_each_request() -> None:
    """Contract for the row that installs the interpreter's rows on the first request."""
    source = inspect.getsource(StepFunctionResponse.stepfunction_backend.fget)
    assert "get_backend(self.current_account, self.region)" in source


def test_the_interpreter_rows_wait_for_the_first_step_functions_request() -> None:
    serverless_lab.stop()
    serverless_lab.start(FAST)
    assert not interpreter_installed()
    boto3.client("lambda").list_functions()
    assert not interpreter_installed()
    boto3.client("stepfunctions").list_state_machines()
    assert interpreter_installed()
    installed = {(owner, name) for owner, name, _ in seams.installed()}
    assert {(owner, name) for owner, name, _ in interpreter_rows()} <= installed
    serverless_lab.stop()
    assert not seams.installed()
    serverless_lab.start(FAST)
    assert not interpreter_installed()


@pytest.mark.parametrize(("owner", "name"), CHECKED, ids=lambda x: getattr(x, "__name__", x))
def test_moto_method_has_the_expected_signature(owner: object, name: str) -> None:
    assert_signature(SIGNATURES, owner, name)


@pytest.mark.parametrize("name", LACKING)
def test_moto_still_lacks_the_operations_the_lab_adds(name: str) -> None:
    # If moto gains one, test moto's instead of replacing it.
    assert seams.original(StepFunctionResponse, name) is None


def test_moto_retrier_sleeps_through_its_time_module() -> None:
    assert "time.sleep(interval_seconds)" in inspect.getsource(retrier_decl)


def test_moto_keeps_map_runs_where_map_runs_looks_for_them() -> None:
    # map_runs._record walks the backend's executions and asks each one's worker's pool.
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.itemprocessor.map_run_record import (  # noqa: E501
        MapRunRecordPoolManager,
    )

    assert list(inspect.signature(MapRunRecordPoolManager.get).parameters) == [
        "self", "map_run_arn"]
    assert "exec_worker" in Execution.__annotations__
    assert callable(StepFunctionsParserBackend._get_executions)


def test_moto_still_raises_its_not_found_without_the_arn_it_needs() -> None:
    # If moto passes the ARN one day, the map run rows may go.
    source = inspect.getsource(seams.original(StepFunctionsParserBackend, "describe_map_run"))
    assert "raise ResourceNotFound()" in source
