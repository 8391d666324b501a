"""Event source mappings polled on the virtual clock: SQS batches and DynamoDB streams."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from tests.awslambda.test_async_invoke import queue
from tests.conftest import log_messages

STREAM_HANDLER = """
def handler(e, c):
    keys = [r['dynamodb']['Keys']['id']['S'] for r in e['Records']]
    print('records', ','.join(keys))
    if 'bad' in keys:
        raise Exception('bad record')
"""


def stream_table(aws) -> str:
    table = aws("dynamodb").create_table(
        TableName="orders", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    return table["TableDescription"]["LatestStreamArn"]


def put(aws, *ids: str) -> None:
    for item_id in ids:
        aws("dynamodb").put_item(TableName="orders", Item={"id": {"S": item_id}})


def records(name: str) -> list[str]:
    return [m[len("records "):] for m in log_messages(name) if m.startswith("records ")]


def test_stream_records_arrive_in_order(lab, make_function, aws):
    make_function("stream", STREAM_HANDLER)
    arn = stream_table(aws)
    aws("lambda").create_event_source_mapping(EventSourceArn=arn, FunctionName="stream",
                                              StartingPosition="TRIM_HORIZON", BatchSize=2)
    put(aws, "1", "2", "3")
    lab.settle()
    assert records("stream") == ["1,2", "3"]


def test_failing_stream_batch_is_retried_then_sent_to_on_failure(lab, make_function, aws):
    make_function("stream", STREAM_HANDLER)
    arn = stream_table(aws)
    url, failures = queue(aws, "stream-failures")
    aws("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName="stream", StartingPosition="TRIM_HORIZON",
        BatchSize=10, MaximumRetryAttempts=2,
        DestinationConfig={"OnFailure": {"Destination": failures}})
    put(aws, "1", "bad", "3")
    lab.settle()
    lab.advance(seconds=5)
    assert records("stream") == ["1,bad,3"] * 3
    put(aws, "4")
    lab.advance(seconds=2)
    assert records("stream")[-1] == "4"
    info = json.loads(aws("sqs").receive_message(QueueUrl=url)["Messages"][0]["Body"])
    assert info["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert info["DDBStreamBatchInfo"]["batchSize"] == 3 and "Records" not in info


def test_bisect_narrows_a_failing_batch(lab, make_function, aws):
    make_function("stream", STREAM_HANDLER)
    arn = stream_table(aws)
    aws("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName="stream", StartingPosition="TRIM_HORIZON",
        BatchSize=4, BisectBatchOnFunctionError=True, MaximumRetryAttempts=0)
    put(aws, "1", "2", "bad", "4")
    lab.settle()
    lab.advance(seconds=10)
    seen = records("stream")
    assert seen[0] == "1,2,bad,4" and "1,2" in seen and "bad" in seen and seen[-1] == "4"


def visibility_queue(aws, name: str, seconds: int) -> str:
    url = aws("sqs").create_queue(QueueName=name,
                                  Attributes={"VisibilityTimeout": str(seconds)})["QueueUrl"]
    return aws("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]


def refused(call) -> dict:
    with pytest.raises(ClientError) as caught:
        call()
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return caught.value.response["Error"]


def test_sqs_mapping_refuses_a_function_timeout_above_the_visibility_timeout(
        lab, make_function, aws):
    make_function("slow", "def handler(e, c):\n    return 1\n", Timeout=60)
    arn = visibility_queue(aws, "short", 30)
    error = refused(lambda: aws("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName="slow"))
    assert error == {"Code": "InvalidParameterValueException",
                     "Message": "Queue visibility timeout: 30 seconds is less than Function "
                                "timeout: 60 seconds"}
    assert aws("lambda").list_event_source_mappings()["EventSourceMappings"] == []


def test_sqs_mapping_accepts_a_timeout_equal_to_the_visibility_timeout(
        lab, make_function, aws):
    make_function("even", "def handler(e, c):\n    return 1\n", Timeout=30)
    arn = visibility_queue(aws, "even", 30)
    aws("lambda").create_event_source_mapping(EventSourceArn=arn, FunctionName="even")
    assert len(aws("lambda").list_event_source_mappings()["EventSourceMappings"]) == 1


def test_raising_the_timeout_later_is_accepted_until_the_mapping_is_updated(
        lab, make_function, aws):
    client = aws("lambda")
    make_function("grows", "def handler(e, c):\n    return 1\n", Timeout=10)
    make_function("quick", "def handler(e, c):\n    return 1\n", Timeout=5)
    arn = visibility_queue(aws, "jobs", 30)
    mapping = client.create_event_source_mapping(EventSourceArn=arn, FunctionName="quick")
    client.update_function_configuration(FunctionName="grows", Timeout=120)  # not checked here
    assert client.get_function_configuration(FunctionName="grows")["Timeout"] == 120
    error = refused(lambda: client.update_event_source_mapping(UUID=mapping["UUID"],
                                                               FunctionName="grows"))
    assert error["Message"] == ("Queue visibility timeout: 30 seconds is less than Function "
                                "timeout: 120 seconds")
    client.update_function_configuration(FunctionName="quick", Timeout=45)
    error = refused(lambda: client.update_event_source_mapping(UUID=mapping["UUID"],
                                                               BatchSize=5))
    assert error["Message"].endswith("Function timeout: 45 seconds")
    client.update_function_configuration(FunctionName="quick", Timeout=30)
    assert client.update_event_source_mapping(UUID=mapping["UUID"], BatchSize=5)["BatchSize"] == 5
