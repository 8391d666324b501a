"""Function URLs (awslambda/function_urls.py): one per function and one per alias, listed;
a second create leaves the first URL as it was."""

from __future__ import annotations

import boto3
import pytest

ECHO = "def handler(event, context):\n    return event\n"


def test_a_second_url_is_refused_and_the_first_is_listed(make_function):
    lam = boto3.client("lambda")
    make_function("fn", ECHO)
    assert lam.list_function_url_configs(FunctionName="fn")["FunctionUrlConfigs"] == []
    url = lam.create_function_url_config(FunctionName="fn", AuthType="NONE")["FunctionUrl"]
    with pytest.raises(lam.exceptions.ResourceConflictException):
        lam.create_function_url_config(FunctionName="fn", AuthType="AWS_IAM")
    [listed] = lam.list_function_url_configs(FunctionName="fn")["FunctionUrlConfigs"]
    assert (listed["FunctionUrl"], listed["AuthType"]) == (url, "NONE")


def test_an_alias_has_its_own_url_beside_the_functions(make_function):
    lam = boto3.client("lambda")
    make_function("fn", ECHO)
    lam.publish_version(FunctionName="fn")
    lam.create_alias(FunctionName="fn", Name="live", FunctionVersion="1")
    plain = lam.create_function_url_config(FunctionName="fn", AuthType="NONE")
    live = lam.create_function_url_config(FunctionName="fn", Qualifier="live", AuthType="AWS_IAM")
    assert live["FunctionArn"].endswith(":function:fn:live") and live["FunctionUrl"] != plain["FunctionUrl"]
    assert lam.get_function_url_config(FunctionName="fn")["AuthType"] == "NONE"
    lam.update_function_url_config(FunctionName="fn", Qualifier="live", AuthType="NONE")
    assert lam.get_function_url_config(FunctionName="fn", Qualifier="live")["AuthType"] == "NONE"
    lam.delete_function_url_config(FunctionName="fn")
    [left] = lam.list_function_url_configs(FunctionName="fn")["FunctionUrlConfigs"]
    assert left["FunctionUrl"] == live["FunctionUrl"]
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function_url_config(FunctionName="fn")
