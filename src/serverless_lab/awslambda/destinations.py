"""Where asynchronous outcomes go: destinations (an invocation record) and dead-letter queues
(the event alone).

AWS: a destination receives an invocation record with ``version``, ``timestamp``,
``requestContext`` (``requestId``, ``functionArn``, ``condition``, ``approximateInvokeCount``),
``requestPayload``, ``responseContext`` (``statusCode``, ``executedVersion``,
``functionError``) and ``responsePayload``. SQS and SNS get it as the message, Lambda as the
event, EventBridge as the ``detail`` of a "Lambda Function Invocation Result - Success" or
"- Failure" event with source ``lambda``; S3 takes failures only. A dead-letter queue (a
standard SQS queue or SNS topic) gets only the event, with the message attributes
``RequestID``, ``ErrorCode`` and ``ErrorMessage`` (first 1 KB).
https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
"""

from __future__ import annotations

import datetime
import json
import os
import uuid
from typing import Any

import boto3

DETAIL_TYPES = {True: "Lambda Function Invocation Result - Success",
                False: "Lambda Function Invocation Result - Failure"}


def iso(timestamp: float) -> str:
    moment = datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def invocation_record(*, request_id: str, function_arn: str, condition: str, attempts: int,
                      payload: str, executed_version: str, function_error: str | None,
                      response: bytes, when: float) -> dict[str, Any]:
    """The record, key for key in AWS's order (AWS-RESPONSES.md sections 3a and 3b)."""
    context: dict[str, Any] = {"statusCode": 200, "executedVersion": executed_version}
    if function_error:
        context["functionError"] = function_error
    return {
        "version": "1.0",
        "timestamp": iso(when),
        "requestContext": {"requestId": request_id, "functionArn": function_arn,
                           "condition": condition, "approximateInvokeCount": attempts},
        "requestPayload": json.loads(payload),
        "responseContext": context,
        "responsePayload": json.loads(response) if response else None,
    }


def _client(service: str, arn: str) -> Any:
    return boto3.client(service, region_name=arn.split(":")[3],
                        endpoint_url=os.environ.get("AWS_ENDPOINT_URL"))


def _queue_url(arn: str) -> str:
    _, _, _, region, account, name = arn.split(":")
    url: str = _client("sqs", arn).get_queue_url(QueueName=name,
                                                 QueueOwnerAWSAccountId=account)["QueueUrl"]
    return url


def deliver(destination: str, record: dict[str, Any], success: bool) -> None:
    """Send ``record`` to a destination ARN (SQS, SNS, Lambda, EventBridge bus or S3)."""
    body = json.dumps(record)
    service = destination.split(":")[2]
    if service == "sqs":
        _client("sqs", destination).send_message(QueueUrl=_queue_url(destination),
                                                 MessageBody=body)
    elif service == "sns":
        _client("sns", destination).publish(TopicArn=destination, Message=body)
    elif service == "lambda":
        _client("lambda", destination).invoke(FunctionName=destination,
                                              InvocationType="Event", Payload=body)
    elif service == "events":
        _put_event(destination, record, success)
    elif service == "s3" and not success:
        bucket = destination.split(":::")[-1]
        key = f"aws/lambda/async/{record['requestContext']['requestId']}-{uuid.uuid4().hex}"
        _client("s3", destination).put_object(Bucket=bucket, Key=key, Body=body)


def _put_event(bus: str, record: dict[str, Any], success: bool) -> None:
    function_arn = record["requestContext"]["functionArn"]
    _client("events", bus).put_events(Entries=[{
        "Source": "lambda", "DetailType": DETAIL_TYPES[success], "Detail": json.dumps(record),
        "EventBusName": bus, "Resources": [bus, function_arn]}])


def dead_letter(target: str, payload: str, request_id: str, status: int,
                message: str) -> None:
    """Send the original event to a DLQ with AWS's three message attributes."""
    attributes = {
        "RequestID": {"DataType": "String", "StringValue": request_id},
        "ErrorCode": {"DataType": "Number", "StringValue": str(status)},
        "ErrorMessage": {"DataType": "String", "StringValue": message[:1024] or "Unknown"},
    }
    if target.split(":")[2] == "sqs":
        _client("sqs", target).send_message(QueueUrl=_queue_url(target), MessageBody=payload,
                                            MessageAttributes=attributes)
    else:
        _client("sns", target).publish(TopicArn=target, Message=payload,
                                       MessageAttributes=attributes)
