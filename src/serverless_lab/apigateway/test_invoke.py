"""TestInvokeMethod: run one method's integration without a deployment, as the console's Test.

AWS: "Simulate the invocation of a Method in your RestApi with headers, parameters, and an
incoming request body." The answer has ``status``, ``body``, ``headers``,
``multiValueHeaders``, ``log`` (the execution log of the call) and ``latency`` (ms).
https://docs.aws.amazon.com/apigateway/latest/api/API_TestInvokeMethod.html. A test
invocation runs in the stage ``test-invoke-stage`` (the execute-api ARN
``.../test-invoke-stage/GET/...`` that AWS CDK grants Lambda permission for, e.g. in
LocalStack's tests/aws/cdk_templates/APIGWtest/ApiGatewayStack.json); the emulator passes no
API key, usage plan or throttle check, as the console's Test does not deploy or meter.
Missing API, resource or method: NotFoundException "Invalid Resource identifier specified" /
"Invalid Method identifier specified" (LocalStack test_apigateway_api.snapshot.json,
``TestApigatewayTestInvoke::test_invoke_test_method``, recorded on AWS).

The integration runs through the lab's gateway (``Gateway.integrate``), the same code a
deployed stage runs.
"""

from __future__ import annotations

import json
import time
import uuid
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

from serverless_lab import seams
from serverless_lab.apigateway import errors
from serverless_lab.apigateway.gateway import _match
from serverless_lab.apigateway.integrations import Call
from serverless_lab.apigateway.resources import get_resource

STAGE = "test-invoke-stage"


def _log(request_id: str, call: Call, resource_path: str, params: dict[str, str],
         status: int, body: str, headers: dict[str, str]) -> str:
    """The execution log, line by line as AWS writes it for a test invoke."""
    stamp = time.strftime("%a %b %d %H:%M:%S UTC %Y", time.gmtime(seams.host().clock.now()))

    def listing(mapping: dict[str, Any]) -> str:
        return "{" + ", ".join(f"{k}={v}" for k, v in mapping.items()) + "}"

    query = {k: ",".join(v) for k, v in call.query.items()}
    lines = [f"Starting execution for request: {request_id}",
             f"HTTP Method: {call.method}, Resource Path: {call.path}",
             f"Method request path: {listing(params)}",
             f"Method request query string: {listing(query)}",
             f"Method request headers: {listing(call.headers)}",
             f"Method request body before transformations: {call.body.decode('utf-8', 'replace')}",
             f"Method response body after transformations: {body}",
             f"Method response headers: {listing(headers)}",
             "Successfully completed execution",
             f"Method completed with status: {status}"]
    return "\n".join([f"Execution log for request {request_id}"]
                     + [f"{stamp} : {line}" for line in lines] + [""])


def _call(self: Any, method: str, resource: Any) -> Call:
    target = urlsplit(self._get_param("pathWithQueryString") or resource.get_path())
    query = parse_qs(target.query)
    headers = dict(self._get_param("headers") or {})
    body = (self._get_param("body") or "").encode()
    return Call(method, target.path or "/", headers, query, body, "test-invoke-source-ip")


def test_invoke_method(self: Any) -> tuple[int, dict[str, str], str]:
    """TestInvokeMethod (POST /restapis/{id}/resources/{resource_id}/methods/{http_method})."""
    parts = self.path.split("/")
    if parts[2] not in self.backend.apis:
        raise errors.NotFound(errors.RESOURCE)
    api = self.backend.apis[parts[2]]
    resource = get_resource(self.backend, parts[2], parts[4])
    method = resource.get_method(parts[6])
    call = _call(self, parts[6], resource)
    params = _match(resource.get_path(), call.path) or {}
    stage = SimpleNamespace(name=STAGE, variables=self._get_param("stageVariables") or {})
    request_id = str(uuid.uuid4())
    host = seams.host()
    context = {"requestId": request_id, "apiId": api.id, "stage": STAGE,
               "httpMethod": call.method, "path": call.path,
               "resourcePath": resource.get_path(), "sourceIp": call.source_ip,
               "requestTime": host.clock.now()}
    started = time.perf_counter()
    reply = host.gateway.integrate(api, stage, method, call, params, context)
    latency = int((time.perf_counter() - started) * 1000)
    body = reply.body.decode("utf-8", "replace")
    headers = dict(reply.headers)
    return 200, {}, json.dumps({
        "status": reply.status, "body": body, "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "log": _log(request_id, call, resource.get_path(), params, reply.status, body, headers),
        "latency": latency})
