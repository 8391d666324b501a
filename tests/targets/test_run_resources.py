"""Which resources belong to a run: name prefix and tag, read in each service's format."""

from __future__ import annotations

import boto3
import pytest

from serverless_lab.targets.run_resources import Context, Found, queues, tag_value
from serverless_lab.targets.tagging import TAG_KEY


def context(run_id: str | None, finders=None) -> Context:
    return Context(boto3.session.Session(), run_id, lambda seconds: None, None, finders or {})


@pytest.mark.parametrize("tags", [
    {TAG_KEY: "0a1b2c", "team": "a"},
    [{"Key": "team", "Value": "a"}, {"Key": TAG_KEY, "Value": "0a1b2c"}],
    [{"key": TAG_KEY, "value": "0a1b2c"}],
])
def test_the_tag_is_read_in_every_format(tags) -> None:
    assert tag_value(tags) == "0a1b2c"


def test_no_tag() -> None:
    assert tag_value({}) is None and tag_value([]) is None and tag_value(None) is None


def test_a_run_owns_what_carries_its_prefix_and_its_tag() -> None:
    run = context("0a1b2c")
    assert run.owns("slb-0a1b2c-orders", lambda: {TAG_KEY: "0a1b2c"})
    assert not run.owns("slb-0a1b2c-orders", lambda: {})                   # no tag
    assert not run.owns("orders", lambda: {TAG_KEY: "0a1b2c"})             # no prefix
    assert not run.owns("slb-ffffff-orders", lambda: {TAG_KEY: "ffffff"})  # another run
    assert not run.owns("slb-0a1b2c-orders", lambda: {TAG_KEY: "ffffff"})  # disagreeing


def test_every_run_owns_what_agrees_with_itself() -> None:
    every = context(None)
    assert every.owns("slb-ffffff-orders", lambda: {TAG_KEY: "ffffff"})
    assert not every.owns("slb-ffffff-orders", lambda: {TAG_KEY: "0a1b2c"})
    assert every.tagged({TAG_KEY: "ffffff"}) and not every.tagged({TAG_KEY: "not-a-run"})


def test_tags_are_read_only_for_names_with_a_prefix() -> None:
    def unreadable():
        raise AssertionError("tags read for a name without the prefix")

    assert not context("0a1b2c").owns("orders", unreadable)


def test_a_kind_is_listed_once_and_a_listing_failure_is_reported() -> None:
    calls: list[str] = []

    def broken(ctx: Context) -> list[Found]:
        calls.append("listed")
        raise boto3.exceptions.botocore.exceptions.EndpointConnectionError(endpoint_url="x")

    run = context("0a1b2c", {"sqs queue": broken})
    assert run.found("sqs queue") == [] and run.found("sqs queue") == []
    assert calls == ["listed"] and "sqs queue *" in run.failed


def test_the_queue_finder_against_the_emulator(lab) -> None:
    sqs = boto3.session.Session().client("sqs")
    sqs.create_queue(QueueName="slb-0a1b2c-mine", tags={TAG_KEY: "0a1b2c"})
    sqs.create_queue(QueueName="slb-0a1b2c-untagged")
    sqs.create_queue(QueueName="mine")
    assert [found.name for found in queues(context("0a1b2c"))] == ["slb-0a1b2c-mine"]
