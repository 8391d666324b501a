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


def test_missing_fields_are_listed_as_aws_lists_them() -> None:
    assert "These fields are required: [States, StartAt] at /'" in message({})


def test_a_definition_that_is_not_an_object() -> None:
    assert message("[]") == ("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: "
                             "Definition must be a valid JSON object'")


def test_a_definition_over_the_models_limit_is_a_validation_exception() -> None:
    from serverless_lab.stepfunctions.validation import ValidationException

    with pytest.raises(ValidationException):
        check(" " * 1048577, None)


def test_diagnostics_carry_code_message_and_location() -> None:
    from serverless_lab.stepfunctions.state_machine_definition import diagnostics

    [found] = diagnostics(json.dumps({"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "End": True}}}), "EXPRESS")
    assert found.answer() == {"code": "SCHEMA_VALIDATION_FAILED", "severity": "ERROR",
                              "location": "/States/T/Resource",
                              "message": "Express state machine does not support "
                                         "'.waitForTaskToken' service integration "}
    assert diagnostics(json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass",
                                                                    "End": True}}}), None) == []


def test_validate_state_machine_definition_answers_ok_or_fail(lab, aws) -> None:
    sfn = aws("stepfunctions")
    ok = sfn.validate_state_machine_definition(definition=json.dumps(
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))
    assert (ok["result"], ok["diagnostics"], ok["truncated"]) == ("OK", [], False)
    fail = sfn.validate_state_machine_definition(definition=json.dumps(
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "Next": "Q"}}}))
    assert fail["result"] == "FAIL"
    assert [(d["code"], d["location"]) for d in fail["diagnostics"]] == [
        ("MISSING_TRANSITION_TARGET", "/States/P/Next")]


def test_update_state_machine_checks_the_new_definition(lab, aws) -> None:
    role = aws("iam").create_role(RoleName="sfn", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    sfn = aws("stepfunctions")
    arn = sfn.create_state_machine(name="m", roleArn=role, definition=json.dumps(
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))["stateMachineArn"]
    with pytest.raises(ClientError) as caught:
        sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps({"States": {}}))
    assert caught.value.response["Error"]["Code"] == "InvalidDefinition"
