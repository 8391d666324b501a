"""CreateStateMachine and UpdateStateMachine as AWS answers them (stepfunctions/state_machines.py)."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.conftest import TRUST

PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
OTHER = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "End": True}}})


@pytest.fixture
def role(aws) -> str:
    return aws("iam").create_role(RoleName="sfn", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]


def code(call) -> str:
    with pytest.raises(ClientError) as caught:
        call()
    return caught.value.response["Error"]["Code"]


def test_a_taken_name_keeps_its_first_definition(lab, aws, role) -> None:
    sfn = aws("stepfunctions")
    arn = sfn.create_state_machine(name="m", definition=PASS, roleArn=role)["stateMachineArn"]
    assert code(lambda: sfn.create_state_machine(name="m", definition=OTHER, roleArn=role)) == \
        "StateMachineAlreadyExists"
    assert sfn.describe_state_machine(stateMachineArn=arn)["definition"] == PASS


def test_the_same_request_again_answers_the_same_state_machine(lab, aws, role) -> None:
    sfn = aws("stepfunctions")
    first = sfn.create_state_machine(name="m", definition=PASS, roleArn=role)
    again = sfn.create_state_machine(name="m", definition=PASS, roleArn=role,
                                     tags=[{"key": "ignored", "value": "yes"}])
    assert again["stateMachineArn"] == first["stateMachineArn"]
    assert len(sfn.list_state_machines()["stateMachines"]) == 1


def test_another_logging_configuration_is_another_state_machine(lab, aws, role) -> None:
    sfn = aws("stepfunctions")
    sfn.create_state_machine(name="m", definition=PASS, roleArn=role)
    assert code(lambda: sfn.create_state_machine(
        name="m", definition=PASS, roleArn=role,
        tracingConfiguration={"enabled": True})) == "StateMachineAlreadyExists"


def test_each_update_has_a_new_revision_id(lab, aws, role) -> None:
    sfn = aws("stepfunctions")
    arn = sfn.create_state_machine(name="m", definition=PASS, roleArn=role)["stateMachineArn"]
    first = sfn.update_state_machine(stateMachineArn=arn, definition=OTHER)["revisionId"]
    second = sfn.update_state_machine(stateMachineArn=arn, definition=PASS)["revisionId"]
    assert first and second and first != second


def test_an_update_of_nothing_is_refused_with_its_code(lab, aws, role) -> None:
    sfn = aws("stepfunctions")
    arn = sfn.create_state_machine(name="m", definition=PASS, roleArn=role)["stateMachineArn"]
    assert code(lambda: sfn.update_state_machine(stateMachineArn=arn)) == \
        "MissingRequiredParameter"


def test_tags_need_an_existing_resource(lab, aws, role) -> None:
    sfn = aws("stepfunctions")
    arn = sfn.create_state_machine(name="m", definition=PASS, roleArn=role)["stateMachineArn"]
    sfn.tag_resource(resourceArn=arn, tags=[{"key": "k", "value": "v"}])
    assert {"key": "k", "value": "v"} in sfn.list_tags_for_resource(resourceArn=arn)["tags"]
    assert code(lambda: sfn.tag_resource(resourceArn=arn + "-gone",
                                         tags=[{"key": "k", "value": "v"}])) == "ResourceNotFound"


def test_list_state_machines_refuses_more_than_1000_results(lab, aws) -> None:
    import boto3
    from botocore.config import Config

    sfn = boto3.client("stepfunctions", config=Config(parameter_validation=False))
    assert code(lambda: sfn.list_state_machines(maxResults=1001)) == "ValidationException"
    assert sfn.list_state_machines(maxResults=1000)["stateMachines"] == []


def test_a_tag_without_its_key_refuses_the_state_machine(lab, role) -> None:
    sfn = boto3.client("stepfunctions", config=Config(parameter_validation=False,
                                                      retries={"total_max_attempts": 1}))
    with pytest.raises(ClientError) as caught:
        sfn.create_state_machine(name="m", definition=PASS, roleArn=role, tags=[{"value": "v"}])
    assert caught.value.response["Error"] == {"Code": "ValidationException", "Message": (
        "1 validation error detected: Value null at 'tags.1.member.key' failed to satisfy "
        "constraint: Member must not be null")}
    assert sfn.list_state_machines()["stateMachines"] == []
