"""Models and request validators of a REST API: AWS's checks and messages that moto lacks.

AWS: a model's name is non-empty ("Model name must be non-empty") and unique in its API
("Model name already exists for this REST API"); a missing model is "Invalid model name
specified: <name>"; a missing request validator is NotFoundException "Invalid Request
Validator identifier specified", and creating one on a missing API is BadRequestException
"Invalid REST API identifier specified".
https://docs.aws.amazon.com/apigateway/latest/api/API_CreateModel.html,
https://docs.aws.amazon.com/apigateway/latest/api/API_GetRequestValidator.html; messages as
recorded on AWS (LocalStack test_apigateway_api.snapshot.json ``test_model_validation``,
``test_invalid_get_request_validator``, ``test_create_request_validator_invalid_api_id``).
"""

from __future__ import annotations

from typing import Any

from moto.apigateway.models import APIGatewayBackend

from serverless_lab import seams
from serverless_lab.apigateway import errors

VALIDATOR = "Invalid Request Validator identifier specified"


def create_model(self: APIGatewayBackend, rest_api_id: str, name: str, *args: Any,
                 **kwargs: Any) -> Any:
    if not name:
        raise errors.BadRequest("Model name must be non-empty")
    api = self.apis.get(rest_api_id)
    if api is not None and name in api.models:
        raise errors.Conflict("Model name already exists for this REST API")
    return seams.original(APIGatewayBackend, "create_model")(self, rest_api_id, name, *args,
                                                             **kwargs)


def _model(self: APIGatewayBackend, rest_api_id: str, model_name: str) -> Any:
    api = self.get_rest_api(rest_api_id)
    if model_name not in api.models:
        raise errors.NotFound(f"Invalid model name specified: {model_name}")
    return api


def get_model(self: APIGatewayBackend, rest_api_id: str, model_name: str) -> Any:
    return _model(self, rest_api_id, model_name).models[model_name]


def _referenced(api: Any, model_name: str) -> str | None:
    """``{resource path}/{method}`` of a method whose request uses the model, or None."""
    for resource in api.resources.values():
        for verb, method in resource.resource_methods.items():
            if model_name in (method.request_models or {}).values():
                return f"{resource.get_path()}/{verb}"  # the root's: //ANY
    return None


def delete_model(self: APIGatewayBackend, rest_api_id: str, model_name: str) -> None:
    """A model a method request uses cannot be deleted: ConflictException "Cannot delete
    model 'X', is referenced in method request: //ANY" (the root's ANY; /test/ANY for
    /test), as recorded (LocalStack test_apigateway_api.snapshot.json ``test_put_method_model``)."""
    api = _model(self, rest_api_id, model_name)
    where = _referenced(api, model_name)
    if where is not None:
        raise errors.Conflict(
            f"Cannot delete model '{model_name}', is referenced in method request: {where}")
    del api.models[model_name]


def create_request_validator(self: APIGatewayBackend, restapi_id: str, *args: Any) -> Any:
    if restapi_id not in self.apis:
        raise errors.BadRequest("Invalid REST API identifier specified")
    return seams.original(APIGatewayBackend, "create_request_validator")(self, restapi_id, *args)


def get_request_validator(self: APIGatewayBackend, restapi_id: str, validator_id: str) -> Any:
    """A missing API reads as a missing validator, as recorded."""
    api = self.apis.get(restapi_id)
    if api is None or validator_id not in api.request_validators:
        raise errors.NotFound(VALIDATOR)
    return api.request_validators[validator_id]
