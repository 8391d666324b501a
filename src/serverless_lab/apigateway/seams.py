"""API Gateway's seams into moto (REST APIs: the control plane's operations and checks).

Backend rows put AWS's checks and messages in front of moto's models; Response rows add the
operations moto lacks (UpdateResource, UpdateMethod, UpdateIntegration, UpdateDeployment,
TestInvokeMethod, GetUsage, FlushStageCache), fix CreateRestApi/ImportRestApi/PutRestApi/
UpdateRestApi and answer tags for any API Gateway ARN (moto: stages only); the
``url_paths`` row gives moto's server the routes it lacks (``/usageplans/{id}/usage``,
``/restapis/{id}/stages/{stage}/cache/data``, tags of any API Gateway ARN): moto builds a
service's routes on its first request, after the lab installed its seams.
"""

from __future__ import annotations

from typing import Any

NEW_ROUTES = {
    "{0}/usageplans/(?P<usage_plan_id>[^/]+)/usage$": "dispatch",
    "{0}/restapis/(?P<function_id>[^/]+)/stages/(?P<stage_name>[^/]+)/cache/data$": "dispatch",
    # moto's route takes only digits: a status code like "wrong" must reach the check
    "{0}/restapis/(?P<function_id>[^/]+)/resources/(?P<resource_id>[^/]+)/methods/"
    "(?P<method_name>[^/]+)/integration/responses/(?P<status_code>[^/]+)$": "dispatch",
    # moto routes stage ARNs only: a REST API's (or an API key's...) ARN has slashes too
    "{0}/tags/arn:(?P<partition>[^/]+):apigateway:(?P<region_name>[^/]*)::/(?P<path>.+)$":
        "dispatch",
}


def url_paths() -> dict[str, Any]:
    """moto's apigateway (and v2) routes plus those it lacks (NEW_ROUTES)."""
    from moto.apigateway import urls
    from moto.apigateway.responses import APIGatewayResponse

    from serverless_lab import seams

    paths = dict(seams.original(urls, "url_paths"))
    for pattern in NEW_ROUTES:
        paths.setdefault(pattern, APIGatewayResponse.dispatch)
    return paths


def rows() -> list[tuple[Any, str, Any]]:
    """(owner, method name, replacement) for every seam this wing owns."""
    from moto.apigateway import urls
    from moto.apigateway.models import APIGatewayBackend as Backend
    from moto.apigateway.responses import APIGatewayResponse as Response

    from serverless_lab.apigateway import (
        domain_names,
        gateway_responses,
        methods,
        models,
        resources,
        rest_apis,
        stages,
        tags,
        test_invoke,
        usage,
    )

    return [
        (Backend, "get_rest_api", resources.get_rest_api),
        (Backend, "delete_rest_api", resources.delete_rest_api),
        (Backend, "get_resource", resources.get_resource),
        (Backend, "create_resource", resources.create_resource),
        (Backend, "delete_resource", resources.delete_resource),
        (Backend, "put_method", methods.put_method),
        (Backend, "put_integration", methods.put_integration),
        (Backend, "get_integration", methods.get_integration),
        (Backend, "get_deployment", stages.get_deployment),
        (Backend, "get_stage", stages.get_stage),
        (Backend, "update_stage", stages.update_stage),
        (Backend, "delete_authorizer", stages.delete_authorizer),
        (Backend, "update_rest_api", rest_apis.update_rest_api),
        (Backend, "create_authorizer", rest_apis.create_authorizer),
        (Backend, "create_model", models.create_model),
        (Backend, "get_model", models.get_model),
        (Backend, "delete_model", models.delete_model),
        (Backend, "create_request_validator", models.create_request_validator),
        (Backend, "get_request_validator", models.get_request_validator),
        (Backend, "get_gateway_response", gateway_responses.get_gateway_response),
        (Backend, "delete_gateway_response", gateway_responses.delete_gateway_response),
        (Backend, "get_vpc_link", rest_apis.get_vpc_link),
        (Backend, "delete_integration_response", methods.delete_integration_response),
        (Backend, "delete_method", methods.delete_method),
        (Backend, "delete_stage", stages.delete_stage),
        (Backend, "update_usage_plan", usage.update_usage_plan),
        (Backend, "create_api_key", usage.create_api_key),
        (Backend, "update_api_key", usage.update_api_key),
        (Backend, "delete_usage_plan", usage.delete_usage_plan),
        (Backend, "delete_usage_plan_key", usage.delete_usage_plan_key),
        (Backend, "update_account", rest_apis.update_account),
        (Backend, "create_domain_name", domain_names.create_domain_name),
        (Response, "create_rest_api", rest_apis.create_rest_api),
        (Response, "import_rest_api", rest_apis.import_rest_api),
        (Response, "put_rest_api", rest_apis.put_rest_api),
        (Response, "update_rest_api", rest_apis.update_rest_api_response),
        (Response, "get_tags", tags.get_tags),
        (Response, "tag_resource", tags.tag_resource),
        (Response, "untag_resource", tags.untag_resource),
        (Response, "update_resource", resources.update_resource),
        (Response, "update_method", methods.update_method),
        (Response, "put_integration_response", methods.put_integration_response),
        (Response, "update_integration", methods.update_integration),
        (Response, "update_deployment", stages.update_deployment),
        (Response, "flush_stage_cache", stages.flush_stage_cache),
        (Response, "test_invoke_method", test_invoke.test_invoke_method),
        (Response, "get_usage", usage.get_usage),
        (urls, "url_paths", url_paths()),
    ]
