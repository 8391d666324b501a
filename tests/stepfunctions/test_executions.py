"""Step Functions Wait states and retries on the virtual clock."""

from __future__ import annotations

import json
import time
import uuid

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.conftest import TRUST

ALWAYS_FAILS = "def handler(e, c):\n    raise Exception('flaky')\n"


def machine(aws, definition: dict) -> str:
    role = aws("iam").create_role(RoleName="sfn", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    return aws("stepfunctions").create_state_machine(
        name="m", definition=json.dumps(definition), roleArn=role)["stateMachineArn"]


def status(arn: str) -> str:
    return boto3.client("stepfunctions").describe_execution(executionArn=arn)["status"]


def test_a_thirty_day_wait_ends_when_the_clock_is_advanced(lab, aws):
    arn = machine(aws, {"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 30 * 86400, "Next": "Done"},
        "Done": {"Type": "Pass", "Result": "ok", "End": True}}})
    execution = aws("stepfunctions").start_execution(stateMachineArn=arn)["executionArn"]
    started = time.perf_counter()
    lab.settle()
    assert status(execution) == "RUNNING"
    lab.advance(days=29)
    assert status(execution) == "RUNNING"
    lab.advance(days=1, seconds=1)
    assert status(execution) == "SUCCEEDED"
    events = boto3.client("stepfunctions").get_execution_history(executionArn=execution)["events"]
    entered, exited = (next(e["timestamp"] for e in events if e["type"] == kind)
                       for kind in ("WaitStateEntered", "WaitStateExited"))
    assert (exited - entered).total_seconds() >= 30 * 86400  # history is in virtual time
    described = boto3.client("stepfunctions").describe_execution(executionArn=execution)
    assert (described["stopDate"] - described["startDate"]).total_seconds() >= 30 * 86400
    assert time.perf_counter() - started < 5
    assert lab.waits.blocked() == 0


def test_retry_intervals_are_virtual(lab, aws, make_function):
    make_function("flaky", ALWAYS_FAILS)
    fn = aws("lambda").get_function(FunctionName="flaky")["Configuration"]["FunctionArn"]
    arn = machine(aws, {"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": fn, "End": True,
        "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 3600, "MaxAttempts": 2,
                   "BackoffRate": 2.0}]}}})
    sfn = aws("stepfunctions")
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    lab.settle()

    def failures() -> int:
        events = sfn.get_execution_history(executionArn=execution)["events"]
        return sum(e["type"] == "LambdaFunctionFailed" for e in events)

    assert (failures(), status(execution)) == (1, "RUNNING")
    lab.advance(minutes=59)
    assert failures() == 1
    lab.advance(minutes=2)
    assert failures() == 2
    lab.advance(hours=2)
    assert (failures(), status(execution)) == (3, "FAILED")


def test_settle_returns_while_executions_wait(lab, aws):
    arn = machine(aws, {"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 3600, "End": True}}})
    for _ in range(3):
        aws("stepfunctions").start_execution(stateMachineArn=arn)
    lab.settle()
    assert lab.waits.blocked() == 3
    lab.advance(hours=1, seconds=1)
    assert lab.waits.blocked() == 0


def express(aws, definition: dict, kind: str = "EXPRESS") -> str:
    role = aws("iam").create_role(RoleName="sfn", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    return aws("stepfunctions").create_state_machine(
        name="x", type=kind, definition=json.dumps(definition), roleArn=role)["stateMachineArn"]


def test_start_sync_execution_returns_the_result(lab, aws):
    arn = express(aws, {"StartAt": "Wait", "States": {
        "Wait": {"Type": "Wait", "Seconds": 10, "Next": "Done"},
        "Done": {"Type": "Pass", "Result": {"Arg1": "argument1"}, "End": True}}})
    before = lab.clock.now()
    result = aws("stepfunctions").start_sync_execution(stateMachineArn=arn, input="{}")
    assert result["status"] == "SUCCEEDED"
    assert json.loads(result["output"]) == {"Arg1": "argument1"}
    assert result["billingDetails"]["billedMemoryUsedInMB"] == 64
    assert result["billingDetails"]["billedDurationInMilliseconds"] % 100 == 0
    assert lab.clock.now() - before >= 10  # the caller waited: the clock moved with it


def test_start_sync_execution_failure_has_error_and_no_output(lab, aws):
    arn = express(aws, {"StartAt": "Boom", "States": {"Boom": {
        "Type": "Fail", "Error": "SomeFailure",
        "Cause": "This state machines raises a 'SomeFailure' failure."}}})
    result = aws("stepfunctions").start_sync_execution(stateMachineArn=arn)
    assert (result["status"], result["error"]) == ("FAILED", "SomeFailure")
    assert "output" not in result and result["outputDetails"] == {"included": True}


def test_sync_start_of_a_standard_machine_is_refused(lab, aws):
    arn = express(aws, {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                  kind="STANDARD")
    with pytest.raises(ClientError) as caught:
        aws("stepfunctions").start_sync_execution(stateMachineArn=arn)
    assert caught.value.response["Error"] == {
        "Code": "StateMachineTypeNotSupported",
        "Message": "This operation is not supported by this type of state machine"}


EXPRESS_REFUSED = {"Code": "InvalidArn",
                   "Message": "Invalid Arn: 'Resource type not valid in this context: express'"}


def refusal(call) -> dict:
    with pytest.raises(ClientError) as caught:
        call()
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return caught.value.response["Error"]


def test_express_execution_arn_has_the_express_form(lab, aws):
    arn = express(aws, {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    sfn = aws("stepfunctions")
    asynchronous = sfn.start_execution(stateMachineArn=arn, name="a1")["executionArn"]
    synchronous = sfn.start_sync_execution(stateMachineArn=arn, name="s1")["executionArn"]
    for execution, name in ((asynchronous, "a1"), (synchronous, "s1")):
        head, _, execution_id = execution.rpartition(":")
        assert head == f"arn:aws:states:us-east-1:123456789012:express:x:{name}"
        assert str(uuid.UUID(execution_id)) == execution_id
    assert asynchronous.rpartition(":")[2] != synchronous.rpartition(":")[2]


def test_express_executions_are_refused_by_the_standard_only_actions(lab, aws):
    arn = express(aws, {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60,
                                                          "End": True}}})
    sfn = aws("stepfunctions")
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    lab.settle()
    assert refusal(lambda: sfn.describe_execution(executionArn=execution)) == EXPRESS_REFUSED
    assert refusal(lambda: sfn.get_execution_history(executionArn=execution)) == EXPRESS_REFUSED
    assert refusal(lambda: sfn.stop_execution(executionArn=execution)) == EXPRESS_REFUSED
    assert refusal(lambda: sfn.list_executions(stateMachineArn=arn)) == {
        "Code": "StateMachineTypeNotSupported",
        "Message": "This operation is not supported by this type of state machine"}
    lab.advance(seconds=61)
    assert lab.workflows.running() == 0  # the refused stop left the execution running


def test_stop_execution_keeps_error_and_cause(lab, aws):
    arn = machine(aws, {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600,
                                                          "End": True}}})
    sfn = aws("stepfunctions")
    cancelled = sfn.start_execution(stateMachineArn=arn, name="cancelled")["executionArn"]
    plain = sfn.start_execution(stateMachineArn=arn, name="plain")["executionArn"]
    lab.settle()
    stopped = sfn.stop_execution(executionArn=cancelled, error="Customer.Cancelled",
                                 cause="The customer cancelled order 7")
    described = sfn.describe_execution(executionArn=cancelled)
    assert (described["status"], described["error"], described["cause"]) == (
        "ABORTED", "Customer.Cancelled", "The customer cancelled order 7")
    assert described["stopDate"] == stopped["stopDate"]
    last = sfn.get_execution_history(executionArn=cancelled)["events"][-1]
    assert last["type"] == "ExecutionAborted"
    assert last["executionAbortedEventDetails"] == {"error": "Customer.Cancelled",
                                                    "cause": "The customer cancelled order 7"}
    sfn.stop_execution(executionArn=plain)
    described = sfn.describe_execution(executionArn=plain)
    assert described["status"] == "ABORTED" and "error" not in described
    last = sfn.get_execution_history(executionArn=plain)["events"][-1]
    assert (last["type"], last["executionAbortedEventDetails"]) == ("ExecutionAborted", {})


def test_every_state_type_and_service_integrations_run(lab, aws, make_function):
    make_function("double", "def handler(e, c):\n    return {'n': e['n'] * 2}\n")
    fn = aws("lambda").get_function(FunctionName="double")["Configuration"]["FunctionArn"]
    url = aws("sqs").create_queue(QueueName="sfn-out")["QueueUrl"]
    topic = aws("sns").create_topic(Name="sfn-topic")["TopicArn"]
    aws("dynamodb").create_table(
        TableName="sfn-table", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST")
    definition = {"StartAt": "Prepare", "States": {
        "Prepare": {"Type": "Pass", "Result": {"n": 2, "items": [1, 2, 3]}, "Next": "Double"},
        "Double": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Parameters": {"FunctionName": fn, "Payload": {"n.$": "$.n"}},
                   "ResultSelector": {"n.$": "$.Payload.n"}, "ResultPath": "$.doubled",
                   "Next": "Big?"},
        "Big?": {"Type": "Choice", "Default": "Small",
                 "Choices": [{"Variable": "$.doubled.n", "NumericGreaterThan": 3,
                              "Next": "Fan out"}]},
        "Small": {"Type": "Fail", "Error": "TooSmall"},
        "Fan out": {"Type": "Parallel", "ResultPath": "$.parallel", "Next": "Each", "Branches": [
            {"StartAt": "Queue", "States": {"Queue": {
                "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": True,
                "Parameters": {"QueueUrl": url, "MessageBody": "hello"}}}},
            {"StartAt": "Topic", "States": {"Topic": {
                "Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": True,
                "Parameters": {"TopicArn": topic, "Message": "hello"}}}},
            {"StartAt": "Row", "States": {"Row": {
                "Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": True,
                "Parameters": {"TableName": "sfn-table", "Item": {"id": {"S": "a"}}}}}}]},
        "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.mapped",
                 "Iterator": {"StartAt": "Same", "States": {"Same": {"Type": "Pass",
                                                                    "End": True}}},
                 "Next": "Pause"},
        "Pause": {"Type": "Wait", "SecondsPath": "$.n", "Next": "Done"},
        "Done": {"Type": "Succeed"}}}
    arn = machine(aws, definition)
    execution = aws("stepfunctions").start_execution(stateMachineArn=arn)["executionArn"]
    lab.settle()
    lab.advance(seconds=3)
    described = aws("stepfunctions").describe_execution(executionArn=execution)
    assert described["status"] == "SUCCEEDED", described
    output = json.loads(described["output"])
    assert output["doubled"] == {"n": 4} and output["mapped"] == [1, 2, 3]
    assert aws("sqs").receive_message(QueueUrl=url)["Messages"][0]["Body"] == "hello"
    assert aws("dynamodb").get_item(TableName="sfn-table", Key={"id": {"S": "a"}})["Item"]


def test_catch_keeps_the_error_under_result_path(lab, aws, make_function):
    make_function("declines", "def handler(e, c):\n    raise ValueError('card declined')\n")
    fn = aws("lambda").get_function(FunctionName="declines")["Configuration"]["FunctionArn"]
    arn = machine(aws, {"StartAt": "Charge", "States": {
        "Charge": {"Type": "Task", "Resource": fn, "Next": "Done",
                   "Catch": [{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.error",
                              "Next": "Failed"}]},
        "Failed": {"Type": "Pass", "End": True},
        "Done": {"Type": "Succeed"}}})
    execution = aws("stepfunctions").start_execution(stateMachineArn=arn,
                                                    input='{"order": 7}')["executionArn"]
    lab.settle()
    described = aws("stepfunctions").describe_execution(executionArn=execution)
    output = json.loads(described["output"])
    assert described["status"] == "SUCCEEDED" and output["order"] == 7
    assert output["error"]["Error"] == "ValueError"
    assert "card declined" in output["error"]["Cause"]
