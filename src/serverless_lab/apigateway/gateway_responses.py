"""Gateway responses of a REST API (what API Gateway itself answers: 403, 429, 5XX ...).

AWS: ``responseType`` is one of the gateway response types; any other value is a
ValidationException listing them; deleting a type the API has not customised is
NotFoundException "Gateway response type not defined on api".
https://docs.aws.amazon.com/apigateway/latest/api/API_GetGatewayResponse.html,
https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html;
messages as recorded on AWS (LocalStack test_apigateway_api.snapshot.json,
``test_gateway_response_validation``), the enumeration in the order AWS lists it there.
"""

from __future__ import annotations

from moto.apigateway.models import APIGatewayBackend

from serverless_lab.apigateway import errors
from serverless_lab.apigateway.resources import get_rest_api

TYPES = ["REQUEST_TOO_LARGE", "RESOURCE_NOT_FOUND", "AUTHORIZER_CONFIGURATION_ERROR",
         "MISSING_AUTHENTICATION_TOKEN", "BAD_REQUEST_BODY", "INVALID_SIGNATURE",
         "INVALID_API_KEY", "BAD_REQUEST_PARAMETERS", "AUTHORIZER_FAILURE", "UNAUTHORIZED",
         "INTEGRATION_TIMEOUT", "ACCESS_DENIED", "DEFAULT_4XX", "DEFAULT_5XX", "WAF_FILTERED",
         "QUOTA_EXCEEDED", "THROTTLED", "API_CONFIGURATION_ERROR", "UNSUPPORTED_MEDIA_TYPE",
         "INTEGRATION_FAILURE", "EXPIRED_TOKEN"]


def _check(response_type: str) -> None:
    if response_type not in TYPES:
        raise errors.Validation(response_type, "responseType", TYPES)


def get_gateway_response(self: APIGatewayBackend, rest_api_id: str, response_type: str) -> object:
    api = get_rest_api(self, rest_api_id)
    _check(response_type)
    return api.get_gateway_response(response_type)


def delete_gateway_response(self: APIGatewayBackend, rest_api_id: str,
                            response_type: str) -> None:
    api = get_rest_api(self, rest_api_id)
    _check(response_type)
    if response_type not in api.gateway_responses:
        raise errors.NotFound("Gateway response type not defined on api")
    del api.gateway_responses[response_type]
