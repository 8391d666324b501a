"""Run tags: added to create calls by a botocore handler, in each service's format."""

from __future__ import annotations

import boto3
import pytest

from serverless_lab.targets import tagging
from serverless_lab.targets.tagging import TAG_KEY

TAG = {TAG_KEY: "0a1b2c"}


def test_run_ids_and_prefixes() -> None:
    assert tagging.prefix("0a1b2c") == "slb-0a1b2c-"
    assert tagging.seeded_run_id(20241127) == tagging.seeded_run_id(20241127)
    assert tagging.RUN_PATTERN.match(tagging.new_run_id())
    assert len({tagging.new_run_id() for _ in range(20)}) > 1
    assert tagging.run_of("slb-0a1b2c-orders") == "0a1b2c"
    assert tagging.run_of("/aws/lambda/slb-0a1b2c-orders") == "0a1b2c"
    assert tagging.run_of("orders") is None and tagging.run_of("slb-xyz123-orders") is None


@pytest.mark.parametrize(("service", "operation"), list(tagging.TAGGED))
def test_every_tagged_operation_takes_that_parameter(service: str, operation: str) -> None:
    """Contract with botocore's service models: fails loudly if a parameter is renamed."""
    model = boto3.session.Session(region_name="us-east-1").client(service).meta.service_model
    parameter, _ = tagging.TAGGED[(service, operation)]
    assert parameter in model.operation_model(operation).input_shape.members


def test_the_tag_is_added_in_each_format() -> None:
    params: dict = {}
    tagging._add(params, "Tags", [{"Key": TAG_KEY, "Value": "0a1b2c"}])
    assert params == {"Tags": [{"Key": TAG_KEY, "Value": "0a1b2c"}]}
    params = {"tags": {"team": "a"}}
    tagging._add(params, "tags", TAG)
    assert params == {"tags": {"team": "a", TAG_KEY: "0a1b2c"}}


def test_a_tag_the_caller_gave_is_kept() -> None:
    params = {"tags": {TAG_KEY: "ffffff"}}
    tagging._add(params, "tags", TAG)
    assert params["tags"] == {TAG_KEY: "ffffff"}
    listed = {"Tags": [{"Key": TAG_KEY, "Value": "ffffff"}]}
    tagging._add(listed, "Tags", [{"Key": TAG_KEY, "Value": "0a1b2c"}])
    assert listed["Tags"] == [{"Key": TAG_KEY, "Value": "ffffff"}]


def test_ec2_tag_specifications() -> None:
    build = tagging.TAGGED[("ec2", "CreateVpc")][1]
    params = {"TagSpecifications": [{"ResourceType": "vpc", "Tags": [{"Key": "Name",
                                                                      "Value": "lab"}]}]}
    tagging._add(params, "TagSpecifications", build(TAG_KEY, "0a1b2c"))
    assert len(params["TagSpecifications"]) == 2


def test_installed_on_a_session_its_clients_tag_what_they_create(lab) -> None:
    session = boto3.session.Session()
    tagging.install(session, "0a1b2c")
    tagging.install(session, "0a1b2c")  # twice is harmless
    sqs, ddb = session.client("sqs"), session.client("dynamodb")
    url = sqs.create_queue(QueueName="tagged")["QueueUrl"]
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == TAG
    arn = ddb.create_table(
        TableName="tagged", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
    )["TableDescription"]["TableArn"]
    assert ddb.list_tags_of_resource(ResourceArn=arn)["Tags"] == [
        {"Key": TAG_KEY, "Value": "0a1b2c"}]
    vpc = session.client("ec2").create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]
    assert {"Key": TAG_KEY, "Value": "0a1b2c"} in vpc["Tags"]


def test_a_session_without_the_handler_tags_nothing(lab) -> None:
    sqs = boto3.session.Session().client("sqs")
    url = sqs.create_queue(QueueName="untagged")["QueueUrl"]
    assert sqs.list_queue_tags(QueueUrl=url).get("Tags", {}) == {}


def test_the_lab_tags_through_the_default_session(lab) -> None:
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName=lab.name("q"))["QueueUrl"]
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {TAG_KEY: lab.run_id}
