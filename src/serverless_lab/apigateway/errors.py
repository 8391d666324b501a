"""API Gateway's control-plane errors, with the codes and messages AWS gives.

AWS answers a REST API management call that fails with a JSON body ``{"message": ...}``, the
error code in ``x-amzn-ErrorType`` and the status of its class: ``BadRequestException`` 400,
``NotFoundException`` 404, ``ConflictException`` 409 (each action's Errors section, e.g.
https://docs.aws.amazon.com/apigateway/latest/api/API_CreateResource.html#API_CreateResource_Errors).
The messages are the ones recorded on real AWS (LocalStack's
``tests/aws/services/apigateway/test_apigateway_api.snapshot.json``, Apache 2.0).
"""

from __future__ import annotations

from moto.apigateway.exceptions import ApiGatewayException

RESOURCE = "Invalid Resource identifier specified"
METHOD = "Invalid Method identifier specified"
INTEGRATION = "Invalid Integration identifier specified"
DEPLOYMENT = "Invalid Deployment identifier specified"
STAGE = "Invalid Stage identifier specified"
AUTHORIZER = "Invalid Authorizer identifier specified"
USAGE_PLAN = "Invalid Usage Plan ID specified"
API_KEY = "Invalid API Key identifier specified"
HTTP_METHODS = ("GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "HEAD", "ANY")


class BadRequest(ApiGatewayException):
    code = 400

    def __init__(self, message: str) -> None:
        super().__init__("BadRequestException", message)


class NotFound(ApiGatewayException):
    code = 404

    def __init__(self, message: str) -> None:
        super().__init__("NotFoundException", message)


class Conflict(ApiGatewayException):
    code = 409

    def __init__(self, message: str) -> None:
        super().__init__("ConflictException", message)


class Validation(ApiGatewayException):
    """A value outside its enumeration: AWS's input validation, before the action runs."""

    code = 400

    def __init__(self, value: str, where: str, allowed: list[str]) -> None:
        super().__init__("ValidationException", (
            f"1 validation error detected: Value '{value}' at '{where}' failed to satisfy "
            f"constraint: Member must satisfy enum value set: [{', '.join(allowed)}]"))


def api_not_found(account: str, api_id: str) -> NotFound:
    """GetRestApi on a missing id: "Invalid API identifier specified <account>:<id>"."""
    return NotFound(f"Invalid API identifier specified {account}:{api_id}")


def invalid_path(path: str, op: str, allowed: list[str]) -> BadRequest:
    """A patch operation on a path the resource does not let you change (two spaces: AWS's)."""
    return BadRequest(f"Invalid patch path  '{path}' specified for op '{op}'. "
                      f"Must be one of: [{', '.join(allowed)}]")


def unsupported_op(path: str, op: str) -> BadRequest:
    return BadRequest(f"Invalid patch path  '{path}' specified for op '{op}'. "
                      "Please choose supported operations")
