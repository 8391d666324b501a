"""DescribeMapRun and UpdateMapRun as AWS answers them (stepfunctions/map_runs.py)."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.conftest import TRUST

DISTRIBUTED = json.dumps({"StartAt": "M", "States": {"M": {
    "Type": "Map", "End": True, "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}}}})
UNCHECKED = Config(parameter_validation=False, retries={"total_max_attempts": 1})
MISSING = "arn:aws:states:us-east-1:123456789012:mapRun:m/nothing:0000"


@pytest.fixture
def map_run(lab, aws) -> str:
    """The Map Run ARN of a finished execution of a distributed Map over three items."""
    role = aws("iam").create_role(RoleName="sfn", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    sfn = aws("stepfunctions")
    machine = sfn.create_state_machine(name="m", definition=DISTRIBUTED, roleArn=role)
    execution = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], input="[1,2,3]")
    lab.settle()
    runs = sfn.list_map_runs(executionArn=execution["executionArn"])["mapRuns"]
    arn: str = runs[0]["mapRunArn"]
    return arn


def error(call) -> dict[str, str]:
    with pytest.raises(ClientError) as caught:
        call()
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    found: dict[str, str] = caught.value.response["Error"]
    return found


def test_a_map_run_is_described_and_updated(aws, map_run: str) -> None:
    sfn = aws("stepfunctions")
    assert sfn.describe_map_run(mapRunArn=map_run)["itemCounts"]["succeeded"] == 3
    sfn.update_map_run(mapRunArn=map_run, maxConcurrency=5)
    assert sfn.describe_map_run(mapRunArn=map_run)["maxConcurrency"] == 5


@pytest.mark.parametrize("operation", ["describe_map_run", "update_map_run"])
def test_a_map_run_nobody_started_is_not_found(lab, aws, operation: str) -> None:
    call = getattr(aws("stepfunctions"), operation)
    assert error(lambda: call(mapRunArn=MISSING)) == {
        "Code": "ResourceNotFound", "Message": f"Resource not found: '{MISSING}'"}


@pytest.mark.parametrize("operation", ["describe_map_run", "update_map_run"])
def test_a_value_that_is_no_arn_is_invalid(lab, aws, operation: str) -> None:
    call = getattr(aws("stepfunctions"), operation)
    assert error(lambda: call(mapRunArn="run1")) == {
        "Code": "InvalidArn", "Message": "Invalid Arn: 'Invalid ARN prefix: run1'"}


@pytest.mark.parametrize(("member", "value", "rule"), [
    ("maxConcurrency", -1, "greater than or equal to 0"),
    ("toleratedFailureCount", -1, "greater than or equal to 0"),
    ("toleratedFailurePercentage", 100.5, "less than or equal to 100"),
])
def test_update_values_out_of_range_are_refused_before_the_lookup(
        lab, aws, member: str, value: float, rule: str) -> None:
    sfn = boto3.client("stepfunctions", config=UNCHECKED)
    found = error(lambda: sfn.update_map_run(mapRunArn=MISSING, **{member: value}))
    assert found["Code"] == "ValidationException"
    assert found["Message"] == (f"1 validation error detected: Value '{value}' at '{member}' "
                                f"failed to satisfy constraint: Member must have value {rule}")


def test_update_at_the_range_limits_is_accepted(aws, map_run: str) -> None:
    sfn = aws("stepfunctions")
    sfn.update_map_run(mapRunArn=map_run, maxConcurrency=0, toleratedFailureCount=0,
                       toleratedFailurePercentage=100)
    assert sfn.describe_map_run(mapRunArn=map_run)["toleratedFailurePercentage"] == 100
