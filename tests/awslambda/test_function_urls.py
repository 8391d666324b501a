"""Function URLs (awslambda/function_urls.py): one per function, listed; a second create
leaves the first URL as it was."""

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
