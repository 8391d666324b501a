"""Event source mappings: Lambda's pollers for SQS queues and DynamoDB streams.

AWS: for SQS, Lambda "polls the queue and invokes your function synchronously with an event
that contains queue messages"; a successful batch is deleted; on a function error the whole
batch becomes visible again after the visibility timeout, unless ``ReportBatchItemFailures``
lets the function name the failed messages; the source queue's redrive policy moves messages
that keep failing to its dead-letter queue.
https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
For DynamoDB Streams, Lambda reads records in order per shard and retries a failing batch
until it succeeds, the records expire or ``MaximumRetryAttempts`` is used up (default -1,
infinite); ``BisectBatchOnFunctionError`` splits a failing batch; an on-failure destination
receives metadata about the batch, not the records.
https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html

moto pushes to functions inside SendMessage and PutItem instead; the seam in ``create``
takes the mapping away from moto's push and polls it here, on the lab's virtual clock
(every second of virtual time, and at every ``lab.settle()``).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

from moto.awslambda.exceptions import (
    GenericResourcNotFound,
    InvalidParameterValueException,
    UnknownFunctionException,
)
from moto.awslambda.models import EventSourceMapping, LambdaBackend, lambda_backends
from moto.core.exceptions import JsonRESTError

from serverless_lab import seams
from serverless_lab.awslambda.destinations import deliver, iso

POLL_SECONDS = 1.0
STREAM_DEFAULT_BATCH = 100


@dataclass
class StreamCursor:
    """Where a stream mapping stands: next record, failures of the current batch."""

    position: int
    attempts: int = 0
    window: int = 0  # a bisected batch's size; 0 = the mapping's batch size
    done: list[str] = field(default_factory=list)


class Pollers:
    """Every event source mapping of the lab, polled on the virtual clock."""

    def __init__(self, clock: Any) -> None:
        self.clock = clock
        self._cursors: dict[str, StreamCursor] = {}
        self._lock = threading.RLock()
        self._ticking = False

    def reset(self) -> None:
        with self._lock:
            self._cursors.clear()
            self._ticking = False

    def track(self, esm: EventSourceMapping, stream_items: int | None) -> None:
        """Start polling ``esm`` (a stream mapping starts at TRIM_HORIZON or LATEST)."""
        with self._lock:
            if stream_items is not None:
                start = stream_items if esm.starting_position == "LATEST" else 0
                self._cursors[esm.uuid] = StreamCursor(start)
            if not self._ticking:
                self._ticking = True
                self.clock.call_later(POLL_SECONDS, self._tick)

    def _tick(self) -> None:
        self.poll_all()
        with self._lock:
            if self._ticking:
                self.clock.call_later(POLL_SECONDS, self._tick)

    def poll_all(self) -> int:
        """Poll every enabled mapping once; return how many batches were delivered."""
        delivered = 0
        with self._lock:
            for esm in _mappings():
                if esm.enabled:
                    delivered += self._poll(esm)
        return delivered

    def _poll(self, esm: EventSourceMapping) -> int:
        if ":sqs:" in esm.event_source_arn:
            from serverless_lab.awslambda.sqs_poller import poll_queue

            return poll_queue(esm, self.clock)
        cursor = self._cursors.get(esm.uuid)
        return 0 if cursor is None else self._poll_stream(esm, cursor)

    def _poll_stream(self, esm: EventSourceMapping, cursor: StreamCursor) -> int:
        items = _stream_items(esm)
        size = cursor.window or int(esm.batch_size or STREAM_DEFAULT_BATCH)
        batch = items[cursor.position:cursor.position + size]
        if not batch:
            return 0
        from serverless_lab.awslambda.invoke import run

        fn = _function(esm)
        event = json.dumps({"Records": [_stream_record(esm, item) for item in batch]})
        _, outcome = run(fn, event, esm.function_arn)
        if outcome.function_error is None:
            cursor.position, cursor.attempts, cursor.window = cursor.position + len(batch), 0, 0
            return 1
        self._stream_failure(esm, cursor, batch, outcome)
        return 1

    def _stream_failure(self, esm: EventSourceMapping, cursor: StreamCursor, batch: list[Any],
                        outcome: Any) -> None:
        cursor.attempts += 1
        if esm.bisect_on_error and len(batch) > 1:
            cursor.window = (len(batch) + 1) // 2
            return
        limit = -1 if esm.max_retry_attempts is None else int(esm.max_retry_attempts)
        if limit < 0 or cursor.attempts <= limit:
            return
        destination = ((esm.destination_config or {}).get("OnFailure") or {}).get("Destination")
        if destination:
            deliver(destination, _batch_record(esm, batch, cursor.attempts, outcome,
                                               self.clock.now()), success=False)
        cursor.position, cursor.attempts, cursor.window = cursor.position + len(batch), 0, 0


def _mappings() -> list[EventSourceMapping]:
    found: list[EventSourceMapping] = []
    for account in list(lambda_backends.keys()):
        for region in list(lambda_backends[account].keys()):
            found.extend(lambda_backends[account][region]._event_source_mappings.values())
    return found


def _function(esm: EventSourceMapping) -> Any:
    backend = lambda_backends[esm.account_id][esm.region]
    return backend.get_function(esm.function_arn)


def _table(esm: EventSourceMapping) -> Any:
    from moto.dynamodb.models import dynamodb_backends

    name = esm.event_source_arn.split(":table/")[1].split("/")[0]
    return dynamodb_backends[esm.account_id][esm.region].get_table(name)


def _stream_items(esm: EventSourceMapping) -> list[Any]:
    shard = _table(esm).stream_shard
    items: list[Any] = shard.items if shard is not None else []
    return items


def _stream_record(esm: EventSourceMapping, item: Any) -> dict[str, Any]:
    record = item.to_json()
    dynamodb = dict(record["dynamodb"])
    created: Any = dynamodb.get("ApproximateCreationDateTime")
    if created is not None and hasattr(created, "timestamp"):
        dynamodb["ApproximateCreationDateTime"] = int(created.timestamp())
    return {"eventID": record["eventID"], "eventName": record["eventName"],
            "eventVersion": record["eventVersion"], "eventSource": record["eventSource"],
            "awsRegion": esm.region, "dynamodb": dynamodb,
            "eventSourceARN": esm.event_source_arn}


def _batch_record(esm: EventSourceMapping, batch: list[Any], attempts: int, outcome: Any,
                  when: float) -> dict[str, Any]:
    """What an on-failure destination of a stream mapping receives (no records)."""
    numbers = [item.to_json()["dynamodb"]["SequenceNumber"] for item in batch]
    shard = _table(esm).stream_shard
    return {
        "requestContext": {"requestId": "", "functionArn": esm.function_arn,
                           "condition": "RetryAttemptsExhausted",
                           "approximateInvokeCount": attempts},
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST",
                            "functionError": outcome.function_error},
        "version": "1.0", "timestamp": iso(when),
        "DDBStreamBatchInfo": {"shardId": shard.id, "startSequenceNumber": numbers[0],
                               "endSequenceNumber": numbers[-1], "batchSize": len(batch),
                               "streamArn": esm.event_source_arn},
    }


def create(self: LambdaBackend, spec: dict[str, Any]) -> EventSourceMapping:
    """CreateEventSourceMapping: keep moto's record, take the mapping off moto's push. No
    ``EventSourceArn`` answers "Unrecognized event source." (LocalStack
    ``TestLambdaEventSourceMappings::test_event_source_mapping_exceptions``, recorded on AWS)."""
    if not spec.get("EventSourceArn"):
        raise InvalidParameterValueException("Unrecognized event source.")
    try:
        self.get_function(spec.get("FunctionName", ""))
    except UnknownFunctionException:  # 400, as recorded (create_unknown_params)
        raise InvalidParameterValueException("Function does not exist") from None
    _check_visibility(self, spec.get("FunctionName", ""), spec.get("EventSourceArn") or "")
    esm: EventSourceMapping = seams.original(LambdaBackend, "create_event_source_mapping")(
        self, spec)
    stream_items = None
    if ":sqs:" in esm.event_source_arn:
        _unregister_queue(esm)
    elif ":dynamodb:" in esm.event_source_arn:
        table = _table(esm)
        table.lambda_event_source_mappings.pop(esm.function_arn, None)
        stream_items = len(_stream_items(esm))
    seams.host().pollers.track(esm, stream_items)
    return esm


def update(self: LambdaBackend, uuid: str, spec: dict[str, Any]) -> EventSourceMapping | None:
    """UpdateEventSourceMapping: the timeout rule is checked again, for the function the
    mapping will invoke (a new ``FunctionName``, or the one it has)."""
    esm = self.get_event_source_mapping(uuid)
    if esm is None:
        raise GenericResourcNotFound()
    _check_visibility(self, spec.get("FunctionName") or esm.function_arn, esm.event_source_arn)
    updated: EventSourceMapping | None = seams.original(
        LambdaBackend, "update_event_source_mapping")(self, uuid, spec)
    return updated


def _check_visibility(backend: LambdaBackend, function_name: str, source_arn: str) -> None:
    """AWS: "Your function's timeout must be less than or equal to the queue's visibility
    timeout. Lambda validates this requirement when you create or update an event source
    mapping and will return an error if the function timeout exceeds the queue's visibility
    timeout." https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
    The message is AWS's, as deployment tools quote it (terraform-aws-github-runner issue
    465, winglang/wing issue 1507). UpdateFunctionConfiguration is not checked: the page
    names only the mapping's own create and update calls."""
    if ":sqs:" not in source_arn or not function_name:
        return
    queue = _queue(backend.account_id, backend.region_name, source_arn)
    try:
        fn = backend._lambdas.get_function_by_name_or_arn_with_qualifier(function_name)
    except JsonRESTError:
        return  # moto answers a missing function itself
    if queue is None:
        return
    visibility, timeout = int(queue.visibility_timeout), int(fn.timeout)
    if timeout > visibility:
        raise InvalidParameterValueException(
            f"Queue visibility timeout: {visibility} seconds is less than Function timeout: "
            f"{timeout} seconds")


def _queue(account_id: str, region: str, arn: str) -> Any:
    from moto.sqs.models import sqs_backends

    return next((queue for queue in sqs_backends[account_id][region].queues.values()
                 if queue.queue_arn == arn), None)


def _unregister_queue(esm: EventSourceMapping) -> None:
    queue = _queue(esm.account_id, esm.region, esm.event_source_arn)
    if queue is not None:
        queue.lambda_event_source_mappings.pop(esm.function_arn, None)


def delete(self: LambdaBackend, uuid: str) -> EventSourceMapping | None:
    """DeleteEventSourceMapping: an unknown UUID answers ResourceNotFoundException "The
    resource you requested does not exist." (same recording; moto answers 200 and ``{}``)."""
    if self.get_event_source_mapping(uuid) is None:
        raise GenericResourcNotFound()
    deleted: EventSourceMapping | None = seams.original(
        LambdaBackend, "delete_event_source_mapping")(self, uuid)
    return deleted
