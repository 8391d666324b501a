"""SQS event source mappings: batches, visibility timeouts on the virtual clock, redrive,
ReportBatchItemFailures."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.awslambda.test_async_invoke import queue
from tests.conftest import log_messages

SQS_HANDLER = """
import json
def handler(e, c):
    bodies = sorted(r['body'] for r in e['Records'])
    print('batch', json.dumps(bodies))
    bad = [r['messageId'] for r in e['Records'] if r['body'].startswith('bad')]
    if e.get('fail_all') or any(r['body'] == 'poison' for r in e['Records']):
        raise Exception('batch failed')
    return {'batchItemFailures': [{'itemIdentifier': i} for i in bad]}
"""


def batches(name: str) -> list[list[str]]:
    return [json.loads(m[len("batch "):]) for m in log_messages(name) if m.startswith("batch ")]


def map_queue(aws, name: str, url_arn: tuple[str, str], **extra) -> None:
    aws("lambda").create_event_source_mapping(EventSourceArn=url_arn[1], FunctionName=name,
                                              BatchSize=10, **extra)


def send(aws, url: str, *bodies: str) -> None:
    for body in bodies:
        aws("sqs").send_message(QueueUrl=url, MessageBody=body)


def test_sqs_messages_arrive_in_batches_and_are_deleted(lab, make_function, aws):
    make_function("consumer", SQS_HANDLER)
    source = queue(aws, "jobs")
    send(aws, source[0], "a", "b", "c")
    map_queue(aws, "consumer", source)
    lab.settle()
    assert batches("consumer") == [["a", "b", "c"]]
    attributes = aws("sqs").get_queue_attributes(QueueUrl=source[0],
                                                 AttributeNames=["ApproximateNumberOfMessages"])
    assert attributes["Attributes"]["ApproximateNumberOfMessages"] == "0"


def test_failed_batch_returns_after_visibility_timeout_then_redrives(lab, make_function, aws):
    make_function("consumer", SQS_HANDLER)
    sqs = aws("sqs")
    dlq_url, dlq_arn = queue(aws, "jobs-dlq")
    url = sqs.create_queue(QueueName="jobs", Attributes={
        "VisibilityTimeout": "30",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "2"})})[
        "QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"]
    map_queue(aws, "consumer", (url, arn))
    send(aws, url, "poison")
    lab.settle()
    assert len(batches("consumer")) == 1
    lab.advance(seconds=20)
    assert len(batches("consumer")) == 1  # still invisible
    lab.advance(seconds=15)
    assert len(batches("consumer")) == 2
    lab.advance(seconds=60)
    assert len(batches("consumer")) == 2
    moved = sqs.receive_message(QueueUrl=dlq_url)["Messages"]
    assert [m["Body"] for m in moved] == ["poison"]


def test_report_batch_item_failures_keeps_only_the_failed_messages(lab, make_function, aws):
    make_function("consumer", SQS_HANDLER)
    source = queue(aws, "jobs")
    send(aws, source[0], "ok1", "bad1", "ok2")
    map_queue(aws, "consumer", source, FunctionResponseTypes=["ReportBatchItemFailures"])
    lab.settle()
    lab.advance(seconds=31)
    assert batches("consumer") == [["bad1", "ok1", "ok2"], ["bad1"]]


def test_mapping_is_not_pushed_by_moto(lab, make_function, aws):
    make_function("consumer", SQS_HANDLER)
    source = queue(aws, "jobs")
    map_queue(aws, "consumer", source)
    send(aws, source[0], "x")
    with pytest.raises(ClientError):  # nothing ran during send_message: no log group yet
        log_messages("consumer")
    lab.settle()
    assert batches("consumer") == [["x"]]
    assert boto3.client("lambda").list_event_source_mappings()["EventSourceMappings"]
