"""Function names and ARNs (awslambda/function_names.py): another Region's or account's ARN
does not reach the local function; a body that is not UTF-8 is a 400, on any operation."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

ECHO = "def handler(event, context):\n    return event\n"


def error(call) -> tuple[str, int]:
    with pytest.raises(ClientError) as caught:
        call()
    response = caught.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def test_arns_of_this_region_and_account_still_work(make_function):
    lam = boto3.client("lambda")
    make_function("fn", ECHO)
    here = "arn:aws:lambda:us-east-1:123456789012:function:fn"
    assert lam.get_function(FunctionName=here)["Configuration"]["FunctionName"] == "fn"
    assert lam.get_function(FunctionName="123456789012:function:fn")["Configuration"]
    assert error(lambda: lam.get_function(FunctionName="999999999999:function:fn")) == (
        "AccessDeniedException", 403)
    other = "arn:aws:lambda:eu-west-1:123456789012:function:fn"
    assert error(lambda: lam.delete_function(FunctionName=other)) == (
        "ResourceNotFoundException", 404)
    assert lam.get_function(FunctionName="fn")  # the refused delete left it in place
