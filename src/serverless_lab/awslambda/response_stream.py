"""InvokeWithResponseStream: an Invoke whose answer arrives as an event stream.

AWS: "Configure your Lambda function to stream response payloads back to clients"; the
answer is HTTP 200 with ``PayloadChunk`` events (the payload's bytes) and one closing
``InvokeComplete`` (``ErrorCode``, ``ErrorDetails``, ``LogResult``); ``InvocationType`` is
``RequestResponse`` (default) or ``DryRun``.
https://docs.aws.amazon.com/lambda/latest/api/API_InvokeWithResponseStream.html
https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html

The emulator runs Python handlers, which return their whole answer (streaming handlers are
a Node.js feature), so the payload comes as one chunk after the handler returns. Events use
AWS's binary event-stream framing (``application/vnd.amazon.eventstream``: lengths, headers,
CRC32s), which boto3 parses. moto has neither the operation nor its route (``routes.py``).
"""

from __future__ import annotations

import binascii
import json
import struct

from moto.awslambda.responses import LambdaResponse

from serverless_lab import seams
from serverless_lab.awslambda import invoke, limits

STREAM_TYPES = ("RequestResponse", "DryRun")  # ResponseStreamingInvocationType
CONTENT_TYPE = "application/vnd.amazon.eventstream"


def _header(name: str, value: str) -> bytes:
    raw_name, raw_value = name.encode(), value.encode()
    return (struct.pack("B", len(raw_name)) + raw_name + b"\x07"
            + struct.pack(">H", len(raw_value)) + raw_value)


def event(event_type: str, payload: bytes, content_type: str) -> bytes:
    """One event-stream message: prelude (lengths and their CRC), headers, payload, CRC."""
    headers = (_header(":message-type", "event") + _header(":event-type", event_type)
               + _header(":content-type", content_type))
    total = 12 + len(headers) + len(payload) + 4
    prelude = struct.pack(">II", total, len(headers))
    prelude += struct.pack(">I", binascii.crc32(prelude))
    message = prelude + headers + payload
    return message + struct.pack(">I", binascii.crc32(message))


def _stream_type(response: LambdaResponse) -> str:
    value = str(response.headers.get("X-Amz-Invocation-Type", "RequestResponse"))
    if value not in STREAM_TYPES:
        raise limits.ValidationException(
            f"Value '{value}' at 'invocationType' failed to satisfy constraint: Member must "
            f"satisfy enum value set: [{', '.join(STREAM_TYPES)}]")
    return value


def invoke_with_response_stream(self: LambdaResponse) -> tuple[int, dict[str, str], bytes]:
    """The operation: run the function once, then stream its payload and the completion."""
    name, qualifier = invoke.target(self)
    stream_type = _stream_type(self)
    fn = invoke.resolve_target(self, name, qualifier)
    body = self.body or b""
    limits.check_payload(body if isinstance(body, bytes) else body.encode(), asynchronous=False)
    payload = invoke.parse_event(body)
    spec = invoke.spec_for(fn, seams.host().runtime)
    headers = {"content-type": CONTENT_TYPE, "x-amz-executed-version": spec.version}
    if stream_type == "DryRun":
        return 204, {**headers, "status": "204"}, b""
    request_id, outcome = invoke.run(fn, payload, invoke.qualified_arn(fn, qualifier), spec)
    complete: dict[str, str] = {}
    if outcome.function_error:
        complete = {"ErrorCode": outcome.function_error,
                    "ErrorDetails": outcome.payload.decode("utf-8", "replace")}
    if self.headers.get("X-Amz-Log-Type") == "Tail":
        complete["LogResult"] = invoke.log_tail(outcome)
    chunks = b"" if outcome.function_error else event(
        "PayloadChunk", outcome.payload, "application/octet-stream")
    stream = chunks + event("InvokeComplete", json.dumps(complete).encode(), "application/json")
    return 200, {**headers, invoke.REQUEST_ID_HEADER: request_id}, stream
