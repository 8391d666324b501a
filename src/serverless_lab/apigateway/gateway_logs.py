"""What API Gateway tells CloudWatch about each request: access logs, execution logs and
metrics.

AWS: access logs are written in the stage's format, built from ``$context`` variables (it
must include ``$context.requestId`` or ``$context.extendedRequestId``); execution logs
(REST only, level ERROR or INFO) go to ``API-Gateway-Execution-Logs_{apiId}/{stage}``; the
metrics ``Count``, ``4XXError``, ``5XXError``, ``Latency`` and ``IntegrationLatency`` are
published per API and stage in the ``AWS/ApiGateway`` namespace.
https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from serverless_lab.apigateway.integrations import Reply
from serverless_lab.awslambda import logs

NAMESPACE = "AWS/ApiGateway"


def _context_values(context: dict[str, Any], reply: Reply) -> dict[str, str]:
    when = datetime.datetime.fromtimestamp(context["requestTime"], datetime.timezone.utc)
    return {
        "requestId": context["requestId"], "extendedRequestId": context["requestId"],
        "apiId": context["apiId"], "stage": context["stage"],
        "httpMethod": context["httpMethod"], "path": f"/{context['stage']}{context['path']}",
        "resourcePath": context["resourcePath"] or "-", "status": str(reply.status),
        "protocol": "HTTP/1.1", "responseLength": str(len(reply.body)),
        "identity.sourceIp": context["sourceIp"],
        "requestTime": when.strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "requestTimeEpoch": str(int(context["requestTime"] * 1000)),
        "integrationLatency": str(context.get("integrationLatency", 0)),
        "responseLatency": str(context.get("latency", 0)),
    }


def access_line(fmt: str, context: dict[str, Any], reply: Reply) -> str:
    """``fmt`` with every ``$context.x`` replaced (unknown variables become ``-``)."""
    values = _context_values(context, reply)
    return re.sub(r"\$context\.([\w.]+)", lambda m: values.get(m.group(1), "-"), fmt)


def record(host: Any, context: dict[str, Any], reply: Reply) -> None:
    """Access log, execution log and metrics for one request (nothing for unknown APIs)."""
    from moto.apigateway.models import apigateway_backends

    api = apigateway_backends[host.account_id][host.region].apis.get(context["apiId"])
    stage = api.stages.get(context["stage"]) if api else None
    if api is None or stage is None:
        return
    now_ms = host.clock.now_ms()
    settings = stage.access_log_settings or {}
    if settings.get("destinationArn") and settings.get("format"):
        group = settings["destinationArn"].split(":log-group:")[-1].split(":")[0]
        target = logs.LogTarget(host.account_id, host.region, group, context["stage"])
        logs.write(target, [access_line(settings["format"], context, reply)], now_ms)
    _execution_log(host, stage, context, reply, now_ms)
    _metrics(host, api.name, context, reply)


def _execution_log(host: Any, stage: Any, context: dict[str, Any], reply: Reply,
                   now_ms: int) -> None:
    level = str((stage.method_settings.get("*/*") or {}).get("loggingLevel", "OFF")).upper()
    if level not in ("INFO", "ERROR") or (level == "ERROR" and reply.status < 400):
        return
    rid = context["requestId"]
    lines = [f"({rid}) Extended Request Id: {rid}",
             f"({rid}) Starting execution for request: {rid}",
             f"({rid}) HTTP Method: {context['httpMethod']}, Resource Path: {context['path']}",
             f"({rid}) Method completed with status: {reply.status}"]
    if level == "ERROR":
        lines = [lines[0], f"({rid}) Execution failed with status: {reply.status}"]
    group = f"API-Gateway-Execution-Logs_{context['apiId']}/{context['stage']}"
    target = logs.LogTarget(host.account_id, host.region, group, rid)
    logs.write(target, lines, now_ms)


def _metrics(host: Any, api_name: str, context: dict[str, Any], reply: Reply) -> None:
    from moto.cloudwatch.models import cloudwatch_backends

    # moto compares metric timestamps as naive UTC datetimes
    when = datetime.datetime.fromtimestamp(host.clock.now(), datetime.timezone.utc).replace(
        tzinfo=None)
    dimensions = [{"Name": "ApiName", "Value": api_name},
                  {"Name": "Stage", "Value": context["stage"]}]
    values = {"Count": 1.0, "4XXError": float(400 <= reply.status < 500),
              "5XXError": float(reply.status >= 500),
              "Latency": float(context.get("latency", 0)),
              "IntegrationLatency": float(context.get("integrationLatency", 0))}
    data = [{"MetricName": name, "Value": value, "Dimensions": dimensions, "Timestamp": when,
             "Unit": "Milliseconds" if "Latency" in name else "Count"}
            for name, value in values.items()]
    cloudwatch_backends[host.account_id][host.region].put_metric_data(NAMESPACE, data)
