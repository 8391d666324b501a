"""REST APIs, authorizers, models and request validators: AWS's checks that moto lacks.

AWS: CreateRestApi answers 201; it refuses an empty description ("Description cannot be an
empty string"), more than one endpoint type, an unknown type, and a minimum compression
size outside 0 to 10,485,760 bytes. ImportRestApi takes an OpenAPI 2.0 or 3.x document
("Invalid OpenAPI input." otherwise) and answers 201.
https://docs.aws.amazon.com/apigateway/latest/api/API_CreateRestApi.html,
https://docs.aws.amazon.com/apigateway/latest/api/API_ImportRestApi.html; messages as
recorded on AWS (LocalStack test_apigateway_api.snapshot.json
``test_create_rest_api_with_optional_params``, ``test_create_rest_api_with_endpoint_configuration``,
``test_authorizer_crud_no_api``; test_apigateway_import.snapshot.json
``test_import_api_bad_file``).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

import yaml
from moto.apigateway.models import APIGatewayBackend
from moto.apigateway.responses import APIGatewayResponse

from serverless_lab import seams
from serverless_lab.apigateway import errors

ENDPOINT_TYPES = ["PRIVATE", "EDGE", "REGIONAL"]
MAX_COMPRESSION = 10_485_760


def _check_endpoints(configuration: dict[str, Any] | None) -> None:
    types = list((configuration or {}).get("types") or [])
    wrong = [kind for kind in types if kind not in ENDPOINT_TYPES]
    if wrong:
        raise errors.ApiGatewayException("ValidationException", (
            f"1 validation error detected: Value '[{', '.join(wrong)}]' at "
            "'createRestApiInput.endpointConfiguration.types' failed to satisfy constraint: "
            "Member must satisfy constraint: [Member must satisfy enum value set: "
            "[PRIVATE, EDGE, REGIONAL]]"))
    if len(types) > 1:
        raise errors.BadRequest("Cannot create an api with multiple Endpoint Types.")


def _check_create(response: Any) -> None:
    if response._get_param("description") == "":
        raise errors.BadRequest("Description cannot be an empty string")
    size = response._get_param("minimumCompressionSize")
    if size is not None and not (isinstance(size, int) and 0 <= size <= MAX_COMPRESSION):
        raise errors.BadRequest(
            f"Invalid minimum compression size, must be between 0 and {MAX_COMPRESSION}")
    _check_endpoints(response._get_param("endpointConfiguration"))


def create_rest_api(self: Any) -> Any:
    """moto's CreateRestApi after AWS's checks, with AWS's status 201."""
    _check_create(self)
    status, headers, body = seams.original(APIGatewayResponse, "create_rest_api")(self)
    if int(headers.get("status", status)) == 200:
        headers = dict(headers, status="201")
    return status, headers, body


def _document(body: str) -> dict[str, Any]:
    try:
        document = yaml.safe_load(body)  # JSON is YAML
    except yaml.YAMLError:
        document = None
    if not isinstance(document, dict) or not ({"openapi", "swagger"} & set(document)):
        raise errors.BadRequest("Invalid OpenAPI input.")
    return document


SUPPORTED_QUERY = {"mode", "failonwarnings"}


def _check_query(self: Any, operation: str) -> None:
    """The import ``parameters`` (``basepath``, ``endpointConfigurationTypes``, ``ignore``
    ...) are not emulated: name them instead of ignoring them.
    https://docs.aws.amazon.com/apigateway/latest/api/API_ImportRestApi.html"""
    query = parse_qs(self.parsed_url.query, keep_blank_values=True)  # moto's querystring
    unsupported = sorted(set(query) - SUPPORTED_QUERY)  # also holds the body's fields
    if unsupported:
        raise errors.BadRequest(f"The emulator does not support {operation}'s parameters "
                                f"{', '.join(unsupported)} (serverless_lab)")


def import_rest_api(self: Any) -> Any:
    """ImportRestApi (POST /restapis?mode=import): an OpenAPI document, answered with 201."""
    _check_query(self, "ImportRestApi")
    document = _document(self.body if isinstance(self.body, str) else self.body.decode())
    info = dict(document.get("info") or {})
    described = "description" in info
    info.setdefault("title", "")
    info.setdefault("description", "")
    api = self.backend.import_rest_api(dict(document, info=info),
                                       self._get_bool_param("failonwarnings") or False)
    if not described:
        api.description = None
    return 201, {"status": "201"}, json.dumps(api.to_dict())


def update_rest_api(self: APIGatewayBackend, function_id: str, patch_operations: Any) -> Any:
    """AWS's message for a missing API (moto raised its own)."""
    if function_id not in self.apis:
        raise errors.api_not_found(self.account_id, function_id)
    return seams.original(APIGatewayBackend, "update_rest_api")(self, function_id,
                                                                patch_operations)


def update_rest_api_response(self: Any) -> Any:
    """UpdateRestApi without patchOperations (moto failed iterating None): the API unchanged,
    or AWS's NotFoundException for a missing one."""
    if self._get_param("patchOperations"):
        return seams.original(APIGatewayResponse, "update_rest_api")(self)
    api = self.backend.get_rest_api(self.path.split("/")[2])
    return 200, {}, json.dumps(api.to_dict())


def put_rest_api(self: Any) -> Any:
    """PutRestApi (PUT /restapis/{id}): the document is checked first: on an id that does not
    exist, a document that is not OpenAPI answers "Invalid OpenAPI input." (recorded:
    LocalStack test_apigateway_import.snapshot.json ``test_import_api_bad_file``); then the
    API must exist; a document without ``paths`` adds no resources (moto failed with a 500).
    https://docs.aws.amazon.com/apigateway/latest/api/API_PutRestApi.html"""
    _check_query(self, "PutRestApi")
    document = _document(self.body if isinstance(self.body, str) else self.body.decode())
    function_id = self.path.split("/")[2]
    self.backend.get_rest_api(function_id)
    api = self.backend.put_rest_api(
        function_id, dict(document, paths=document.get("paths") or {}),
        mode=self._get_param("mode", "merge"),
        fail_on_warnings=self._get_bool_param("failonwarnings") or False)
    return 200, {}, json.dumps(api.to_dict())


def update_account(self: APIGatewayBackend, patch_operations: Any) -> Any:
    """UpdateAccount without patchOperations answers the account unchanged (moto failed with
    a 500). https://docs.aws.amazon.com/apigateway/latest/api/API_UpdateAccount.html"""
    return seams.original(APIGatewayBackend, "update_account")(self, patch_operations or [])


def _check_authorizer(kind: str, settings: dict[str, Any]) -> None:
    """A Lambda (TOKEN, REQUEST) authorizer names its function in ``authorizerUri``; a
    COGNITO_USER_POOLS one its pools in ``providerARNs``; the result TTL is 0 to 3,600 s
    (https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html). AWS
    answers BadRequestException; no recording of its messages was found: these are ours."""
    if kind in ("TOKEN", "REQUEST") and not settings.get("authorizer_uri"):
        raise errors.BadRequest(f"authorizerUri must be specified for a {kind} authorizer")
    if kind == "COGNITO_USER_POOLS" and not settings.get("provider_arns"):
        raise errors.BadRequest("providerARNs must be specified for a COGNITO_USER_POOLS "
                                "authorizer")
    ttl = settings.get("authorizer_result_ttl")
    if ttl is not None and not 0 <= int(ttl) <= 3600:
        raise errors.BadRequest("authorizerResultTtlInSeconds must be between 0 and 3600")


def create_authorizer(self: APIGatewayBackend, restapi_id: str, name: str,
                      authorizer_type: str, **kwargs: Any) -> Any:
    """On an unknown API AWS answers 409 (ConflictException), as recorded."""
    if restapi_id not in self.apis:
        raise errors.Conflict(
            "Unable to complete operation due to concurrent modification. Please try again later.")
    _check_authorizer(str(authorizer_type), kwargs)
    return seams.original(APIGatewayBackend, "create_authorizer")(
        self, restapi_id, name, authorizer_type, **kwargs)


def get_vpc_link(self: APIGatewayBackend, vpc_link_id: str) -> Any:
    """As recorded: NotFoundException "Invalid Vpc Link identifier specified" (LocalStack
    test_apigateway_api.snapshot.json ``test_get_vpc_link_invalid_id``)."""
    if vpc_link_id not in self.vpc_links:
        raise errors.NotFound("Invalid Vpc Link identifier specified")
    return self.vpc_links[vpc_link_id]
