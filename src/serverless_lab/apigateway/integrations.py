"""API Gateway integrations: Lambda proxy (AWS_PROXY), MOCK and HTTP.

AWS: with a Lambda proxy integration, API Gateway sends the whole request as the event
(``resource``, ``path``, ``httpMethod``, ``headers``, ``queryStringParameters``,
``pathParameters``, ``requestContext``, ``body``, ``isBase64Encoded`` ...) and expects
``{"statusCode", "headers", "body"}`` back; a malformed response or a function error gives
502 ``{"message": "Internal server error"}`` (AWS-RESPONSES.md 7b).
https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

INTERNAL_ERROR = {"message": "Internal server error"}
PROXY_KEYS = {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded",
              "cookies"}


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, document: Any) -> Reply:
        return cls(status, json.dumps(document).encode(), {"Content-Type": "application/json"})


@dataclass
class Call:
    """One request as the gateway saw it."""

    method: str
    path: str  # after the stage, e.g. /orders/7
    headers: dict[str, str]
    query: dict[str, list[str]]
    body: bytes
    source_ip: str


def proxy_event(call: Call, *, api_id: str, stage: str, resource: str,
                path_parameters: dict[str, str], request_id: str, account: str,
                stage_variables: dict[str, str], now: float) -> dict[str, Any]:
    """The REST (payload 1.0) Lambda proxy event; ``now`` is the lab's virtual time."""
    text = call.body.decode("utf-8", "replace") if call.body else None
    return {
        "resource": resource, "path": call.path, "httpMethod": call.method,
        "headers": dict(call.headers) or None,
        "multiValueHeaders": {k: [v] for k, v in call.headers.items()} or None,
        "queryStringParameters": {k: v[-1] for k, v in call.query.items()} or None,
        "multiValueQueryStringParameters": dict(call.query) or None,
        "pathParameters": path_parameters or None,
        "stageVariables": stage_variables or None,
        "requestContext": {
            "resourcePath": resource, "httpMethod": call.method, "path": f"/{stage}{call.path}",
            "accountId": account, "protocol": "HTTP/1.1", "stage": stage, "requestId": request_id,
            "requestTimeEpoch": int(now * 1000), "apiId": api_id,
            "identity": {"sourceIp": call.source_ip,
                         "userAgent": call.headers.get("User-Agent")}},
        "body": text, "isBase64Encoded": False,
    }


def _valid(document: Any) -> bool:
    """AWS-RESPONSES 7b: an object of known keys only, not empty, with a numeric status."""
    if not isinstance(document, dict) or not document or not set(document) <= PROXY_KEYS:
        return False
    status = document.get("statusCode", 200)
    if isinstance(status, str):
        status = int(status) if status.isdigit() else None
    multi = document.get("multiValueHeaders") or {}
    return isinstance(status, int) and all(isinstance(v, list) for v in multi.values())


def proxy_reply(payload: bytes, function_error: str | None) -> Reply:
    """Turn the function's answer into the HTTP response, as AWS-RESPONSES 7b records it."""
    try:
        document = json.loads(payload or b"null")
    except ValueError:
        document = None
    if function_error or not _valid(document):
        return Reply.json(502, INTERNAL_ERROR)
    headers = {k: str(v) for k, v in (document.get("headers") or {}).items()}
    for key, values in (document.get("multiValueHeaders") or {}).items():
        headers[key] = ", ".join(str(v) for v in values)
    body = document.get("body") or ""
    return Reply(int(document.get("statusCode", 200)), str(body).encode(), headers)


def mock_reply(integration: Any) -> Reply:
    """MOCK: the status chosen by the request template, the integration response's body."""
    templates = integration.request_templates or {}
    try:
        status = int(json.loads(templates.get("application/json") or "{}").get("statusCode", 200))
    except (ValueError, AttributeError):
        status = 200
    responses = integration.integration_responses or {}
    chosen = responses.get(str(status)) or next(iter(responses.values()), None)
    body = ""
    if chosen is not None:
        body = (chosen.response_templates or {}).get("application/json") or ""
    return Reply(status, body.encode(), {"Content-Type": "application/json"})


def http_reply(integration: Any, call: Call, timeout: float) -> Reply:
    """HTTP / HTTP_PROXY: forward the request to the integration's URI."""
    import requests

    try:
        answer = requests.request(integration.http_method or call.method, integration.uri,
                                  params=call.query, data=call.body, timeout=timeout)
    except requests.Timeout:
        return Reply.json(504, {"message": "Endpoint request timed out"})
    except requests.RequestException:
        return Reply.json(502, INTERNAL_ERROR)
    return Reply(answer.status_code, answer.content,
                 {"Content-Type": answer.headers.get("Content-Type", "application/json")})
