"""Where the emulator plugs into moto: one table, installed and removed together.

Each row replaces one moto method (the way moto's own ``LambdaSimpleBackend`` overrides
``invoke``) with a function from the module that owns that behaviour. Every row has a
contract test (tests/test_seams.py) that fails loudly if the pinned moto changes shape.
"""

from __future__ import annotations

from typing import Any, Protocol

_INHERITED = object()
_originals: dict[tuple[Any, str], Any] = {}
_own_attributes: dict[tuple[Any, str], Any] = {}
_host: Host | None = None


class Host(Protocol):
    """What the replacements need from the running lab."""

    runtime: Any
    routing: Any
    async_invoker: Any
    pollers: Any
    clock: Any
    waits: Any
    workflows: Any

    def run_until(self, done: Any) -> None: ...


def table() -> list[tuple[Any, str, Any]]:
    """(owner, method name, replacement) for every seam."""
    from moto.awslambda.models import LambdaBackend, LambdaFunction
    from moto.awslambda.responses import LambdaResponse
    from moto.events.models import Rule
    from moto.s3 import notifications
    from moto.sqs import models as sqs_models
    from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
    from moto.stepfunctions.parser.asl.component.state.wait.wait_function import (
        wait_function,
    )
    from moto.stepfunctions.parser.asl.eval.event.event_manager import EventManager
    from moto.stepfunctions.parser.backend.execution import Execution
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend
    from moto.stepfunctions.responses import StepFunctionResponse

    from . import (
        configuration,
        event_invoke_config,
        event_source_mapping,
        eventbridge,
        invoke,
        state_machine_definition,
        step_functions,
        versions,
    )

    return [
        (wait_function.WaitFunction, "_wait_interval", step_functions.wait_interval),
        (retrier_decl, "time", step_functions.RETRIER_TIME),
        (EventManager, "_get_current_timestamp", staticmethod(step_functions.current_timestamp)),
        (StepFunctionsParserBackend, "start_execution", step_functions.start_execution),
        (StepFunctionsParserBackend, "stop_execution", step_functions.stop_execution),
        (StepFunctionResponse, "stop_execution", step_functions.stop_execution_response),
        (StepFunctionResponse, "describe_execution", step_functions.describe_execution),
        (StepFunctionResponse, "list_executions", step_functions.list_executions),
        (Execution, "start", step_functions.execution_start),
        (StepFunctionsParserBackend, "create_state_machine",
         state_machine_definition.create_state_machine),
        (StepFunctionResponse, "start_sync_execution", step_functions.start_sync_execution),
        (StepFunctionResponse, "get_execution_history", step_functions.get_execution_history),
        (Rule, "send_to_targets", eventbridge.send_to_targets),
        (notifications, "_invoke_awslambda", invoke.s3_notification),
        (LambdaBackend, "send_sns_message", invoke.sns_delivery),
        (LambdaResponse, "put_function_event_invoke_config", event_invoke_config.put_config),
        (LambdaResponse, "update_function_event_invoke_config",
         event_invoke_config.update_config),
        (LambdaResponse, "get_function_event_invoke_config", event_invoke_config.get_config),
        (LambdaResponse, "delete_function_event_invoke_config",
         event_invoke_config.delete_config),
        (LambdaResponse, "list_function_event_invoke_configs", event_invoke_config.list_configs),
        (LambdaFunction, "invoke", invoke.function_invoke),
        (LambdaResponse, "invoke", invoke.response_invoke),
        (LambdaResponse, "_enrich_response", staticmethod(invoke.enrich_response)),
        (LambdaResponse, "create_function_url_config", configuration.create_url_config),
        (LambdaBackend, "create_function", configuration.create_function),
        (LambdaBackend, "update_function_configuration", configuration.update_configuration),
        (LambdaBackend, "update_function_code", configuration.update_code),
        (LambdaBackend, "publish_layer_version", configuration.publish_layer_version),
        (LambdaBackend, "tag_resource", configuration.tag_resource),
        (LambdaBackend, "put_function_concurrency", configuration.put_concurrency),
        (LambdaBackend, "publish_version", configuration.publish_version),
        (LambdaBackend, "create_event_source_mapping", event_source_mapping.create),
        (LambdaBackend, "update_event_source_mapping", event_source_mapping.update),
        (sqs_models, "unix_time", clock_seconds),
        (sqs_models, "unix_time_millis", clock_millis),
        (LambdaFunction, "get_configuration", configuration.get_configuration),
        (LambdaBackend, "create_alias", versions.create_alias),
        (LambdaBackend, "update_alias", versions.update_alias),
    ]


def clock_seconds(dt: Any = None) -> float:
    """moto SQS's clock (visibility timeouts, delays, retention) is the lab's clock."""
    if dt is not None:
        return float(original(_sqs_models(), "unix_time")(dt))
    return float(host().clock.now())


def clock_millis(dt: Any = None) -> float:
    if dt is not None:
        return float(original(_sqs_models(), "unix_time_millis")(dt))
    return float(host().clock.now() * 1000)


def _sqs_models() -> Any:
    from moto.sqs import models

    return models


def original(owner: Any, name: str) -> Any:
    """moto's own method behind a seam (also before ``install``; None for an operation moto
    lacks, such as ``start_sync_execution``)."""
    if (owner, name) in _originals:
        return _originals[(owner, name)]
    return getattr(owner, name, None)


def host() -> Host:
    if _host is None:
        raise RuntimeError("serverless_lab is not started: call serverless_lab.start()")
    return _host


def install(lab: Host) -> None:
    """Plug the emulator into moto (idempotent)."""
    global _host
    _host = lab
    for owner, name, replacement in table():
        if (owner, name) not in _originals:
            _originals[(owner, name)] = getattr(owner, name, None)  # None: a new operation
            _own_attributes[(owner, name)] = owner.__dict__.get(name, _INHERITED)
        setattr(owner, name, replacement)


def uninstall() -> None:
    """Give moto its own methods back."""
    global _host
    _host = None
    for owner, name, _ in table():
        if (owner, name) not in _originals:
            continue
        del _originals[(owner, name)]
        own = _own_attributes.pop((owner, name))
        if own is _INHERITED:
            delattr(owner, name)
        else:
            setattr(owner, name, own)
