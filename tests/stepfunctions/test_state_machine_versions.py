"""Versions, aliases and executions through them (stepfunctions/state_machine_versions.py)."""

from __future__ import annotations

import json
from collections import Counter

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.conftest import TRUST


def definition(result: int) -> str:
    return json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": result,
                                                        "End": True}}})


@pytest.fixture
def sfn(lab, aws):
    return aws("stepfunctions")


@pytest.fixture
def two_versions(sfn, aws) -> tuple[str, str, str]:
    """A state machine with versions 1 (Result 1) and 2 (Result 2)."""
    role = aws("iam").create_role(RoleName="sfn", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    created = sfn.create_state_machine(name="m", definition=definition(1), roleArn=role,
                                       publish=True)
    arn = created["stateMachineArn"]
    v2 = sfn.update_state_machine(stateMachineArn=arn, definition=definition(2),
                                  publish=True)["stateMachineVersionArn"]
    return arn, created["stateMachineVersionArn"], v2


def output(sfn, execution_arn: str) -> str:
    return sfn.describe_execution(executionArn=execution_arn)["output"]


def test_a_version_runs_its_own_definition(lab, sfn, two_versions) -> None:
    arn, v1, _ = two_versions
    sfn.update_state_machine(stateMachineArn=arn, definition=definition(3))
    on_version = sfn.start_execution(stateMachineArn=v1)["executionArn"]
    on_latest = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    lab.settle()
    assert (output(sfn, on_version), output(sfn, on_latest)) == ("1", "3")
    described = sfn.describe_execution(executionArn=on_version)
    assert (described["stateMachineArn"], described["stateMachineVersionArn"]) == (arn, v1)
    listed = {e["executionArn"] for e in sfn.list_executions(stateMachineArn=arn)["executions"]}
    assert listed == {on_version, on_latest}


def test_a_name_is_taken_across_versions(lab, sfn, two_versions) -> None:
    arn, v1, _ = two_versions
    sfn.start_execution(stateMachineArn=arn, name="e1", input='{"a": 1}')
    with pytest.raises(ClientError) as caught:
        sfn.start_execution(stateMachineArn=v1, name="e1", input='{"a": 2}')
    assert caught.value.response["Error"]["Code"] == "ExecutionAlreadyExists"


def test_publishing_an_unchanged_revision_answers_the_latest_version(sfn, two_versions) -> None:
    arn, _, v2 = two_versions
    assert sfn.publish_state_machine_version(stateMachineArn=arn)["stateMachineVersionArn"] == v2
    arns = [v["stateMachineVersionArn"]
            for v in sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]]
    assert arns == [v2, v2[:-1] + "1"]


def test_a_version_an_alias_uses_cannot_be_deleted(sfn, two_versions) -> None:
    _, v1, v2 = two_versions
    alias = sfn.create_state_machine_alias(name="live", routingConfiguration=[
        {"stateMachineVersionArn": v1, "weight": 100}])["stateMachineAliasArn"]
    with pytest.raises(ClientError) as caught:
        sfn.delete_state_machine_version(stateMachineVersionArn=v1)
    assert caught.value.response["Error"]["Code"] == "ConflictException"
    sfn.update_state_machine_alias(stateMachineAliasArn=alias, routingConfiguration=[
        {"stateMachineVersionArn": v2, "weight": 100}])
    sfn.delete_state_machine_version(stateMachineVersionArn=v1)


def routed(lab, sfn, v1: str, v2: str, starts: int) -> list[str]:
    alias = sfn.create_state_machine_alias(name="live", routingConfiguration=[
        {"stateMachineVersionArn": v1, "weight": 70},
        {"stateMachineVersionArn": v2, "weight": 30}])["stateMachineAliasArn"]
    executions = [sfn.start_execution(stateMachineArn=alias)["executionArn"]
                  for _ in range(starts)]
    lab.settle()
    return [sfn.describe_execution(executionArn=e)["stateMachineVersionArn"] for e in executions]


def test_an_alias_splits_executions_by_weight_the_same_way_every_run(lab, sfn, two_versions) -> None:
    _, v1, v2 = two_versions
    first = routed(lab, sfn, v1, v2, 40)
    counts = Counter(first)
    assert set(counts) == {v1, v2} and counts[v1] > counts[v2]
    lab.reset()
    client = boto3.client("stepfunctions")
    role = boto3.client("iam").create_role(RoleName="sfn", AssumeRolePolicyDocument=TRUST)
    created = client.create_state_machine(name="m", definition=definition(1),
                                          roleArn=role["Role"]["Arn"], publish=True)
    again_v2 = client.update_state_machine(stateMachineArn=created["stateMachineArn"],
                                           definition=definition(2),
                                           publish=True)["stateMachineVersionArn"]
    again = routed(lab, client, created["stateMachineVersionArn"], again_v2, 40)
    assert again == first


def test_an_alias_execution_records_the_alias(lab, sfn, two_versions) -> None:
    _, v1, _ = two_versions
    alias = sfn.create_state_machine_alias(name="live", routingConfiguration=[
        {"stateMachineVersionArn": v1, "weight": 100}])["stateMachineAliasArn"]
    execution = sfn.start_execution(stateMachineArn=alias)["executionArn"]
    lab.settle()
    described = sfn.describe_execution(executionArn=execution)
    assert (described["stateMachineAliasArn"], described["output"]) == (alias, "1")


def test_an_alias_that_does_not_exist(sfn, two_versions) -> None:
    arn, _, _ = two_versions
    with pytest.raises(ClientError) as caught:
        sfn.start_execution(stateMachineArn=arn + ":nothing")
    assert caught.value.response["Error"]["Code"] == "StateMachineDoesNotExist"


def test_publish_only_the_revision_the_caller_saw(sfn, two_versions) -> None:
    arn, _, _ = two_versions
    seen = sfn.update_state_machine(stateMachineArn=arn, definition=definition(3))["revisionId"]
    assert sfn.describe_state_machine(stateMachineArn=arn)["revisionId"] == seen
    sfn.update_state_machine(stateMachineArn=arn, definition=definition(4))
    with pytest.raises(ClientError) as caught:
        sfn.publish_state_machine_version(stateMachineArn=arn, revisionId=seen)
    assert caught.value.response["Error"]["Code"] == "ConflictException"
    current = sfn.describe_state_machine(stateMachineArn=arn)["revisionId"]
    published = sfn.publish_state_machine_version(stateMachineArn=arn, revisionId=current)
    assert published["stateMachineVersionArn"].endswith(":3")


def test_list_executions_of_a_version_lists_that_versions_only(lab, sfn, two_versions) -> None:
    arn, v1, v2 = two_versions
    on_v1 = sfn.start_execution(stateMachineArn=v1)["executionArn"]
    sfn.start_execution(stateMachineArn=v2)
    sfn.start_execution(stateMachineArn=arn)
    lab.settle()
    listed = sfn.list_executions(stateMachineArn=v1)["executions"]
    assert [(e["executionArn"], e["stateMachineVersionArn"]) for e in listed] == [(on_v1, v1)]
    assert len(sfn.list_executions(stateMachineArn=arn)["executions"]) == 3
