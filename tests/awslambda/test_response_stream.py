"""InvokeWithResponseStream (awslambda/response_stream.py): boto3 reads the payload and the
completion from the event stream; a handler's error arrives in InvokeComplete."""

from __future__ import annotations

import json

import boto3

from serverless_lab.awslambda.response_stream import event

ECHO = "def handler(event, context):\n    return event\n"
FAIL = "def handler(event, context):\n    raise ValueError('no')\n"


def events(name: str, **kwargs) -> list[dict]:
    answer = boto3.client("lambda").invoke_with_response_stream(FunctionName=name, **kwargs)
    assert answer["StatusCode"] == 200 and answer["ExecutedVersion"] == "$LATEST"
    return list(answer["EventStream"])


def test_the_payload_streams_then_completes(make_function):
    make_function("fn", ECHO)
    chunk, done = events("fn", Payload=json.dumps({"a": 1}))
    assert json.loads(chunk["PayloadChunk"]["Payload"]) == {"a": 1}
    assert "ErrorCode" not in done["InvokeComplete"]


def test_a_handler_error_is_reported_in_invoke_complete(make_function):
    make_function("bad", FAIL)
    [done] = events("bad")
    assert done["InvokeComplete"]["ErrorCode"] == "Unhandled"
    assert json.loads(done["InvokeComplete"]["ErrorDetails"])["errorType"] == "ValueError"


def test_messages_are_framed_with_their_lengths():
    message = event("PayloadChunk", b"abc", "application/octet-stream")
    assert int.from_bytes(message[:4], "big") == len(message)
    assert message[-7:-4] == b"abc"
