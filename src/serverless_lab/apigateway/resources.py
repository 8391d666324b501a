"""REST APIs and their resources: the checks AWS makes and moto does not, and UpdateResource.

AWS: a resource's path part is unique among its siblings (ConflictException "Another resource
with the same parent already has this name: pets"); a parent may have one variable child
(``{id}`` or ``{proxy+}``), and a greedy ``{proxy+}`` resource has no children; deleting a
resource deletes everything under it (GetResources then lists only what is left).
UpdateResource changes ``/pathPart`` or ``/parentId`` with ``replace`` only, and not on the
root. https://docs.aws.amazon.com/apigateway/latest/api/API_CreateResource.html,
https://docs.aws.amazon.com/apigateway/latest/api/API_UpdateResource.html; messages as
recorded on AWS in LocalStack's test_apigateway_api.snapshot.json
(``test_update_resource_behaviour``, ``test_delete_resource``,
``test_create_proxy_resource_validation``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from moto.apigateway.exceptions import InvalidResourcePathException
from moto.apigateway.models import APIGatewayBackend, RestAPI

from serverless_lab import seams
from serverless_lab.apigateway import errors

UPDATABLE = ["/parentId", "/pathPart"]
PATH_PART = re.compile(r"^\{?[a-zA-Z0-9._\-:]+\+?\}?$")  # what CreateResource accepts (moto's check)


def get_rest_api(self: APIGatewayBackend, function_id: str) -> RestAPI:
    """moto's lookup, with AWS's message for a missing id (every action that names one)."""
    api = self.apis.get(function_id)
    if api is None:
        raise errors.api_not_found(self.account_id, function_id)
    return api


def delete_rest_api(self: APIGatewayBackend, function_id: str) -> RestAPI:
    get_rest_api(self, function_id)
    return self.apis.pop(function_id)


def get_resource(self: APIGatewayBackend, function_id: str, resource_id: str) -> Any:
    api = get_rest_api(self, function_id)
    if resource_id not in api.resources:
        raise errors.NotFound(errors.RESOURCE)
    return api.resources[resource_id]


def _check_place(api: RestAPI, parent_id: str, path_part: str, moving: Any = None) -> None:
    """The sibling and greedy-parent rules for ``path_part`` under ``parent_id``."""
    parent = api.resources.get(parent_id)
    if parent is None:
        raise errors.NotFound(errors.RESOURCE)
    if parent.path_part.endswith("+}"):
        raise errors.BadRequest(
            f"Cannot create a child of a resource with a greedy path variable: {parent.path_part}")
    siblings = [r for r in api.resources.values() if r.parent_id == parent_id and r is not moving]
    if any(r.path_part == path_part for r in siblings):
        raise errors.Conflict(
            f"Another resource with the same parent already has this name: {path_part}")
    variable = next((r for r in siblings if r.path_part.startswith("{")), None)
    if path_part.startswith("{") and variable is not None:
        raise errors.BadRequest(f"A sibling ({variable.path_part}) of this resource already has "
                                "a variable path part -- only one is allowed")


def create_resource(self: APIGatewayBackend, function_id: str, parent_resource_id: str,
                    path_part: str) -> Any:
    api = get_rest_api(self, function_id)
    if path_part:
        _check_place(api, parent_resource_id, path_part)
    return seams.original(APIGatewayBackend, "create_resource")(
        self, function_id, parent_resource_id, path_part)


def descendants(api: RestAPI, resource_id: str) -> list[str]:
    """``resource_id`` and every resource under it."""
    found, frontier = [resource_id], [resource_id]
    while frontier:
        children = [r.id for r in api.resources.values() if r.parent_id in frontier]
        found += children
        frontier = children
    return found


def delete_resource(self: APIGatewayBackend, function_id: str, resource_id: str) -> Any:
    """Delete the resource and its subtree (moto left the children with a missing parent)."""
    resource = get_resource(self, function_id, resource_id)
    api = self.apis[function_id]
    for gone in descendants(api, resource_id):
        api.resources.pop(gone, None)
    return resource


def _apply(api: RestAPI, resource: Any, operation: dict[str, Any]) -> None:
    op, path, value = operation.get("op"), operation.get("path"), operation.get("value")
    if op != "replace":
        raise errors.unsupported_op(str(path), str(op))
    if path not in UPDATABLE:
        raise errors.invalid_path(str(path), "replace", UPDATABLE)
    if resource.parent_id is None:
        raise errors.BadRequest(f"Root resource cannot update its {str(path)[1:]}.")
    if path == "/pathPart":
        if not PATH_PART.match(str(value)):
            raise InvalidResourcePathException()
        _check_place(api, resource.parent_id, str(value), moving=resource)
        resource.path_part = value
        return
    if value not in api.resources:
        raise errors.NotFound(errors.RESOURCE)
    if value in descendants(api, resource.id):
        raise errors.BadRequest("Resources cannot be cyclical.")
    _check_place(api, str(value), resource.path_part, moving=resource)
    resource.parent_id = value


def update_resource(self: Any) -> tuple[int, dict[str, str], str]:
    """UpdateResource (PATCH /restapis/{id}/resources/{resource_id}): moto lacks it."""
    parts = self.path.split("/")
    resource = get_resource(self.backend, parts[2], parts[4])
    for operation in self._get_param("patchOperations") or []:
        _apply(self.backend.apis[parts[2]], resource, operation)
    return 200, {}, json.dumps(resource.to_dict())
