"""Destinations get AWS's invocation record; SQS, SNS, Lambda and EventBridge targets."""

from __future__ import annotations

import json

import boto3

from serverless_lab.awslambda.destinations import invocation_record, iso
from tests.awslambda.test_async_invoke import FAILS, messages, queue
from tests.conftest import invoke, log_messages

OK = "def handler(e, c):\n    return {'done': e}\n"


def configure(name: str, **destinations: str) -> None:
    config = {k: {"Destination": v} for k, v in destinations.items()}
    boto3.client("lambda").put_function_event_invoke_config(
        FunctionName=name, MaximumRetryAttempts=0, DestinationConfig=config)


def test_success_record_matches_aws(lab, make_function, aws):
    url, arn = queue(aws, "ok")
    make_function("works", OK)
    configure("works", OnSuccess=arn)
    invoke("works", {"k": 1}, InvocationType="Event")
    lab.settle()
    [message] = messages(aws, url)
    record = json.loads(message["Body"])
    assert list(record) == ["version", "timestamp", "requestContext", "requestPayload",
                            "responseContext", "responsePayload"]
    request_id = lab.async_invoker.events[0].request_id
    assert record["requestContext"] == {
        "requestId": request_id,
        "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:works:$LATEST",
        "condition": "Success", "approximateInvokeCount": 1}
    assert record["requestPayload"] == {"k": 1}
    assert record["responseContext"] == {"statusCode": 200, "executedVersion": "$LATEST"}
    assert record["responsePayload"] == {"done": {"k": 1}}


def test_failure_record_carries_the_error(lab, make_function, aws):
    url, arn = queue(aws, "bad")
    make_function("fails", FAILS)
    configure("fails", OnFailure=arn)
    invoke("fails", {"raise_error": 1}, InvocationType="Event")
    lab.settle()
    record = json.loads(messages(aws, url)[0]["Body"])
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["responseContext"] == {"statusCode": 200, "executedVersion": "$LATEST",
                                         "functionError": "Unhandled"}
    payload = record["responsePayload"]
    assert payload["errorMessage"] == "intentional failure"
    assert payload["requestId"] == record["requestContext"]["requestId"]


def test_sns_and_lambda_destinations(lab, make_function, aws):
    url, queue_arn = queue(aws, "from-topic")
    sns = aws("sns")
    topic = sns.create_topic(Name="results")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    make_function("audit", "def handler(e, c):\n    print('audit', e['requestContext']['condition'])\n")
    audit = aws("lambda").get_function(FunctionName="audit")["Configuration"]["FunctionArn"]
    make_function("fails", FAILS)
    make_function("works", OK)
    configure("fails", OnFailure=audit)
    configure("works", OnSuccess=topic)
    invoke("fails", {}, InvocationType="Event")
    invoke("works", {}, InvocationType="Event")
    lab.settle()
    assert "audit RetriesExhausted" in log_messages("audit")
    envelope = json.loads(messages(aws, url)[0]["Body"])
    assert json.loads(envelope["Message"])["requestContext"]["condition"] == "Success"


def test_eventbridge_destination_reaches_a_rule_target(lab, make_function, aws):
    url, queue_arn = queue(aws, "bus-target")
    events = aws("events")
    bus = events.create_event_bus(Name="results")["EventBusArn"]
    events.put_rule(Name="all-lambda", EventBusName="results",
                    EventPattern=json.dumps({"source": ["lambda"]}))
    events.put_targets(Rule="all-lambda", EventBusName="results",
                       Targets=[{"Id": "q", "Arn": queue_arn}])
    make_function("works", OK)
    configure("works", OnSuccess=bus)
    invoke("works", {"n": 2}, InvocationType="Event")
    lab.settle()
    event = json.loads(messages(aws, url)[0]["Body"])
    assert (event["source"], event["detail-type"]) == (
        "lambda", "Lambda Function Invocation Result - Success")
    assert event["resources"][0] == bus and event["detail"]["requestPayload"] == {"n": 2}


def test_record_builder_and_timestamp_format() -> None:
    record = invocation_record(request_id="r", function_arn="arn:f:$LATEST", condition="Success",
                               attempts=1, payload="{}", executed_version="$LATEST",
                               function_error=None, response=b"null", when=0.5)
    assert record["timestamp"] == "1970-01-01T00:00:00.500Z"
    assert "functionError" not in record["responseContext"]
    assert iso(1_700_000_000.123) == "2023-11-14T22:13:20.123Z"
