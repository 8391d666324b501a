"""Step Functions' seams into moto: Wait and Retry on the virtual clock, executions, StartSyncExecution,
Express answers, definition checks."""

from __future__ import annotations

from typing import Any


def rows() -> list[tuple[Any, str, Any]]:
    """(owner, method name, replacement) for every seam this wing owns."""
    from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
    from moto.stepfunctions.parser.asl.component.state.wait.wait_function import (
        wait_function,
    )
    from moto.stepfunctions.parser.asl.eval.event.event_manager import EventManager
    from moto.stepfunctions.parser.backend.execution import Execution
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend
    from moto.stepfunctions.responses import StepFunctionResponse

    from serverless_lab.stepfunctions import executions, state_machine_definition

    return [
        (wait_function.WaitFunction, "_wait_interval", executions.wait_interval),
        (retrier_decl, "time", executions.RETRIER_TIME),
        (EventManager, "_get_current_timestamp", staticmethod(executions.current_timestamp)),
        (StepFunctionsParserBackend, "start_execution", executions.start_execution),
        (StepFunctionsParserBackend, "stop_execution", executions.stop_execution),
        (StepFunctionResponse, "stop_execution", executions.stop_execution_response),
        (StepFunctionResponse, "describe_execution", executions.describe_execution),
        (StepFunctionResponse, "list_executions", executions.list_executions),
        (Execution, "start", executions.execution_start),
        (StepFunctionsParserBackend, "create_state_machine",
         state_machine_definition.create_state_machine),
        (StepFunctionResponse, "start_sync_execution", executions.start_sync_execution),
        (StepFunctionResponse, "get_execution_history", executions.get_execution_history),
    ]
