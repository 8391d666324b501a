"""Lambda proxy responses as API Gateway turns them into HTTP (AWS-RESPONSES.md 7b)."""

from __future__ import annotations

import json

import pytest

from serverless_lab.apigateway.integrations import Call, proxy_event, proxy_reply

ERROR = (502, b'{"message": "Internal server error"}')


@pytest.mark.parametrize(("returned", "expected"), [
    ({"statusCode": 200, "wrongValue": "value"}, ERROR),
    ({}, ERROR),
    ({"statusCode": 200, "multiValueHeaders": {"x": "value1"}}, ERROR),
    ({"statusCode": "test"}, ERROR),
    ("justAString", ERROR),
    ({"statusCode": "201"}, (201, b"")),
    ({"statusCode": 200}, (200, b"")),
    ({"headers": {"test-header": "value"}}, (200, b"")),
    ({"statusCode": 200, "headers": None}, (200, b"")),
    ({"statusCode": 200, "body": "dGVzdC1kYXRh", "isBase64Encoded": True},
     (200, b"dGVzdC1kYXRh")),
])
def test_proxy_responses(returned, expected) -> None:
    reply = proxy_reply(json.dumps(returned).encode(), None)
    assert (reply.status, reply.body) == expected


def test_multi_value_headers_are_joined_and_function_errors_are_502() -> None:
    reply = proxy_reply(json.dumps({"statusCode": 200, "multiValueHeaders": {
        "test-multi": ["value1", "value2"]}}).encode(), None)
    assert reply.headers["test-multi"] == "value1, value2"
    assert proxy_reply(b'{"statusCode": 200}', "Unhandled").status == 502


def test_proxy_event_shape() -> None:
    call = Call("GET", "/orders/7", {"User-Agent": "t"}, {"x": ["1", "2"]}, b"", "127.0.0.1")
    event = proxy_event(call, api_id="a1", stage="dev", resource="/orders/{id}",
                        path_parameters={"id": "7"}, request_id="r1", account="123456789012",
                        stage_variables={}, now=86_400.0)
    assert event["queryStringParameters"] == {"x": "2"}
    assert event["multiValueQueryStringParameters"] == {"x": ["1", "2"]}
    assert event["requestContext"]["path"] == "/dev/orders/7" and event["body"] is None
    assert event["requestContext"]["requestTimeEpoch"] == 86_400_000  # the lab's clock
