"""AddPermission: a statement in the function's resource-based policy.

AWS: ``StatementId`` matches ``([a-zA-Z0-9-_]+)`` and is unique in the policy; the answer is
201. Recorded on AWS (LocalStack ``test_lambda_api.snapshot.json``,
``TestLambdaPermissions::test_permission_exceptions`` and
``::test_lambda_permission_fn_versioning``): a taken id answers
``ResourceConflictException`` (409) "The statement id (s1) provided already exists. Please
provide a new statement id, or remove the existing statement."; ``Qualifier=$LATEST``
"We currently do not support adding policies for $LATEST."; a stale ``RevisionId``
``PreconditionFailedException`` (412) "... Call the GetPolicy API to retrieve the latest
Revision Id".
https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html
moto answers 200, adds a second statement with the same id, and words the 412 otherwise.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

from moto.awslambda.exceptions import (
    GenericResourcNotFound,
    InvalidParameterValueException,
    LambdaClientError,
    UnknownFunctionException,
)
from moto.awslambda.responses import LambdaResponse

from serverless_lab import seams
from serverless_lab.awslambda import limits, revisions

SID_PATTERN = r"([a-zA-Z0-9-_]+)"
STALE_POLICY = ("The Revision Id provided does not match the latest Revision Id. Call the "
                "GetPolicy API to retrieve the latest Revision Id")


class StatementExists(LambdaClientError):
    code = 409

    def __init__(self, sid: str) -> None:
        super().__init__("ResourceConflictException",
                         f"The statement id ({sid}) provided already exists. Please provide "
                         "a new statement id, or remove the existing statement.")


def _check(self: LambdaResponse, body: dict[str, Any]) -> None:
    sid = str(body.get("StatementId", ""))
    if not re.fullmatch(SID_PATTERN, sid):
        raise limits.ValidationException(
            f"Value '{sid}' at 'statementId' failed to satisfy constraint: Member must "
            f"satisfy regular expression pattern: {SID_PATTERN}")
    qualifier = self.querystring.get("Qualifier", [None])[0]
    if qualifier == "$LATEST":
        raise InvalidParameterValueException(
            "We currently do not support adding policies for $LATEST.")
    fn = self.backend.get_function(unquote(self.path.split("/")[-2]), qualifier)
    if body.get("RevisionId") and body["RevisionId"] != fn.policy.revision:
        raise revisions.PreconditionFailedException(STALE_POLICY)
    if any(statement.get("Sid") == sid for statement in fn.policy.statements):
        raise StatementExists(sid)


def add_permission(self: LambdaResponse) -> tuple[int, dict[str, Any], str]:
    """AddPermission, checked as AWS checks it; 201 as AWS answers."""
    _check(self, json.loads(self.body or "{}"))
    answer: str = seams.original(LambdaResponse, "add_permission")(self)
    return 201, {"status": 201}, answer


def get_policy(self: LambdaResponse) -> Any:
    """GetPolicy of a missing function: "The resource you requested does not exist."
    (``test_permission_exceptions``, get_policy_fn_doesnotexist)."""
    try:
        return seams.original(LambdaResponse, "get_policy")(self)
    except UnknownFunctionException:
        raise GenericResourcNotFound() from None
