"""The SQS side of an event source mapping: receive a batch, invoke, delete what succeeded.

AWS: "When your function successfully processes a batch, Lambda deletes its messages from
the queue"; on an error the batch "becomes visible again" after the queue's visibility
timeout; with ``ReportBatchItemFailures`` the function returns ``batchItemFailures`` and only
those messages stay. https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html

Visibility timeouts and redrive to the queue's dead-letter queue are moto's own; their
clock is the lab's virtual clock (the ``unix_time`` seam in ``seams.py``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from moto.awslambda.models import EventSourceMapping, lambda_backends

from serverless_lab import seams

SQS_DEFAULT_BATCH = 10


def _queue(esm: EventSourceMapping) -> Any:
    from moto.sqs.models import sqs_backends

    backend = sqs_backends[esm.account_id][esm.region]
    queue = next(q for q in backend.queues.values() if q.queue_arn == esm.event_source_arn)
    return backend, queue


def _record(esm: EventSourceMapping, message: Any) -> dict[str, Any]:
    return {
        "messageId": message.id, "receiptHandle": message.receipt_handle, "body": message.body,
        "attributes": {
            "ApproximateReceiveCount": str(message.approximate_receive_count),
            "SentTimestamp": str(message.sent_timestamp),
            "SenderId": "AIDAIENQZJOLO23YVJ4VO",
            "ApproximateFirstReceiveTimestamp": str(message.approximate_first_receive_timestamp)},
        "messageAttributes": {}, "md5OfBody": hashlib.md5(message.body.encode()).hexdigest(),
        "eventSource": "aws:sqs", "eventSourceARN": esm.event_source_arn,
        "awsRegion": esm.region,
    }


def _failed_ids(esm: EventSourceMapping, outcome: Any) -> set[str] | None:
    """Message ids the function reported as failed, or None for "the whole batch"."""
    if outcome.function_error:
        return None
    if "ReportBatchItemFailures" not in (esm.function_response_types or []):
        return set()
    try:
        failures = json.loads(outcome.payload or b"null") or {}
        return {f["itemIdentifier"] for f in failures.get("batchItemFailures", [])}
    except (ValueError, TypeError, KeyError, AttributeError):
        return None  # an unreadable response fails the whole batch


def poll_queue(esm: EventSourceMapping, clock: Any) -> int:
    """Receive one batch and invoke the function with it; return 1 if a batch was sent."""
    from serverless_lab.awslambda.invoke import TooManyRequestsException, run

    backend, queue = _queue(esm)
    messages = backend.receive_message(queue.name, int(esm.batch_size or SQS_DEFAULT_BATCH),
                                       0, queue.visibility_timeout)
    if not messages:
        return 0
    fn = lambda_backends[esm.account_id][esm.region].get_function(esm.function_arn)
    event = json.dumps({"Records": [_record(esm, m) for m in messages]})
    try:
        _, outcome = run(fn, event, esm.function_arn)
    except TooManyRequestsException:
        return 1  # throttled: the batch becomes visible again after the timeout
    failed = _failed_ids(esm, outcome)
    if failed is None:
        return 1
    for message in messages:
        if message.id not in failed:
            backend.delete_message(queue.name, message.receipt_handle)
    return 1


def clock_seconds(dt: Any = None) -> float:
    """moto SQS's clock (visibility timeouts, delays, retention) is the lab's clock."""
    if dt is not None:
        return float(seams.original(_sqs_models(), "unix_time")(dt))
    return float(seams.host().clock.now())


def clock_millis(dt: Any = None) -> float:
    if dt is not None:
        return float(seams.original(_sqs_models(), "unix_time_millis")(dt))
    return float(seams.host().clock.now() * 1000)


def _sqs_models() -> Any:
    from moto.sqs import models

    return models
