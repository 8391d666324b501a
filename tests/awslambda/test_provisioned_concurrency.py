"""Provisioned concurrency configs (awslambda/provisioned_concurrency.py): kept per version
or alias, listed, deleted, and gone with the function."""

from __future__ import annotations

import boto3
import pytest

ECHO = "def handler(event, context):\n    return event\n"


@pytest.fixture
def published(make_function):
    """`fn` with versions 1 and 2, and the alias live on version 2."""
    lam = boto3.client("lambda")
    make_function("fn", ECHO)
    lam.publish_version(FunctionName="fn")
    lam.update_function_configuration(FunctionName="fn", Description="second")
    lam.publish_version(FunctionName="fn")
    lam.create_alias(FunctionName="fn", Name="live", FunctionVersion="2")
    return lam


def test_configs_per_qualifier_are_listed_and_deleted(published):
    lam = published
    lam.put_provisioned_concurrency_config(FunctionName="fn", Qualifier="1",
                                           ProvisionedConcurrentExecutions=2)
    lam.put_provisioned_concurrency_config(FunctionName="fn", Qualifier="live",
                                           ProvisionedConcurrentExecutions=5)
    listed = lam.list_provisioned_concurrency_configs(FunctionName="fn")
    arns = {c["FunctionArn"].rsplit(":", 1)[1]: c["RequestedProvisionedConcurrentExecutions"]
            for c in listed["ProvisionedConcurrencyConfigs"]}
    assert arns == {"1": 2, "live": 5}
    lam.delete_provisioned_concurrency_config(FunctionName="fn", Qualifier="1")
    with pytest.raises(lam.exceptions.ProvisionedConcurrencyConfigNotFoundException):
        lam.get_provisioned_concurrency_config(FunctionName="fn", Qualifier="1")
    live = lam.get_provisioned_concurrency_config(FunctionName="fn", Qualifier="live")
    assert (live["Status"], live["AvailableProvisionedConcurrentExecutions"]) == ("READY", 5)


def test_a_put_replaces_the_config_and_the_account_limit_holds(published):
    lam = published
    lam.put_provisioned_concurrency_config(FunctionName="fn", Qualifier="1",
                                           ProvisionedConcurrentExecutions=2)
    lam.put_provisioned_concurrency_config(FunctionName="fn", Qualifier="1",
                                           ProvisionedConcurrentExecutions=900)
    got = lam.get_provisioned_concurrency_config(FunctionName="fn", Qualifier="1")
    assert got["RequestedProvisionedConcurrentExecutions"] == 900
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.put_provisioned_concurrency_config(FunctionName="fn", Qualifier="live",
                                               ProvisionedConcurrentExecutions=1)


def test_configs_go_with_the_function(published, make_function):
    lam = published
    lam.put_provisioned_concurrency_config(FunctionName="fn", Qualifier="1",
                                           ProvisionedConcurrentExecutions=2)
    lam.delete_function(FunctionName="fn")
    make_function("fn", ECHO)
    assert lam.list_provisioned_concurrency_configs(
        FunctionName="fn")["ProvisionedConcurrencyConfigs"] == []


def test_moving_the_config_from_version_to_alias(published):
    lam = published
    lam.put_provisioned_concurrency_config(FunctionName="fn", Qualifier="2",
                                           ProvisionedConcurrentExecutions=1)
    with pytest.raises(lam.exceptions.ResourceConflictException):
        lam.put_provisioned_concurrency_config(FunctionName="fn", Qualifier="live",
                                               ProvisionedConcurrentExecutions=1)
    lam.delete_provisioned_concurrency_config(FunctionName="fn", Qualifier="2")
    answer = lam.put_provisioned_concurrency_config(FunctionName="fn", Qualifier="live",
                                                    ProvisionedConcurrentExecutions=1)
    assert answer["Status"] == "READY"
