"""Deployments and stages: UpdateDeployment, FlushStageCache, and AWS's messages for missing ones.

AWS: GetDeployment/UpdateDeployment on an unknown id answer NotFoundException "Invalid
Deployment identifier specified"; a missing stage is "Invalid Stage identifier specified".
UpdateDeployment patches ``/description`` (and ``/canarySettings/...``).
FlushStageCache (DELETE /restapis/{id}/stages/{stage}/cache/data) empties the stage's API
cache and answers 202 with no body.
https://docs.aws.amazon.com/apigateway/latest/api/API_UpdateDeployment.html,
https://docs.aws.amazon.com/apigateway/latest/api/API_FlushStageCache.html,
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html

What the emulator caches: nothing. The gateway (gateway.py) answers every request from its
integration; ``cacheClusterEnabled`` and method ``cachingEnabled`` are stored, never applied.
FlushStageCache therefore checks the API and stage and has nothing to empty.
"""

from __future__ import annotations

import json
import re
from typing import Any

from moto.apigateway.models import APIGatewayBackend

from serverless_lab import seams
from serverless_lab.apigateway import errors
from serverless_lab.apigateway.resources import get_rest_api

STAGE_FIELDS = {"/deploymentId", "/description", "/cacheClusterEnabled", "/cacheClusterSize",
                "/clientCertificateId", "/accessLogSettings", "/accessLogSettings/destinationArn",
                "/accessLogSettings/format", "/tracingEnabled"}
METHOD_SETTING = re.compile(
    r"^/.+/[A-Z*]+/(metrics/enabled|logging/dataTrace|logging/loglevel|throttling/burstLimit"
    r"|throttling/rateLimit|caching/ttlInSeconds|caching/enabled|caching/dataEncrypted"
    r"|caching/requireAuthorizationForCacheControl|caching/unauthorizedCacheControlHeaderStrategy)$")
# AWS's list, as recorded (LocalStack test_apigateway_common.snapshot.json,
# "test_create_update_stages", error-update-tags), its missing commas included
STAGE_PATHS = (
    "[/deploymentId, /description, /cacheClusterEnabled, /cacheClusterSize, /clientCertificateId, "
    "/accessLogSettings, /accessLogSettings/destinationArn, /accessLogSettings/format, "
    "/{resourcePath}/{httpMethod}/metrics/enabled, /{resourcePath}/{httpMethod}/logging/dataTrace, "
    "/{resourcePath}/{httpMethod}/logging/loglevel, /{resourcePath}/{httpMethod}/throttling/burstLimit"
    "/{resourcePath}/{httpMethod}/throttling/rateLimit/{resourcePath}/{httpMethod}/caching/ttlInSeconds, "
    "/{resourcePath}/{httpMethod}/caching/enabled, /{resourcePath}/{httpMethod}/caching/dataEncrypted, "
    "/{resourcePath}/{httpMethod}/caching/requireAuthorizationForCacheControl, "
    "/{resourcePath}/{httpMethod}/caching/unauthorizedCacheControlHeaderStrategy, "
    "/*/*/metrics/enabled, /*/*/logging/dataTrace, /*/*/logging/loglevel, "
    "/*/*/throttling/burstLimit /*/*/throttling/rateLimit /*/*/caching/ttlInSeconds, "
    "/*/*/caching/enabled, /*/*/caching/dataEncrypted, "
    "/*/*/caching/requireAuthorizationForCacheControl, "
    "/*/*/caching/unauthorizedCacheControlHeaderStrategy, /variables/{variable_name}, "
    "/tracingEnabled]")


def _stage_path(path: str) -> bool:
    return (path in STAGE_FIELDS or path.startswith(("/variables/", "/canarySettings/"))
            or METHOD_SETTING.match(path) is not None)


def update_stage(self: APIGatewayBackend, function_id: str, stage_name: str,
                 patch_operations: Any) -> Any:
    """UpdateStage refuses a path it cannot patch (moto accepted /tags/..., and ignored it)."""
    for operation in patch_operations or []:
        path = str(operation.get("path"))
        if not _stage_path(path):
            raise errors.BadRequest(
                f"Invalid method setting path: {path}. Must be one of: {STAGE_PATHS}")
    return seams.original(APIGatewayBackend, "update_stage")(self, function_id, stage_name,
                                                             patch_operations)


def get_deployment(self: APIGatewayBackend, function_id: str, deployment_id: str) -> Any:
    api = get_rest_api(self, function_id)
    if deployment_id not in api.deployments:
        raise errors.NotFound(errors.DEPLOYMENT)
    return api.deployments[deployment_id]


def get_stage(self: APIGatewayBackend, function_id: str, stage_name: str) -> Any:
    stage = get_rest_api(self, function_id).stages.get(stage_name)
    if stage is None:
        raise errors.NotFound(errors.STAGE)
    return stage


def delete_stage(self: APIGatewayBackend, function_id: str, stage_name: str) -> None:
    get_stage(self, function_id, stage_name)
    del self.apis[function_id].stages[stage_name]


def delete_authorizer(self: APIGatewayBackend, restapi_id: str, authorizer_id: str) -> None:
    api = get_rest_api(self, restapi_id)
    if authorizer_id not in api.authorizers:
        raise errors.NotFound(errors.AUTHORIZER)
    del api.authorizers[authorizer_id]


def update_deployment(self: Any) -> tuple[int, dict[str, str], str]:
    """UpdateDeployment (PATCH /restapis/{id}/deployments/{deployment_id}): moto lacks it."""
    parts = self.path.split("/")
    deployment = get_deployment(self.backend, parts[2], parts[4])
    for operation in self._get_param("patchOperations") or []:
        path, op = str(operation.get("path")), str(operation.get("op"))
        if path != "/description":
            raise errors.BadRequest(f"Invalid patch path {path}")
        deployment.description = "" if op == "remove" else operation.get("value")
    return 200, {}, json.dumps(deployment.to_json())


def flush_stage_cache(self: Any) -> tuple[int, dict[str, str], str]:
    """FlushStageCache: the API and stage must exist; the emulator caches nothing to flush."""
    parts = self.path.split("/")
    get_stage(self.backend, parts[2], parts[4])
    return 202, {"status": "202"}, ""
