"""API Gateway REST APIs served over real HTTP on 127.0.0.1.

AWS: a deployed stage answers at ``https://{api-id}.execute-api.{region}.amazonaws.com/{stage}``;
API Gateway matches the path against the API's resources (``/orders/{id}``, greedy
``{proxy+}``), applies throttling and API keys, calls the integration and logs to CloudWatch.
An unknown path answers 403 ``{"message": "Missing Authentication Token"}``.
https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-call-api.html

moto stores the configuration and serves none of it; this module serves it at
``lab.api_url(api_id, stage)`` = ``http://127.0.0.1:<port>/<api-id>/<stage>``.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from typing import Any

from werkzeug.exceptions import BadRequest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from serverless_lab.apigateway.gateway_logs import record
from serverless_lab.apigateway.integrations import (
    Call,
    Reply,
    http_reply,
    mock_reply,
    proxy_event,
    proxy_reply,
)
from serverless_lab.apigateway.throttling import ACCOUNT_BURST, ACCOUNT_RATE

LAMBDA_URI = re.compile(r"functions/(?P<arn>arn:[^/]+)/invocations")
DEFAULT_TIMEOUT_MS = 29_000


def _match(template: str, path: str) -> dict[str, str] | None:
    """Path parameters if ``path`` fits the resource ``template``, else None."""
    pattern = "^" + re.sub(r"\\\{(\w+)\\\+\\\}", r"(?P<\1>.+)",
                           re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))) + "$"
    found = re.match(pattern, path)
    return found.groupdict() if found else None


def route(api: Any, path: str) -> tuple[Any, dict[str, str]] | None:
    """The most specific resource for ``path`` (literal segments beat parameters)."""
    best = None
    for resource in api.resources.values():
        params = _match(resource.get_path(), path or "/")
        if params is not None:
            score = (-len(params), "+" not in resource.get_path())
            if best is None or score > best[0]:
                best = (score, resource, params)
    return None if best is None else (best[1], best[2])


class Gateway:
    """The HTTP front: one werkzeug server for every API and stage of the lab."""

    def __init__(self, host: Any, middleware: Any = None) -> None:
        self.host = host
        # what the lab puts in front of every request (its /_lab/ control and access checks)
        self.middleware = middleware or (lambda app: app)
        self._server: Any = None

    @property
    def base(self) -> str:
        return f"http://{_url_host(self._bind)}:{self._server.server_port}"

    @property
    def _bind(self) -> str:
        """The lab's own address (``serverless-lab serve --host``): loopback by default."""
        settings = getattr(self.host, "settings", None)
        return str(getattr(settings, "host", "127.0.0.1"))

    def start(self) -> None:
        if self._server is None:
            app = self.middleware(self._wsgi)  # /_lab/ here too
            self._server = make_server(self._bind, 0, app, threaded=True)
            threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                             daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server = None

    def url(self, api_id: str, stage: str) -> str:
        return f"{self.base}/{api_id}/{stage}"

    def _wsgi(self, environ: Any, start_response: Any) -> Any:
        request = Request(environ)
        started = self.host.clock.now()
        reply, context = self.handle(request)
        context["latency"] = int((self.host.clock.now() - started) * 1000)
        record(self.host, context, reply)
        response = Response(reply.body, status=reply.status, headers=reply.headers)
        response.headers["x-amzn-RequestId"] = context["requestId"]
        return response(environ, start_response)

    def handle(self, request: Request) -> tuple[Reply, dict[str, Any]]:
        parts = request.path.split("/", 3)
        api_id, stage_name = (parts + ["", ""])[1:3]
        body = _body(request)
        call = Call(request.method, "/" + (parts[3] if len(parts) > 3 else ""),
                    dict(request.headers), request.args.to_dict(flat=False),
                    body or b"", request.remote_addr or "127.0.0.1")
        context = {"requestId": str(uuid.uuid4()), "apiId": api_id, "stage": stage_name,
                   "httpMethod": call.method, "path": call.path, "resourcePath": "",
                   "sourceIp": call.source_ip, "requestTime": self.host.clock.now()}
        if body is None:
            return Reply.json(400, {"message": "Bad Request"}), context
        return self._dispatch(call, api_id, stage_name, context), context

    def _dispatch(self, call: Call, api_id: str, stage_name: str,
                  context: dict[str, Any]) -> Reply:
        from moto.apigateway.models import apigateway_backends

        backend = apigateway_backends[self.host.account_id][self.host.region]
        api = backend.apis.get(api_id)
        stage = api.stages.get(stage_name) if api else None
        if api is None or stage is None:
            return Reply.json(403, {"message": "Forbidden"})
        found = route(api, call.path)
        method = found and (found[0].resource_methods.get(call.method)
                            or found[0].resource_methods.get("ANY"))
        if not found or not method:
            return Reply.json(403, {"message": "Missing Authentication Token"})
        resource, params = found
        context["resourcePath"] = resource.get_path()
        refusal = self._admit(backend, api, stage, method, call, context)
        return refusal or self.integrate(api, stage, method, call, params, context)

    def _admit(self, backend: Any, api: Any, stage: Any, method: Any, call: Call,
               context: dict[str, Any]) -> Reply | None:
        """API key, then usage plan, stage/method and account throttles, in AWS's order."""
        throttles = self.host.throttles
        if method.api_key_required:
            plan_key = _usage_plan(backend, api.id, stage.name, call.headers.get("X-Api-Key"))
            if plan_key is None:
                return Reply.json(403, {"message": "Forbidden"})
            plan, key = plan_key
            limit = plan.throttle or {}
            if limit and not throttles.allow(("plan", plan.id, key.id),
                                             float(limit.get("rateLimit", ACCOUNT_RATE)),
                                             float(limit.get("burstLimit", ACCOUNT_BURST))):
                return Reply.json(429, {"message": "Too Many Requests"})
            quota = plan.quota or {}
            if quota and not throttles.within_quota(("quota", plan.id, key.id),
                                                    int(quota["limit"]),
                                                    str(quota.get("period", "DAY"))):
                return Reply.json(429, {"message": "Limit Exceeded"})
            throttles.count(plan.id, key.id)
        rate, burst, scope = _stage_limits(stage, context["resourcePath"], call.method)
        if scope and not throttles.allow(("stage", api.id, stage.name, scope), rate, burst):
            return Reply.json(429, {"message": "Too Many Requests"})
        if not throttles.allow(("account", self.host.region), ACCOUNT_RATE, ACCOUNT_BURST):
            return Reply.json(429, {"message": "Too Many Requests"})
        return None

    def integrate(self, api: Any, stage: Any, method: Any, call: Call,
                  params: dict[str, str], context: dict[str, Any]) -> Reply:
        """The method's integration for one call (a deployed stage's, or TestInvokeMethod's)."""
        integration = method.method_integration
        if integration is None:
            return Reply.json(500, {"message": "Internal server error"})
        started = time.perf_counter()
        timeout = int(integration.timeout_in_millis or DEFAULT_TIMEOUT_MS) / 1000
        kind = str(integration.integration_type).upper()
        if kind == "AWS_PROXY":
            reply = self._lambda(api, stage, call, params, context, integration, timeout)
        elif kind == "MOCK":
            reply = mock_reply(integration)
        else:
            reply = http_reply(integration, call, timeout)
        context["integrationLatency"] = int((time.perf_counter() - started) * 1000)
        return reply

    def _lambda(self, api: Any, stage: Any, call: Call, params: dict[str, str],
                context: dict[str, Any], integration: Any, timeout: float) -> Reply:
        from moto.awslambda.models import lambda_backends

        from serverless_lab.awslambda.invoke import run

        found = LAMBDA_URI.search(integration.uri or "")
        # Lambda is invoked with POST: a proxy integration set to another integration HTTP
        # method answers 500, as recorded (AWS-RESPONSES.md 7e,
        # test_lambda_aws_proxy_integration_non_post_method)
        if found is None or str(integration.http_method or "POST").upper() != "POST":
            return Reply.json(500, {"message": "Internal server error"})
        arn = found.group("arn")
        try:
            fn = lambda_backends[arn.split(":")[4]][arn.split(":")[3]].get_function(arn)
        except Exception:  # noqa: BLE001 - Lambda refused the invoke: AWS answers 500
            return Reply.json(500, {"message": "Internal server error"})
        event = proxy_event(call, api_id=api.id, stage=stage.name,
                            resource=context["resourcePath"], path_parameters=params,
                            request_id=context["requestId"], account=api.account_id,
                            stage_variables=stage.variables, now=context["requestTime"])
        _, outcome = run(fn, json.dumps(event), arn)
        if outcome.duration_ms > timeout * 1000:
            return Reply.json(504, {"message": "Endpoint request timed out"})
        return proxy_reply(outcome.payload, outcome.function_error)


def _body(request: Request) -> bytes | None:
    """The request body, or None when its HTTP framing is broken: a chunk size that is not
    hexadecimal, or a body shorter than its Content-Length. Such a request never reaches
    API Gateway's integration; the issue (16) saw AWS answer 400 where the emulator answered
    an HTML 500. The body here, ``{"message": "Bad Request"}``, is the emulator's: no
    recording of AWS's body for this case was found."""
    try:
        return request.get_data()
    except (OSError, ValueError, BadRequest):
        return None


def _url_host(bind: str) -> str:
    """How a client on this machine reaches an address the server is bound to."""
    if bind in ("", "0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{bind}]" if ":" in bind else bind


def _usage_plan(backend: Any, api_id: str, stage: str, value: str | None) -> Any:
    key = next((k for k in backend.keys.values() if k.value == value and k.enabled), None)
    if key is None:
        return None
    for plan in backend.usage_plans.values():
        stages = {(s.get("apiId"), s.get("stage")) for s in plan.api_stages}
        if (api_id, stage) in stages and key.id in backend.usage_plan_keys.get(plan.id, {}):
            return plan, key
    return None


def _stage_limits(stage: Any, resource_path: str, method: str) -> tuple[float, float, str]:
    settings = stage.method_settings or {}
    for scope in (f"{resource_path.lstrip('/')}/{method}", "*/*"):
        chosen = settings.get(scope)
        if chosen and "throttlingRateLimit" in chosen:
            return (float(chosen["throttlingRateLimit"]),
                    float(chosen.get("throttlingBurstLimit", chosen["throttlingRateLimit"])),
                    scope)
    return 0.0, 0.0, ""
