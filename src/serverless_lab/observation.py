"""What can be seen of a lab run from outside, for ``settle`` when time is real.

AWS offers no "is anything still in flight?" call: asynchronous invocations, retries and
pollers are internal to the service. What a client can see is their effect: messages in the
run's queues (ApproximateNumberOfMessages, ...NotVisible, ...Delayed), executions of the run's
Standard state machines still RUNNING, and the time of the latest event in each of the run's
Lambda log groups. When none of that changes for a while, the run has settled.
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.exceptions import ClientError

QUEUE_COUNTS = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed"]


def observe(prefix: str) -> tuple[Any, ...]:
    """A comparable snapshot of everything observable about the run's resources."""
    return (_queues(prefix), _executions(prefix), _log_events(prefix))


def _queues(prefix: str) -> tuple[Any, ...]:
    sqs = boto3.client("sqs")
    urls = sqs.list_queues(QueueNamePrefix=prefix).get("QueueUrls", [])
    return tuple((url, tuple(sorted(_attributes(sqs, url).items()))) for url in sorted(urls))


def _attributes(sqs: Any, url: str) -> dict[str, str]:
    try:
        attributes: dict[str, str] = sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=QUEUE_COUNTS)["Attributes"]
    except ClientError:  # deleted between the list and the look
        return {}
    return attributes


def _executions(prefix: str) -> tuple[Any, ...]:
    sfn = boto3.client("stepfunctions")
    machines = [m for page in sfn.get_paginator("list_state_machines").paginate()
                for m in page["stateMachines"]
                if m["name"].startswith(prefix) and m.get("type") == "STANDARD"]
    return tuple((m["name"], len(sfn.list_executions(
        stateMachineArn=m["stateMachineArn"], statusFilter="RUNNING")["executions"]))
        for m in machines)


def _log_events(prefix: str) -> tuple[Any, ...]:
    logs = boto3.client("logs")
    groups = [g["logGroupName"] for page in logs.get_paginator("describe_log_groups").paginate(
        logGroupNamePrefix=f"/aws/lambda/{prefix}") for g in page["logGroups"]]
    return tuple((group, _latest_event(logs, group)) for group in groups)


def _latest_event(logs: Any, group: str) -> int:
    streams = logs.describe_log_streams(logGroupName=group, orderBy="LastEventTime",
                                        descending=True, limit=1)["logStreams"]
    return int(streams[0].get("lastEventTimestamp", 0)) if streams else 0
