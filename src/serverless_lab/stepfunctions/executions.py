"""Step Functions on the lab's virtual clock.

AWS: a Wait state "delays the state machine from continuing for a specified time"; a
retrier waits ``IntervalSeconds`` (default 1), multiplied by ``BackoffRate`` (default 2.0)
after each attempt. A Standard workflow can run for up to one year.
https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html
https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html

moto runs executions with its ASL interpreter, on threads, and sleeps in real time in two
places (``WaitFunction._wait_interval`` and the retrier's ``time.sleep``). These seams make
both wait on the virtual clock instead: a workflow that waits 30 days finishes when
``lab.advance(days=30)`` is called, in a fraction of a second. ``lab.settle()`` returns once
every running execution is blocked on the clock or finished.
"""

from __future__ import annotations

import datetime
import json
import math
import threading
import time
import uuid
from typing import Any

from moto.core.exceptions import JsonRESTError

from serverless_lab import seams

POLL = 0.002  # how often a blocked execution checks whether it was stopped (real seconds)


class VirtualWaits:
    """Executions blocked on the virtual clock, and the sleeping itself."""

    def __init__(self, clock: Any) -> None:
        self.clock = clock
        self._blocked = 0
        self._sleepers: set[Any] = set()
        self._lock = threading.Lock()

    def reset(self) -> None:
        """Release every sleeping execution (``lab.reset``): their timers are gone."""
        with self._lock:
            sleepers = list(self._sleepers)
        for wake in sleepers:
            wake()

    def blocked(self) -> int:
        with self._lock:
            return self._blocked

    def sleep(self, seconds: float, env: Any = None) -> None:
        """Block this execution thread until the clock has moved ``seconds`` on.

        The timer that wakes the thread also counts it as busy again, before ``advance``
        looks at what is in flight, so no wake-up is missed between the two."""
        if seconds <= 0:
            return
        due = threading.Event()

        def wake() -> None:
            with self._lock:
                if not due.is_set():
                    self._blocked -= 1
                    self._sleepers.discard(wake)
                    due.set()

        with self._lock:
            self._blocked += 1
            self._sleepers.add(wake)
        timer = self.clock.call_later(seconds, wake)
        while not due.wait(POLL * 25):
            if env is not None and not env.is_running():
                timer.cancel()
                wake()
                return


def in_flight(waits: VirtualWaits, workflows: Any) -> int:
    """Running executions that are doing work now (not waiting on the clock)."""
    return max(0, workflows.running() - waits.blocked())


def wait_interval(self: Any, env: Any, wait_seconds: int) -> None:
    """Replacement for ``WaitFunction._wait_interval``: a Wait state on the virtual clock."""
    seams.host().waits.sleep(float(wait_seconds), env)


def start_execution(self: Any, state_machine_arn: str, name: Any = None,
                    execution_input: Any = None, trace_header: Any = None) -> Any:
    """StartExecution: "If you don't provide a name for the execution, Step Functions
    automatically generates a universally unique identifier (UUID) as the execution name."
    moto leaves it None, so every unnamed start looked like the same execution. The name and
    the input are checked first (``validation``: InvalidName, the model's lengths,
    InvalidExecutionInput in Jackson's words); a version or an alias ARN runs that version
    (``state_machine_versions.resolve``).
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html"""
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    from serverless_lab.stepfunctions import state_machine_versions, validation

    original = seams.original(StepFunctionsParserBackend, "start_execution")
    validation.check_arn_prefix(state_machine_arn)
    if name:
        self._validate_name(name)
    validation.check_execution_input(execution_input)
    name = name or str(uuid.uuid4())
    machine, version, alias_arn = state_machine_versions.resolve(self, state_machine_arn)
    express = _kind(machine.type) == "EXPRESS"
    target = version if version is not None else machine
    if version is not None:
        state_machine_versions.prepare(machine, version)
        running = None if express else machine._handle_name_input_idempotency(
            name, execution_input)
        if running is not None:
            return running
    if express:
        _not_idempotent(target)
    execution = original(self, target.arn, name, execution_input, trace_header)
    if version is not None:
        execution.state_machine_arn = machine.arn
        execution.state_machine_version_arn = version.arn
        execution.state_machine_alias_arn = alias_arn
    seams.host().workflows.started(target, execution)
    if seams.host().workflows.duplicate(target):
        # At-least-once: the same event delivered again runs the workflow again.
        seams.host().workflows.redeliver_later(target, execution, lambda: original(
            self, target.arn, f"{name}-redelivered", execution_input, trace_header))
    return execution


def _not_idempotent(machine: Any) -> None:
    """Express: "Idempotency is not automatically managed. Starting multiple workflows with
    the same name results in concurrent executions." Only Standard workflows answer a second
    start with the same name and input with the running execution.
    https://docs.aws.amazon.com/step-functions/latest/dg/express-at-least-once-execution.html
    moto applies Standard's name check to every type; this machine skips it."""
    machine._handle_name_input_idempotency = lambda name, execution_input: None


def stop_execution(self: Any, execution_arn: str, error: str | None = None,
                   cause: str | None = None) -> Any:
    """StopExecution: "error: The error code of the failure. cause: A more detailed
    explanation of the cause of the failure." Both go into the ExecutionAborted event and
    into DescribeExecution; without them the event's details are empty, as AWS records
    (AWS-RESPONSES.md 6e; LocalStack ``TestSnfApi::test_stop_execution``). moto drops both.
    The call answers once the execution has really stopped (moto's thread notices a stop
    request within a few milliseconds), so what the caller reads next is ABORTED.
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_StopExecution.html"""
    from serverless_lab.stepfunctions.workflows import _finished, _virtual, _wait_for

    execution = self.describe_execution(execution_arn)
    if _finished(execution):
        return execution
    now = _virtual(seams.host().clock.now())
    execution.stop(stop_date=now, error=error, cause=cause)
    _wait_for(lambda: _finished(execution), seconds=2.0)
    execution.error, execution.cause, execution.stop_date = error, cause, now
    return execution


def stop_execution_response(self: Any) -> Any:
    """The StopExecution operation: pass ``error`` and ``cause`` on (moto reads neither)."""
    from moto.core.responses import ActionResult

    arn = self._get_param("executionArn")
    _refuse_express(arn)
    execution = self.stepfunction_backend.stop_execution(
        arn, self._get_param("error"), self._get_param("cause"))
    return ActionResult({"stopDate": execution.stop_date})


EXPRESS_NOT_VALID = "Invalid Arn: 'Resource type not valid in this context: express'"


class InvalidArn(JsonRESTError):
    def __init__(self) -> None:
        super().__init__("InvalidArn", EXPRESS_NOT_VALID)


def _refuse_express(execution_arn: str | None) -> None:
    """DescribeExecution, StopExecution and GetExecutionHistory "[are] not supported by
    EXPRESS state machine executions": AWS answers an Express execution's ARN with
    InvalidArn (LocalStack ``test_start_async_describe_history_execution``, validated
    against AWS 03-07-2024).
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html"""
    if execution_arn and execution_arn.split(":")[5:6] == ["express"]:
        raise InvalidArn()


def describe_execution(self: Any) -> Any:
    """DescribeExecution: Express executions are refused (``_refuse_express``); the answer has
    ``inputDetails`` and, for an execution started through a version or an alias, its
    ``stateMachineVersionArn`` and ``stateMachineAliasArn`` (LocalStack
    ``test_sfn_api_aliasing.snapshot.json`` ``test_base_lifecycle_create_invoke_describe_list``).
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html"""
    from moto.stepfunctions.responses import StepFunctionResponse

    arn = self._get_param("executionArn")
    _refuse_express(arn)
    answer = seams.original(StepFunctionResponse, "describe_execution")(self)
    body = answer.result
    if isinstance(body, dict):
        execution = self.stepfunction_backend.describe_execution(arn)
        body.setdefault("inputDetails", {"included": True})
        for key, attribute in (("stateMachineVersionArn", "state_machine_version_arn"),
                               ("stateMachineAliasArn", "state_machine_alias_arn")):
            if getattr(execution, attribute, None):
                body[key] = getattr(execution, attribute)
    return answer


def list_executions(self: Any) -> Any:
    """ListExecutions: "This API action is not supported by EXPRESS state machines." AWS
    answers StateMachineTypeNotSupported (the same LocalStack snapshot). ``maxResults`` and
    ``statusFilter`` are checked against the model first (``validation``); a version ARN
    lists the executions started through that version, each naming it (an alias ARN is not
    handled: moto has no state machine under it).
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html"""
    from moto.stepfunctions.responses import StepFunctionResponse

    from serverless_lab.stepfunctions import validation

    arn = self._get_param("stateMachineArn")
    if not arn and not self._get_param("mapRunArn"):
        # One of the two is required (API_ListExecutions.html); the words are not recorded.
        raise validation.ValidationException("Must provide a StateMachine ARN or MapRun ARN")
    validation.check_max_results(self._get_param("maxResults"))
    validation.check_status_filter(self._get_param("statusFilter"))
    if arn and _kind(self.stepfunction_backend.describe_state_machine(arn).type) == "EXPRESS":
        raise StateMachineTypeNotSupported()
    answer = seams.original(StepFunctionResponse, "list_executions")(self)
    if arn and isinstance(answer.result, dict):
        machine = self.stepfunction_backend.describe_state_machine(arn)
        items = answer.result.get("executions", [])
        _version_arns(machine, items)
        if getattr(machine, "source_arn", None):  # a version ARN lists that version's only
            answer.result["executions"] = [
                item for item in items if item.get("stateMachineVersionArn") == arn]
    return answer


def _version_arns(machine: Any, items: list[dict[str, Any]]) -> None:
    """Each listed execution started through a version names it, as AWS lists it
    (``stateMachineVersionArn``, LocalStack ``test_sfn_api_versioning.snapshot.json``
    ``test_start_version_execution``)."""
    versions = {execution.exec_arn: getattr(execution, "state_machine_version_arn", None)
                for execution in getattr(machine, "executions", [])}
    for item in items:
        if versions.get(item.get("executionArn")):
            item["stateMachineVersionArn"] = versions[item["executionArn"]]


def execution_start(self: Any) -> None:
    """An Express execution's ARN: ``arn:aws:states:<region>:<account>:express:<state
    machine>:<execution name>:<id>`` (AWS-RESPONSES.md 6b; the same form for asynchronous
    starts in LocalStack's ``test_start_async_describe_history_execution``). moto gives
    every execution the Standard form ``...:execution:<state machine>:<name>`` (and an
    ``sm_type`` of STANDARD: the type is on its state machine). The id comes from the lab's
    seeded generator, so a lab prints the same ARN on every run."""
    from moto.stepfunctions.parser.backend.execution import Execution

    express = _kind(getattr(self.state_machine, "type", self.sm_type)) == "EXPRESS"
    if express and self.exec_arn.split(":")[5] == "execution":
        arn = seams.host().workflows.express_arn(self.exec_arn)
        self.exec_arn = self.execution_arn = arn
    seams.original(Execution, "start")(self)


def _kind(value: Any) -> str:
    return str(getattr(value, "value", value))


class StateMachineTypeNotSupported(JsonRESTError):
    def __init__(self) -> None:
        super().__init__("StateMachineTypeNotSupported",
                         "This operation is not supported by this type of state machine")


def _status(execution: Any) -> str:
    return str(getattr(execution.exec_status, "value", execution.exec_status))


def _billed_ms(execution: Any) -> int:
    stop = execution.stop_date or execution.start_date
    elapsed = (stop - execution.start_date).total_seconds() * 1000
    return max(100, int(math.ceil(elapsed / 100.0)) * 100)


def start_sync_execution(self: Any) -> str:
    """StartSyncExecution (moto lacks it): run an Express execution and answer with its
    result. "Synchronous Express workflows ... wait until it completes, then return the
    result" (AWS-RESPONSES.md 6b for the shape; billed in 100 ms steps, 64 MB).
    https://docs.aws.amazon.com/step-functions/latest/dg/concepts-express-synchronous.html"""
    arn = self._get_param("stateMachineArn")
    backend = self.stepfunction_backend
    from serverless_lab.stepfunctions import state_machine_versions

    if str(state_machine_versions.owner(backend, arn).type) != "EXPRESS":
        raise StateMachineTypeNotSupported()
    with seams.host().workflows.synchronous():
        execution = backend.start_execution(arn, self._get_param("name"),
                                            self._get_param("input", if_none="{}"))
    seams.host().run_until(lambda: _status(execution) != "RUNNING")
    described = execution.to_describe_output()
    keep = ("executionArn", "stateMachineArn", "name", "startDate", "stopDate", "input",
            "inputDetails", "output", "outputDetails", "error", "cause")
    result = {key: described[key] for key in keep if described.get(key) is not None}
    result["status"] = _status(execution)
    result.setdefault("outputDetails", {"included": True})
    result["billingDetails"] = {"billedDurationInMilliseconds": _billed_ms(execution),
                                "billedMemoryUsedInMB": 64}
    for key in ("startDate", "stopDate"):
        if key in result:
            result[key] = result[key].timestamp()
    return json.dumps(result)


def get_execution_history(self: Any) -> Any:
    """GetExecutionHistory: Express workflows keep no history in Step Functions ("Execution
    history ... is not captured by Step Functions; enable CloudWatch Logs"), and AWS answers
    an Express execution's ARN with InvalidArn (``_refuse_express``).
    https://docs.aws.amazon.com/step-functions/latest/dg/concepts-standard-vs-express.html"""
    from moto.stepfunctions.responses import StepFunctionResponse

    _refuse_express(self._get_param("executionArn"))
    return seams.original(StepFunctionResponse, "get_execution_history")(self)


def current_timestamp() -> datetime.datetime:
    """Replacement for ``EventManager._get_current_timestamp``: history events carry the
    lab's virtual time, so a one-hour Wait is an hour apart in the history too."""
    return datetime.datetime.fromtimestamp(seams.host().clock.now(), datetime.timezone.utc)


class RetrierTime:
    """Stands in for the ``time`` module inside moto's retrier: ``sleep`` is virtual."""

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    @staticmethod
    def sleep(seconds: float) -> None:
        seams.host().waits.sleep(float(seconds))


RETRIER_TIME = RetrierTime()
