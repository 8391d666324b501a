from __future__ import annotations

from serverless_lab.apigateway.gateway_logs import access_line
from serverless_lab.apigateway.integrations import Reply

CONTEXT = {"requestId": "r-1", "apiId": "a1", "stage": "dev", "httpMethod": "GET",
           "path": "/orders/7", "resourcePath": "/orders/{id}", "sourceIp": "127.0.0.1",
           "requestTime": 0.0, "latency": 3, "integrationLatency": 2}


def test_context_variables_are_substituted() -> None:
    line = access_line('$context.requestId $context.status "$context.httpMethod '
                       '$context.resourcePath" $context.responseLength $context.unknown',
                       CONTEXT, Reply(201, b"abc"))
    assert line == 'r-1 201 "GET /orders/{id}" 3 -'


def test_clf_like_format_with_time_and_ip() -> None:
    line = access_line("$context.identity.sourceIp [$context.requestTime] $context.path",
                       CONTEXT, Reply(200, b""))
    assert line == "127.0.0.1 [01/Jan/1970:00:00:00 +0000] /dev/orders/7"
