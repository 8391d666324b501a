"""Tags on API Gateway resources: GetTags, TagResource, UntagResource by resource ARN.

AWS: the three actions name the resource by its ARN, ``arn:aws:apigateway:<region>::<path>``,
e.g. ``/restapis/<id>`` or ``/restapis/<id>/stages/<name>``; GetTags answers ``{"tags": {...}}``,
TagResource and UntagResource answer 204; a resource that does not exist is
NotFoundException, a malformed request BadRequestException
(https://docs.aws.amazon.com/apigateway/latest/api/API_TagResource.html#API_TagResource_Errors,
https://docs.aws.amazon.com/apigateway/latest/api/API_GetTags.html,
https://docs.aws.amazon.com/apigateway/latest/api/API_UntagResource.html).
moto handled stage ARNs only and failed with a 500 on any other. REST APIs and stages keep
their own tags (CreateRestApi's and CreateStage's show them); other API Gateway resources
(API keys, usage plans, ...) keep theirs by ARN, without an existence check. An ARN of
another service is refused with the emulator's message (no recording of AWS's was found).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

from moto.apigateway.models import APIGatewayBackend

from serverless_lab.apigateway import errors
from serverless_lab.apigateway.resources import get_rest_api
from serverless_lab.apigateway.stages import get_stage

ARN = re.compile(r"^arn:aws[\w-]*:apigateway:[\w-]*::(?P<path>/.+)$")
REST_API = re.compile(r"^/restapis/(?P<api>[^/]+)$")
STAGE = re.compile(r"^/restapis/(?P<api>[^/]+)/stages/(?P<stage>[^/]+)$")
BAD_ARN = "Invalid ARN specified in the request"
KEPT = "serverless_lab_tags"  # on the backend: moto's reset empties it with the resources


def _tags(backend: APIGatewayBackend, arn: str) -> tuple[Any, str]:
    """(the object holding the tags, its attribute) for the ARN."""
    matched = ARN.match(arn)
    if matched is None:
        raise errors.BadRequest(BAD_ARN)
    path = matched["path"]
    if found := STAGE.match(path):
        return get_stage(backend, found["api"], found["stage"]), "tags"
    if found := REST_API.match(path):
        return get_rest_api(backend, found["api"]), "tags"
    return backend, ""


def _read(backend: APIGatewayBackend, arn: str) -> dict[str, str]:
    holder, attribute = _tags(backend, arn)
    if not attribute:
        kept: dict[str, dict[str, str]] = backend.__dict__.setdefault(KEPT, {})
        return kept.setdefault(arn, {})
    if getattr(holder, attribute) is None:
        setattr(holder, attribute, {})
    tags: dict[str, str] = getattr(holder, attribute)
    return tags


def _arn(response: Any) -> str:
    return unquote(response.path.split("/tags/", 1)[1])


def get_tags(self: Any) -> tuple[int, dict[str, str], str]:
    """GetTags (GET /tags/{resource_arn})."""
    return 200, {}, json.dumps({"tags": dict(_read(self.backend, _arn(self)))})


def tag_resource(self: Any) -> tuple[int, dict[str, str], str]:
    """TagResource (PUT /tags/{resource_arn}): 204."""
    tags = self._get_param("tags") or {}
    if not isinstance(tags, dict):
        raise errors.BadRequest("tags must be a map of strings")
    _read(self.backend, _arn(self)).update({str(k): str(v) for k, v in tags.items()})
    return 204, {"status": "204"}, ""


def untag_resource(self: Any) -> tuple[int, dict[str, str], str]:
    """UntagResource (DELETE /tags/{resource_arn}?tagKeys=...): 204."""
    tags = _read(self.backend, _arn(self))
    for key in self.querystring.get("tagKeys") or []:
        tags.pop(key, None)
    return 204, {"status": "204"}, ""

