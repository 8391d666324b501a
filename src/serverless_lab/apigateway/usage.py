"""Usage plans and API keys: GetUsage from what the gateway counted, and AWS's key checks.

AWS: GetUsage (GET /usageplans/{id}/usage?startDate&endDate) answers "daily logs of used and
remaining quotas, over the specified time interval indexed over the API keys in a usage
plan", e.g. ``{"items": {"<key id>": [[used, remaining], ...]}}``, one pair per day.
https://docs.aws.amazon.com/apigateway/latest/api/API_GetUsage.html (on the wire the map is
``values``; the page says it is indexed by key value, the emulator indexes it by key id, as
the plan's keys are listed: no recording of AWS's answer was found). A missing plan is
NotFoundException "Invalid Usage Plan ID specified"; an API key's name is at most 1,024
characters and its fields that UpdateApiKey may patch are /description, /enabled, /name and
/customerId (LocalStack test_apigateway_common.snapshot.json ``test_usage_plan_crud``,
test_apigateway_extended.snapshot.json ``test_create_api_key_with_invalid_name``,
``test_update_api_key_immutable_field``).

The gateway counts each request it admits with a plan's API key (``Throttles.count``), per
UTC day of the lab's clock; ``remaining`` is the plan's quota limit minus that day's use
(AWS's quota period may be a week or month; the emulator reports per day), 0 without a quota.
Dates that are not yyyy-MM-dd answer BadRequestException with the emulator's own message.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from moto.apigateway.models import APIGatewayBackend

from serverless_lab import seams
from serverless_lab.apigateway import errors

KEY_FIELDS = ["/description", "/enabled", "/name", "/customerId"]


def _days(start: str, end: str) -> list[str]:
    first, last = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    return [(first + datetime.timedelta(days=n)).isoformat()
            for n in range((last - first).days + 1)]


def get_usage(self: Any) -> tuple[int, dict[str, str], str]:
    """GetUsage: moto lacks the operation and its route."""
    plan_id = self.path.split("/")[2]
    plan = self.backend.usage_plans.get(plan_id)
    if plan is None:
        raise errors.NotFound(errors.USAGE_PLAN)
    start, end = self._get_param("startDate"), self._get_param("endDate")
    try:
        days = _days(start, end)
    except (TypeError, ValueError):
        raise errors.BadRequest("startDate and endDate must be dates: yyyy-MM-dd") from None
    limit = int((plan.quota or {}).get("limit", 0))
    counted = seams.host().throttles.usage(plan_id)
    keys = self.backend.usage_plan_keys.get(plan_id, {})
    wanted = self._get_param("keyId")
    items = {key: [[counted.get((key, day), 0), max(limit - counted.get((key, day), 0), 0)]
                   for day in days]
             for key in keys if wanted in (None, key)}
    return 200, {}, json.dumps({"usagePlanId": plan_id, "startDate": start, "endDate": end,
                                "values": items})  # the wire name of GetUsage's "items"


def create_api_key(self: APIGatewayBackend, payload: dict[str, Any]) -> Any:
    if len(payload.get("name") or "") > 1024:
        raise errors.BadRequest("Invalid API Key name, can be at most 1024 characters.")
    if len(payload.get("value") or "") > 128:
        raise errors.BadRequest("API Key value exceeds maximum size of 128 characters")
    return seams.original(APIGatewayBackend, "create_api_key")(self, payload)


def update_api_key(self: APIGatewayBackend, api_key: str, patch_operations: Any) -> Any:
    for operation in patch_operations or []:
        if operation.get("path") not in KEY_FIELDS:
            raise errors.invalid_path(str(operation.get("path")), str(operation.get("op")),
                                      KEY_FIELDS)
    return seams.original(APIGatewayBackend, "update_api_key")(self, api_key, patch_operations)


def _check_stage_removal(plan: Any, value: Any) -> None:
    if not isinstance(value, str) or value.count(":") != 1:
        raise errors.BadRequest("Invalid API Stage specified")
    api_id, stage = value.split(":")
    if {"apiId": api_id, "stage": stage} not in plan.api_stages:
        raise errors.NotFound(f"Invalid API Stage {{api: {api_id}, stage: {stage}}} "
                              f"specified for usageplan {plan.id}")


def update_usage_plan(self: APIGatewayBackend, usage_plan_id: str, patch_operations: Any) -> Any:
    """Removing an API stage the plan does not have (or with no "api:stage" value) is refused
    as recorded (LocalStack test_apigateway_common.snapshot.json ``test_usage_plan_crud``);
    moto answered 500."""
    plan = self.usage_plans.get(usage_plan_id)
    if plan is None:
        raise errors.NotFound(errors.USAGE_PLAN)
    for operation in patch_operations or []:
        if operation.get("op") == "remove" and operation.get("path") == "/apiStages":
            _check_stage_removal(plan, operation.get("value"))
    return seams.original(APIGatewayBackend, "update_usage_plan")(self, usage_plan_id,
                                                                  patch_operations)


def delete_usage_plan(self: APIGatewayBackend, usage_plan_id: str) -> None:
    """A missing plan is NotFoundException "Invalid Usage Plan ID specified" (the message
    recorded for UpdateUsagePlan, LocalStack test_apigateway_common.snapshot.json
    ``test_usage_plan_crud``; https://docs.aws.amazon.com/apigateway/latest/api/API_DeleteUsagePlan.html#API_DeleteUsagePlan_Errors);
    moto failed with a 500."""
    if usage_plan_id not in self.usage_plans:
        raise errors.NotFound(errors.USAGE_PLAN)
    seams.original(APIGatewayBackend, "delete_usage_plan")(self, usage_plan_id)


def delete_usage_plan_key(self: APIGatewayBackend, usage_plan_id: str, key_id: str) -> None:
    """A missing plan as DeleteUsagePlan; a key the plan does not have is NotFoundException
    "Invalid API Key identifier specified" (CreateUsagePlanKey's message for a missing key;
    https://docs.aws.amazon.com/apigateway/latest/api/API_DeleteUsagePlanKey.html#API_DeleteUsagePlanKey_Errors);
    moto failed with a 500."""
    if usage_plan_id not in self.usage_plans:
        raise errors.NotFound(errors.USAGE_PLAN)
    if key_id not in self.usage_plan_keys.get(usage_plan_id, {}):
        raise errors.NotFound(errors.API_KEY)
    seams.original(APIGatewayBackend, "delete_usage_plan_key")(self, usage_plan_id, key_id)
