"""Step Functions' seams into moto: Wait and Retry on the virtual clock, executions, StartSyncExecution,
Express answers, definition checks, Map Runs, AWS's request checks and errors, versions and aliases,
ValidateStateMachineDefinition."""

from __future__ import annotations

import threading
from typing import Any

from serverless_lab import seams

_installing = threading.Lock()


def rows() -> list[tuple[Any, str, Any]]:
    """(owner, method name, replacement) for the seams installed with the lab.

    The rows on moto's ASL interpreter (``interpreter_rows``) wait for the first Step
    Functions request: importing the interpreter imports moto's Batch and EC2 models, 1.2 s
    of CPU that a lab without a state machine (eight of the nine) would spend at every
    start. moto's ``StepFunctionResponse`` finds its backend through the module function
    ``responses.get_backend`` on every request; the row on it installs the interpreter's
    rows once, then answers as moto does."""
    from moto.stepfunctions import responses
    from moto.stepfunctions.models import StateMachine, StepFunctionBackend
    from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
    from moto.stepfunctions.parser.asl.component.state.wait.wait_function import (
        wait_function,
    )
    from moto.stepfunctions.parser.asl.eval.event.event_manager import EventManager
    from moto.stepfunctions.responses import StepFunctionResponse

    from serverless_lab.stepfunctions import (
        activities,
        executions,
        state_machine_definition,
        state_machines,
        validation,
    )
    from serverless_lab.stepfunctions import state_machine_versions as versions

    return [
        (responses, "get_backend", get_backend),
        (wait_function.WaitFunction, "_wait_interval", executions.wait_interval),
        (retrier_decl, "time", executions.RETRIER_TIME),
        (EventManager, "_get_current_timestamp", staticmethod(executions.current_timestamp)),
        (StepFunctionResponse, "stop_execution", executions.stop_execution_response),
        (StepFunctionResponse, "describe_execution", executions.describe_execution),
        (StepFunctionResponse, "list_executions", executions.list_executions),
        (StepFunctionResponse, "update_state_machine", state_machines.update_state_machine_response),
        (StepFunctionResponse, "list_state_machines", state_machines.list_state_machines),
        (StepFunctionResponse, "describe_state_machine", state_machines.describe_state_machine),
        (StepFunctionBackend, "tag_resource", state_machines.tag_resource),
        (StepFunctionResponse, "tag_resource", state_machines.tag_resource_response),
        (StepFunctionBackend, "create_activity", activities.create_activity),
        (StepFunctionBackend, "_validate_arn", validation.validate_arn),
        (StepFunctionResponse, "validate_state_machine_definition",
         state_machine_definition.validate_state_machine_definition),
        (StateMachine, "publish", versions.publish),
        (StepFunctionResponse, "publish_state_machine_version",
         versions.publish_state_machine_version),
        (StepFunctionResponse, "list_state_machine_versions", versions.list_state_machine_versions),
        (StepFunctionResponse, "delete_state_machine_version",
         versions.delete_state_machine_version),
        (StepFunctionResponse, "_validate_routing_configuration",
         versions.validate_routing_configuration),
        (StepFunctionBackend, "create_state_machine_alias", versions.create_state_machine_alias),
        (StepFunctionBackend, "describe_state_machine_alias",
         versions.describe_state_machine_alias),
        (StepFunctionBackend, "delete_state_machine_alias", versions.delete_state_machine_alias),
        (StepFunctionResponse, "start_sync_execution", executions.start_sync_execution),
        (StepFunctionResponse, "get_execution_history", executions.get_execution_history),
    ]


def interpreter_rows() -> list[tuple[Any, str, Any]]:
    """The rows on moto's ASL interpreter and its backend, installed by ``get_backend``."""
    from moto.stepfunctions.parser.backend.execution import Execution
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    from serverless_lab.stepfunctions import executions, map_runs, state_machines

    return [
        (StepFunctionsParserBackend, "start_execution", executions.start_execution),
        (StepFunctionsParserBackend, "stop_execution", executions.stop_execution),
        (Execution, "start", executions.execution_start),
        (StepFunctionsParserBackend, "create_state_machine", state_machines.create_state_machine),
        (StepFunctionsParserBackend, "update_state_machine", state_machines.update_state_machine),
        (StepFunctionsParserBackend, "describe_map_run", map_runs.describe_map_run),
        (StepFunctionsParserBackend, "update_map_run", map_runs.update_map_run),
    ]


def interpreter_installed() -> bool:
    from serverless_lab.stepfunctions import executions

    return any(row[2] is executions.execution_start for row in seams.installed())


def get_backend(account: str, region: str) -> Any:
    """Replacement for ``moto.stepfunctions.responses.get_backend``: the interpreter's rows
    first (once per lab start), then moto's backend."""
    from moto.stepfunctions import responses

    if not interpreter_installed():
        with _installing:
            if not interpreter_installed():
                seams.install(seams.host(), interpreter_rows())
    return seams.original(responses, "get_backend")(account, region)
