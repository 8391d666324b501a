"""Deployments and stages: UpdateDeployment, FlushStageCache, UpdateStage paths (apigateway/stages.py)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError


def test_update_deployment_keeps_the_new_description(gw, mock_api):
    api = mock_api["api"]
    deployment = gw.create_deployment(restApiId=api, stageName="dev", description="first")["id"]
    gw.update_deployment(restApiId=api, deploymentId=deployment, patchOperations=[
        {"op": "replace", "path": "/description", "value": "second"}])
    assert gw.get_deployment(restApiId=api, deploymentId=deployment)["description"] == "second"


def test_flush_stage_cache_needs_the_stage(gw, mock_api):
    api = mock_api["api"]
    gw.create_deployment(restApiId=api, stageName="dev")
    answer = gw.flush_stage_cache(restApiId=api, stageName="dev")
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 202
    with pytest.raises(ClientError, match="Invalid Stage identifier specified"):
        gw.flush_stage_cache(restApiId=api, stageName="prod")


@pytest.mark.parametrize("path", ["/variables/color", "/*/*/throttling/rateLimit",
                                  "/pets/GET/logging/loglevel", "/description"])
def test_update_stage_accepts_the_paths_aws_lists(gw, mock_api, path):
    api = mock_api["api"]
    gw.create_deployment(restApiId=api, stageName="dev")
    value = "INFO" if "loglevel" in path else "10"
    gw.update_stage(restApiId=api, stageName="dev",
                    patchOperations=[{"op": "replace", "path": path, "value": value}])


@pytest.mark.parametrize("path", ["/tags/tag1", "/stageName", "/pets/GET/unknown/setting"])
def test_update_stage_refuses_other_paths(gw, mock_api, path):
    api = mock_api["api"]
    gw.create_deployment(restApiId=api, stageName="dev")
    with pytest.raises(ClientError, match=f"Invalid method setting path: {path}\\."):
        gw.update_stage(restApiId=api, stageName="dev",
                        patchOperations=[{"op": "replace", "path": path, "value": "x"}])
