"""Revision ids (awslambda/revisions.py): each update gives a new one; the current one is
accepted, a stale one refused with 412, on functions and on aliases."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

ECHO = "def handler(event, context):\n    return event\n"


def test_each_update_gives_a_new_revision_and_the_current_one_is_accepted(make_function):
    lam = boto3.client("lambda")
    make_function("fn", ECHO)
    first = lam.get_function_configuration(FunctionName="fn")["RevisionId"]
    second = lam.update_function_configuration(FunctionName="fn", Timeout=5,
                                               RevisionId=first)["RevisionId"]
    assert second != first
    assert lam.get_function(FunctionName="fn")["Configuration"]["RevisionId"] == second
    published = lam.publish_version(FunctionName="fn", RevisionId=second)
    assert published["Version"] == "1"
    with pytest.raises(ClientError) as stale:
        lam.update_function_configuration(FunctionName="fn", Timeout=6, RevisionId=first)
    assert stale.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    assert isinstance(stale.value, lam.exceptions.PreconditionFailedException)


def test_an_alias_update_renews_its_revision(make_function):
    lam = boto3.client("lambda")
    make_function("fn", ECHO)
    lam.publish_version(FunctionName="fn")
    created = lam.create_alias(FunctionName="fn", Name="live", FunctionVersion="1")
    updated = lam.update_alias(FunctionName="fn", Name="live", Description="x",
                               RevisionId=created["RevisionId"])
    assert updated["RevisionId"] != created["RevisionId"]
    assert lam.get_alias(FunctionName="fn", Name="live")["RevisionId"] == updated["RevisionId"]
    with pytest.raises(lam.exceptions.PreconditionFailedException):
        lam.update_alias(FunctionName="fn", Name="live", RevisionId=created["RevisionId"])


def test_publish_with_the_current_code_sha256_publishes(make_function):
    lam = boto3.client("lambda")
    make_function("fn", ECHO)
    sha = lam.get_function_configuration(FunctionName="fn")["CodeSha256"]
    assert lam.publish_version(FunctionName="fn", CodeSha256=sha)["Version"] == "1"
