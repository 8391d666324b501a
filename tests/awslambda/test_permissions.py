"""AddPermission (awslambda/permissions.py): the policy's RevisionId guards it; ids are
unique; the answer is 201."""

from __future__ import annotations

import json

import boto3
import pytest

ECHO = "def handler(event, context):\n    return event\n"
GRANT = {"Action": "lambda:InvokeFunction", "Principal": "s3.amazonaws.com"}


def test_the_current_policy_revision_is_accepted_and_ids_stay_unique(make_function):
    lam = boto3.client("lambda")
    make_function("fn", ECHO)
    added = lam.add_permission(FunctionName="fn", StatementId="s1", **GRANT)
    assert added["ResponseMetadata"]["HTTPStatusCode"] == 201
    revision = lam.get_policy(FunctionName="fn")["RevisionId"]
    lam.add_permission(FunctionName="fn", StatementId="s2", RevisionId=revision, **GRANT)
    with pytest.raises(lam.exceptions.PreconditionFailedException):
        lam.add_permission(FunctionName="fn", StatementId="s3", RevisionId=revision, **GRANT)
    with pytest.raises(lam.exceptions.ResourceConflictException):
        lam.add_permission(FunctionName="fn", StatementId="s1", **GRANT)
    policy = json.loads(lam.get_policy(FunctionName="fn")["Policy"])
    assert [s["Sid"] for s in policy["Statement"]] == ["s1", "s2"]
