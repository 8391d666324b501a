"""Event source mappings polled on the virtual clock: SQS batches and DynamoDB streams."""

from __future__ import annotations

import json

from tests.conftest import log_messages
from tests.test_async_invoke import queue

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
