"""Account settings (awslambda/account_settings.py): the unreserved pool shrinks with each
function's reserved concurrency, and 100 of the 1,000 always stay unreserved."""

from __future__ import annotations

import boto3
import pytest

ECHO = "def handler(event, context):\n    return event\n"


def test_reserved_concurrency_comes_out_of_the_unreserved_pool(make_function):
    lam = boto3.client("lambda")
    make_function("a", ECHO)
    make_function("b", ECHO)
    lam.put_function_concurrency(FunctionName="a", ReservedConcurrentExecutions=850)
    settings = lam.get_account_settings()
    assert settings["AccountLimit"]["ConcurrentExecutions"] == 1000
    assert settings["AccountLimit"]["UnreservedConcurrentExecutions"] == 150
    assert settings["AccountUsage"]["FunctionCount"] == 2
    assert settings["AccountUsage"]["TotalCodeSize"] > 0
    lam.put_function_concurrency(FunctionName="b", ReservedConcurrentExecutions=50)
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.put_function_concurrency(FunctionName="b", ReservedConcurrentExecutions=51)


def test_a_function_may_change_its_own_reservation_up_to_the_limit(make_function):
    lam = boto3.client("lambda")
    make_function("a", ECHO)
    lam.put_function_concurrency(FunctionName="a", ReservedConcurrentExecutions=900)
    answer = lam.put_function_concurrency(FunctionName="a", ReservedConcurrentExecutions=900)
    assert answer["ReservedConcurrentExecutions"] == 900
