"""Revision ids: optimistic locking on functions and aliases.

AWS: every function version and alias has a ``RevisionId`` that changes with each update.
UpdateFunctionConfiguration, UpdateFunctionCode, PublishVersion and UpdateAlias take an
optional ``RevisionId`` "to avoid modifying a function [or alias] that has changed since you
last read it"; a stale one answers ``PreconditionFailedException`` (HTTP 412) "The Revision
Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to
retrieve the latest Revision Id" (LocalStack ``test_lambda_api.snapshot.json``,
``TestLambdaVersions::test_publish_with_wrong_revisionid``, recorded on AWS).
PublishVersion's ``CodeSha256`` is checked the same way: "Only publish a version if the hash
value matches the value that's specified" (``::test_publish_with_wrong_sha256``).
https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionConfiguration.html
https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html
https://docs.aws.amazon.com/lambda/latest/api/API_UpdateAlias.html

moto gives functions no ``RevisionId``, never changes an alias's and ignores the parameter.
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import unquote

from moto.awslambda.exceptions import (
    InvalidParameterValueException,
    LambdaClientError,
    UnknownAliasException,
)
from moto.awslambda.responses import LambdaResponse

from serverless_lab import seams

STALE = ("The Revision Id provided does not match the latest Revision Id. Call the "
         "GetFunction/GetAlias API to retrieve the latest Revision Id")


class PreconditionFailedException(LambdaClientError):
    code = 412

    def __init__(self, message: str = STALE) -> None:
        super().__init__("PreconditionFailedException", message)


class AliasNotFound(LambdaClientError):
    """UpdateAlias on a missing alias (``TestLambdaAlias::test_non_existent_alias_update``)."""

    code = 404

    def __init__(self, arn: str) -> None:
        super().__init__("ResourceNotFoundException", f"Alias not found: {arn}")


def current(resource: Any) -> str:
    """The resource's revision id (a function gets its first one when first read)."""
    revision = getattr(resource, "revision_id", None)
    if revision is None:
        revision = renew(resource)
    return str(revision)


def renew(resource: Any) -> str:
    """A new revision id, after an update."""
    revision = str(uuid.uuid4())
    setattr(resource, "revision_id", revision)  # noqa: B010 - moto's functions lack it
    return revision


def check(resource: Any, given: str | None) -> None:
    """Refuse a stale ``RevisionId`` (none given: no check)."""
    if given and given != current(resource):
        raise PreconditionFailedException()


def _body(response: LambdaResponse) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(response.body or "{}")
    return body


def publish_version(self: LambdaResponse) -> Any:
    """PublishVersion: ``RevisionId`` and ``CodeSha256`` must match $LATEST's."""
    name = unquote(self.path.split("/")[-2])
    body = _body(self)
    latest = self.backend.get_function(name)
    check(latest, body.get("RevisionId"))
    wanted = body.get("CodeSha256")
    if wanted and wanted != latest.code_sha_256:
        raise InvalidParameterValueException(
            f"CodeSHA256 ({wanted}) is different from current CodeSHA256 in $LATEST "
            f"({latest.code_sha_256}). Please try again with the CodeSHA256 in $LATEST.")
    return seams.original(LambdaResponse, "publish_version")(self)


def update_alias(self: LambdaResponse) -> Any:
    """UpdateAlias: a stale ``RevisionId`` is refused; a successful update renews it."""
    function_name = unquote(self.path.rsplit("/")[-3])
    alias_name = unquote(self.path.rsplit("/", 2)[-1])
    try:
        alias = self.backend.get_alias(alias_name, function_name)
    except UnknownAliasException as missing:
        raise AliasNotFound(missing.message.split("arn: ", 1)[-1]) from None
    check(alias, _body(self).get("RevisionId"))
    before = current(alias)
    renew(alias)  # before moto writes its answer, which carries the new id
    try:
        return seams.original(LambdaResponse, "update_alias")(self)
    except Exception:
        alias.revision_id = before  # a refused update changes nothing
        raise
