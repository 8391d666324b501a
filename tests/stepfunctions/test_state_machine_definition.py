"""Bad definitions fail at CreateStateMachine with AWS's InvalidDefinition messages."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from serverless_lab.stepfunctions.state_machine_definition import InvalidDefinition, check
from tests.conftest import TRUST


def message(definition: dict | str, kind: str | None = None) -> str:
    text = definition if isinstance(definition, str) else json.dumps(definition)
    with pytest.raises(InvalidDefinition) as caught:
        check(text, kind)
    return caught.value.message


def test_missing_start_at_matches_aws_recording() -> None:
    assert message({"States": {}}) == ("Invalid State Machine Definition: "
                                       "'SCHEMA_VALIDATION_FAILED: These fields are required: "
                                       "[StartAt] at /'")


def test_unknown_state_type() -> None:
    assert message({"StartAt": "A", "States": {"A": {"Type": "Nap", "End": True}}}) == (
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'Type' should "
        "have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at "
        "/States/A/Type'")


def test_next_that_names_no_state() -> None:
    assert "MISSING_TRANSITION_TARGET: Missing 'Next' target: Nowhere at /States/A/Next" in \
        message({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}})


def test_state_without_next_or_end_and_bad_start() -> None:
    found = message({"StartAt": "X", "States": {"A": {"Type": "Pass"}}})
    assert "Missing 'StartAt' target: X" in found and "required: [Next] at /States/A" in found


def test_not_json() -> None:
    assert message("not a definition").startswith(
        "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION:")


def test_nested_branches_are_checked() -> None:
    definition = {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": True, "Branches": [
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "Next": "Gone"}}}]}}}
    assert "at /States/P/Branches/0/States/B/Next" in message(definition)


@pytest.mark.parametrize(("resource", "text"), [
    ("arn:aws:states:::states:startExecution.sync",
     "Express state machine does not support '.sync' service integration at "
     "/States/T/Resource"),
    ("arn:aws:states:::sns:publish.waitForTaskToken",
     "Express state machine does not support '.waitForTaskToken' service integration  at "
     "/States/T/Resource"),
    ("arn:aws:states:us-east-1:123456789012:activity:work",
     "Express state machine does not support Activity ARN at /States/T/Resource"),
])
def test_express_refuses_other_integration_patterns(resource: str, text: str) -> None:
    definition = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": resource,
                                                  "End": True}}}
    assert text in message(definition, "EXPRESS")
    check(json.dumps(definition), "STANDARD")


def test_create_state_machine_answers_invalid_definition(lab, aws) -> None:
    role = aws("iam").create_role(RoleName="sfn", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    with pytest.raises(ClientError) as caught:
        aws("stepfunctions").create_state_machine(name="bad", roleArn=role,
                                                  definition=json.dumps({"States": {}}))
    error = caught.value.response
    assert error["Error"]["Code"] == "InvalidDefinition"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
