"""Event invoke config per function, version or alias; put replaces, update merges."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.awslambda.models import lambda_backends

from serverless_lab.awslambda.event_invoke_config import AsyncSettings, settings_for

OK = "def handler(e, c):\n    return 1\n"


def test_put_replaces_update_merges_get_and_delete(make_function):
    client = boto3.client("lambda")
    make_function("f", OK)
    client.put_function_event_invoke_config(FunctionName="f", MaximumRetryAttempts=1,
                                            MaximumEventAgeInSeconds=600)
    client.put_function_event_invoke_config(FunctionName="f", MaximumRetryAttempts=0)
    config = client.get_function_event_invoke_config(FunctionName="f")
    assert config["MaximumRetryAttempts"] == 0 and "MaximumEventAgeInSeconds" not in config
    client.update_function_event_invoke_config(FunctionName="f", MaximumEventAgeInSeconds=120)
    config = client.get_function_event_invoke_config(FunctionName="f")
    assert (config["MaximumRetryAttempts"], config["MaximumEventAgeInSeconds"]) == (0, 120)
    assert config["FunctionArn"].endswith(":function:f:$LATEST")
    client.delete_function_event_invoke_config(FunctionName="f")
    with pytest.raises(ClientError) as caught:
        client.get_function_event_invoke_config(FunctionName="f")
    assert caught.value.response["Error"]["Message"] == (
        "The function arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST doesn't have "
        "an EventInvokeConfig")


def test_each_qualifier_has_its_own_config(make_function):
    client = boto3.client("lambda")
    make_function("f", OK)
    client.publish_version(FunctionName="f")
    client.create_alias(FunctionName="f", Name="live", FunctionVersion="1")
    client.put_function_event_invoke_config(FunctionName="f", Qualifier="live",
                                            MaximumRetryAttempts=1)
    client.put_function_event_invoke_config(FunctionName="f", MaximumRetryAttempts=0)
    latest = lambda_backends["123456789012"]["us-east-1"].get_function("f")
    assert settings_for(latest, "live").max_retries == 1
    assert settings_for(latest, None).max_retries == 0
    assert settings_for(latest, "1") == AsyncSettings()  # version 1 has none: the defaults
    listed = client.list_function_event_invoke_configs(FunctionName="f")
    assert len(listed["FunctionEventInvokeConfigs"]) == 2


def test_retries_above_two_are_refused(make_function):
    make_function("f", OK)
    with pytest.raises(ClientError) as caught:
        boto3.client("lambda").put_function_event_invoke_config(FunctionName="f",
                                                                MaximumRetryAttempts=3)
    assert caught.value.response["Error"]["Code"] == "ValidationException"
