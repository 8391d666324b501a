"""Execution limits, Express at-least-once duplicates, Express history in CloudWatch Logs."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.conftest import TRUST, log_messages

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def create(aws, definition: dict, kind: str = "STANDARD", **extra) -> str:
    role = aws("iam").create_role(RoleName="sfn", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    return aws("stepfunctions").create_state_machine(
        name="wf", type=kind, definition=json.dumps(definition), roleArn=role,
        **extra)["stateMachineArn"]


def describe(arn: str) -> dict:
    return boto3.client("stepfunctions").describe_execution(executionArn=arn)


def test_standard_start_is_idempotent_by_name(lab, aws):
    arn = create(aws, {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60,
                                                         "End": True}}})
    sfn = aws("stepfunctions")
    first = sfn.start_execution(stateMachineArn=arn, name="order-1", input='{"n": 1}')
    again = sfn.start_execution(stateMachineArn=arn, name="order-1", input='{"n": 1}')
    assert again["executionArn"] == first["executionArn"]
    lab.settle()  # one execution, counted once: settle returns while it waits
    assert lab.workflows.running() == 1 and lab.waits.blocked() == 1
    with pytest.raises(ClientError) as caught:
        sfn.start_execution(stateMachineArn=arn, name="order-1", input='{"n": 2}')
    assert caught.value.response["Error"]["Code"] == "ExecutionAlreadyExists"


def logged_express(aws, definition: dict, group: str = "/aws/vendedlogs/states/wf") -> str:
    """An Express state machine that logs its executions' history to ``group``."""
    aws("logs").create_log_group(logGroupName=group)
    return create(aws, definition, kind="EXPRESS", loggingConfiguration={
        "level": "ALL", "includeExecutionData": True,
        "destinations": [{"cloudWatchLogsLogGroup": {
            "logGroupArn": f"arn:aws:logs:us-east-1:123456789012:log-group:{group}:*"}}]})


def logged_events(aws, group: str = "/aws/vendedlogs/states/wf") -> list[dict]:
    return [json.loads(e["message"])
            for e in aws("logs").filter_log_events(logGroupName=group)["events"]]


def test_express_starts_with_one_name_run_concurrently(lab, aws):
    arn = logged_express(aws, {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60,
                                                                 "End": True}}})
    sfn = aws("stepfunctions")
    first = sfn.start_execution(stateMachineArn=arn, name="same", input='{"n": 1}')
    again = sfn.start_execution(stateMachineArn=arn, name="same", input='{"n": 1}')
    assert first["executionArn"] != again["executionArn"]
    lab.settle()
    assert lab.workflows.running() == 2 and lab.waits.blocked() == 2
    lab.advance(seconds=61)
    finished = [e for e in logged_events(aws) if e["type"] == "ExecutionSucceeded"]
    assert sorted(e["execution_arn"] for e in finished) == sorted(
        [first["executionArn"], again["executionArn"]])
    sfn.start_execution(stateMachineArn=arn, name="same", input='{"n": 2}')  # not refused


def test_express_runs_at_most_five_minutes(lab, aws):
    logged_express(aws, {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600,
                                                           "End": True}}})
    arn = aws("stepfunctions").list_state_machines()["stateMachines"][0]["stateMachineArn"]
    aws("stepfunctions").start_execution(stateMachineArn=arn)
    lab.advance(minutes=4)
    assert logged_events(aws) == []  # still running: its history is logged when it ends
    lab.advance(minutes=2)
    assert logged_events(aws)[-1]["type"] == "ExecutionTimedOut"


def test_standard_runs_up_to_a_year(lab, aws):
    arn = create(aws, {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 400 * 86400,
                                                         "End": True}}})
    execution = aws("stepfunctions").start_execution(stateMachineArn=arn)["executionArn"]
    lab.advance(days=364)
    assert describe(execution)["status"] == "RUNNING"
    lab.advance(days=2)
    described = describe(execution)
    assert (described["status"], described["error"]) == ("TIMED_OUT", "States.Timeout")
    events = aws("stepfunctions").get_execution_history(executionArn=execution)["events"]
    assert events[-1]["type"] == "ExecutionTimedOut"


def _duplicated_run(lab, aws, make_function) -> tuple[list[str], str]:
    make_function("count", "def handler(e, c):\n    print('ran', e['n'])\n    return e\n")
    fn = aws("lambda").get_function(FunctionName="count")["Configuration"]["FunctionArn"]
    arn = create(aws, {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": fn,
                                                         "End": True}}}, kind="EXPRESS")
    lab.settings.express_duplicate_rate = 0.5
    try:
        for n in range(20):
            aws("stepfunctions").start_execution(stateMachineArn=arn, input=json.dumps({"n": n}))
        lab.settle()
    finally:
        lab.settings.express_duplicate_rate = 0.0
    return [m for m in log_messages("count") if m.startswith("ran ")], arn


def test_duplicate_knob_runs_some_express_executions_twice(lab, aws, make_function):
    runs, _ = _duplicated_run(lab, aws, make_function)
    assert 20 < len(runs) < 40 and len(set(runs)) == 20
    assert lab.workflows.running() == 0  # duplicates are tracked and settled too
    lab.reset()  # the seed makes the same starts duplicate again
    aws("iam").create_role(RoleName="test-role", AssumeRolePolicyDocument=TRUST)
    again, _ = _duplicated_run(lab, aws, make_function)
    assert sorted(again) == sorted(runs)


def test_a_redelivery_starts_after_the_first_delivery_has_finished(lab, aws, make_function):
    _duplicated_run(lab, aws, make_function)
    executions = {e.execution.name: e.execution for e in lab.workflows._tracked}
    again = [name for name in executions if name.endswith("-redelivered")]
    assert again
    for name in again:
        first = executions[name.removesuffix("-redelivered")]
        assert executions[name].start_date >= first.stop_date


def test_sync_express_is_never_duplicated(lab, aws):
    arn = create(aws, PASS, kind="EXPRESS")
    lab.settings.express_duplicate_rate = 1.0
    try:
        aws("stepfunctions").start_sync_execution(stateMachineArn=arn)
        lab.settle()
    finally:
        lab.settings.express_duplicate_rate = 0.0
    assert len(lab.workflows._tracked) == 1


def test_express_history_goes_to_cloudwatch_logs(lab, aws):
    arn = logged_express(aws, PASS)
    started = aws("stepfunctions").start_execution(stateMachineArn=arn, input='{"x": 1}')
    lab.settle()
    events = logged_events(aws)
    assert events[0]["type"] == "ExecutionStarted" and events[-1]["type"] == "ExecutionSucceeded"
    assert {e["execution_arn"] for e in events} == {started["executionArn"]}


def test_stop_execution_answers_once_stopped(lab, aws):
    arn = create(aws, {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600,
                                                         "End": True}}})
    sfn = aws("stepfunctions")
    execution = sfn.start_execution(stateMachineArn=arn, name="cancel-me")["executionArn"]
    lab.settle()
    sfn.stop_execution(executionArn=execution)
    assert describe(execution)["status"] == "ABORTED"
