"""Methods and integrations: the checks AWS makes and moto does not, UpdateMethod and
UpdateIntegration.

AWS: PutMethod accepts only GET, PUT, POST, DELETE, PATCH, OPTIONS, HEAD and ANY; a CUSTOM or
COGNITO_USER_POOLS method needs an authorizer of its API; a request validator must exist.
PutIntegration's type is one of HTTP, MOCK, AWS_PROXY, HTTP_PROXY, AWS, and an integration
defaults to ``passthroughBehavior`` WHEN_NO_MATCH and ``timeoutInMillis`` 29000.
UpdateMethod and UpdateIntegration apply JSON-patch operations.
https://docs.aws.amazon.com/apigateway/latest/api/API_PutMethod.html,
https://docs.aws.amazon.com/apigateway/latest/api/API_UpdateMethod.html,
https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegration.html,
https://docs.aws.amazon.com/apigateway/latest/api/API_UpdateIntegration.html; messages as
recorded on AWS (LocalStack test_apigateway_api.snapshot.json: ``test_put_method_validation``,
``test_update_method_validation``, ``test_put_integration_wrong_type``,
``test_get_integration_non_existent``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from moto.apigateway.models import APIGatewayBackend
from moto.apigateway.responses import APIGatewayResponse

from serverless_lab import seams
from serverless_lab.apigateway import errors
from serverless_lab.apigateway.resources import get_resource

INTEGRATION_TYPES = ["HTTP", "MOCK", "AWS_PROXY", "HTTP_PROXY", "AWS"]
DEFAULT_TIMEOUT_MS = 29000
NEEDS_AUTHORIZER = ("CUSTOM", "COGNITO_USER_POOLS")
AUTHORIZER_MESSAGE = ("Invalid authorizer ID specified. Setting the authorization type to CUSTOM "
                      "or COGNITO_USER_POOLS requires a valid authorizer.")
METHOD_FIELDS = {"/authorizationType": "authorization_type", "/authorizerId": "authorizer_id",
                 "/apiKeyRequired": "api_key_required", "/operationName": "operation_name",
                 "/requestValidatorId": "request_validator_id"}
INTEGRATION_FIELDS = {"/timeoutInMillis": "timeout_in_millis", "/uri": "uri",
                      "/httpMethod": "http_method", "/passthroughBehavior": "passthrough_behaviour",
                      "/contentHandling": "content_handling", "/credentials": "credentials",
                      "/cacheNamespace": "cache_namespace", "/connectionType": "connection_type"}


def _check_method(api: Any, authorization_type: str | None, authorizer_id: str | None,
                  validator_id: str | None) -> None:
    if authorization_type in NEEDS_AUTHORIZER and authorizer_id not in api.authorizers:
        raise errors.BadRequest(AUTHORIZER_MESSAGE)
    if validator_id and validator_id not in api.request_validators:
        raise errors.BadRequest("Invalid Request Validator identifier specified")


def put_method(self: APIGatewayBackend, function_id: str, resource_id: str, method_type: str,
               authorization_type: str | None, *args: Any, **kwargs: Any) -> Any:
    """moto's PutMethod after AWS's checks (a missing API reads as a missing resource)."""
    if function_id not in self.apis:
        raise errors.NotFound(errors.RESOURCE)
    get_resource(self, function_id, resource_id)
    if method_type not in errors.HTTP_METHODS:
        raise errors.BadRequest("Invalid HttpMethod specified. Valid options are "
                                + ",".join(errors.HTTP_METHODS))
    _check_method(self.apis[function_id], authorization_type, kwargs.get("authorizer_id"),
                  kwargs.get("request_validator_id"))
    return seams.original(APIGatewayBackend, "put_method")(
        self, function_id, resource_id, method_type, authorization_type, *args, **kwargs)


def put_integration(self: APIGatewayBackend, function_id: str, resource_id: str,
                    method_type: str, integration_type: str, uri: str | None = None,
                    integration_method: str | None = None, **kwargs: Any) -> Any:
    """moto's PutIntegration after the type check, with AWS's defaults filled in (an
    imported MOCK integration has no uri: moto's own import then failed with TypeError)."""
    if str(integration_type).upper() not in INTEGRATION_TYPES:  # OpenAPI imports: "mock"
        raise errors.Validation(str(integration_type), "putIntegrationInput.type",
                                INTEGRATION_TYPES)
    integration = seams.original(APIGatewayBackend, "put_integration")(
        self, function_id, resource_id, method_type, integration_type, uri, integration_method,
        **kwargs)
    integration.passthrough_behaviour = integration.passthrough_behaviour or "WHEN_NO_MATCH"
    integration.timeout_in_millis = integration.timeout_in_millis or DEFAULT_TIMEOUT_MS
    return integration


def get_integration(self: APIGatewayBackend, function_id: str, resource_id: str,
                    method_type: str) -> Any:
    """A method without an integration: NotFoundException (moto answered 200 and null)."""
    method = get_resource(self, function_id, resource_id).get_method(method_type)
    if method.method_integration is None:
        raise errors.NotFound(errors.INTEGRATION)
    return method.method_integration


def _patch_map(target: dict[str, Any] | None, op: str, key: str, value: Any) -> dict[str, Any]:
    mapping = dict(target or {})
    if op == "remove":
        mapping.pop(key, None)
    else:
        mapping[key] = value
    return mapping


def _patch_method(method: Any, operation: dict[str, Any]) -> None:
    op, path, value = operation.get("op"), str(operation.get("path")), operation.get("value")
    for prefix, attribute in (("/requestParameters/", "request_parameters"),
                              ("/requestModels/", "request_models")):
        if path.startswith(prefix):
            key = path[len(prefix):].replace("~1", "/")
            setattr(method, attribute, _patch_map(getattr(method, attribute), str(op), key, value))
            return
    if path not in METHOD_FIELDS:
        raise errors.BadRequest(f"Invalid patch path {path}")
    if op != "replace":
        raise errors.BadRequest("Invalid patch operation specified. Must be one of: [replace]")
    if path == "/apiKeyRequired":
        value = str(value).lower() == "true"
    setattr(method, METHOD_FIELDS[path], value)


def update_method(self: Any) -> tuple[int, dict[str, str], str]:
    """UpdateMethod (PATCH .../methods/{http_method}): moto lacks it."""
    parts = self.path.split("/")
    if parts[2] not in self.backend.apis:
        raise errors.NotFound(errors.RESOURCE)
    method = get_resource(self.backend, parts[2], parts[4]).get_method(parts[6])
    before = dict(vars(method))
    try:  # all operations or none, as AWS applies them
        for operation in self._get_param("patchOperations") or []:
            _patch_method(method, operation)
        _check_method(self.backend.apis[parts[2]], method.authorization_type,
                      method.authorizer_id, method.request_validator_id)
    except errors.ApiGatewayException:
        vars(method).update(before)
        raise
    return 200, {}, json.dumps(method.to_json())


def _patch_integration(integration: Any, operation: dict[str, Any]) -> None:
    op, path, value = operation.get("op"), str(operation.get("path")), operation.get("value")
    for prefix, attribute in (("/requestTemplates/", "request_templates"),
                              ("/requestParameters/", "request_parameters")):
        if path.startswith(prefix):
            key = path[len(prefix):].replace("~1", "/")
            setattr(integration, attribute,
                    _patch_map(getattr(integration, attribute), str(op), key, value))
            return
    if path not in INTEGRATION_FIELDS:
        raise errors.BadRequest(f"Invalid patch path {path}")
    setattr(integration, INTEGRATION_FIELDS[path], None if op == "remove" else value)


def update_integration(self: Any) -> tuple[int, dict[str, str], str]:
    """UpdateIntegration (PATCH .../methods/{http_method}/integration): moto lacks it."""
    parts = self.path.split("/")
    if parts[2] not in self.backend.apis:
        raise errors.NotFound(errors.RESOURCE)
    integration = get_integration(self.backend, parts[2], parts[4], parts[6])
    for operation in self._get_param("patchOperations") or []:
        _patch_integration(integration, operation)
    return 200, {}, json.dumps(integration.to_json())


def put_integration_response(self: Any) -> Any:
    """A status code that is not [1-5]\\d\\d: AWS's input validation (moto had no route)."""
    status = self.path.rstrip("/").split("/")[-1]
    if not re.fullmatch(r"[1-5]\d\d", status):
        raise errors.ApiGatewayException("ValidationException", (
            f"1 validation error detected: Value '{status}' at 'statusCode' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d"))
    return seams.original(APIGatewayResponse, "put_integration_response")(self)


def delete_integration_response(self: APIGatewayBackend, function_id: str, resource_id: str,
                                method_type: str, status_code: str) -> Any:
    """A status code the integration has no response for: NotFoundException (LocalStack
    test_apigateway_api.snapshot.json ``test_delete_integration_response_errors``)."""
    integration = get_integration(self, function_id, resource_id, method_type)
    if status_code not in (integration.integration_responses or {}):
        raise errors.NotFound("Invalid Response status code specified")
    return integration.integration_responses.pop(status_code)


def delete_method(self: APIGatewayBackend, function_id: str, resource_id: str,
                  method_type: str) -> None:
    """A method that is not there: NotFoundException, as GetMethod (moto answered 204)."""
    resource = get_resource(self, function_id, resource_id)
    resource.get_method(method_type)
    resource.delete_method(method_type)
