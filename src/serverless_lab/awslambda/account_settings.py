"""The account's Lambda limits: GetAccountSettings, and what reserved concurrency may take.

AWS: an account has 1,000 concurrent executions per Region by default; "You can reserve up
to the unreserved account concurrency minus 100": 100 must stay unreserved for the functions
without reserved concurrency (FACTS.md section 11;
https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html). More answers
``InvalidParameterValueException`` "Specified ReservedConcurrentExecutions for function
decreases account's UnreservedConcurrentExecution below its minimum value of [100]."
(LocalStack ``test_lambda_api.snapshot.json``,
``TestLambdaReservedConcurrency::test_function_concurrency_limits``, recorded on AWS).
GetAccountSettings answers ``AccountLimit`` (code size limits, ``ConcurrentExecutions``,
``UnreservedConcurrentExecutions``) and ``AccountUsage`` (``FunctionCount``,
``TotalCodeSize``).
https://docs.aws.amazon.com/lambda/latest/api/API_GetAccountSettings.html
moto has no GetAccountSettings and accepts any reserved concurrency.
"""

from __future__ import annotations

import json
from typing import Any

from moto.awslambda.exceptions import InvalidParameterValueException
from moto.awslambda.models import LambdaBackend
from moto.awslambda.responses import LambdaResponse

from serverless_lab.awslambda import limits

CONCURRENT_EXECUTIONS = 1000
UNRESERVED_MINIMUM = 100
TOTAL_CODE_SIZE = 75 * 1024 ** 3  # 75 GB for functions and layers (limits.QUOTAS_PAGE)


def _latest_functions(backend: LambdaBackend) -> list[Any]:
    return [entry["latest"] for entry in backend._lambdas._functions.values()]


def reserved_elsewhere(backend: LambdaBackend, function_name: str) -> int:
    """Reserved concurrency of every other function in the Region."""
    return sum(int(fn.reserved_concurrency or 0) for fn in _latest_functions(backend)
               if fn.function_name != function_name)


def check_reserved(backend: LambdaBackend, function_name: str, value: Any) -> None:
    """Refuse a reserved concurrency AWS refuses, before moto stores it."""
    limits.check_integers([value])
    if int(value) < 0:
        raise limits.ValidationException(
            f"Value '{value}' at 'reservedConcurrentExecutions' failed to satisfy "
            "constraint: Member must have value greater than or equal to 0")
    unreserved = CONCURRENT_EXECUTIONS - reserved_elsewhere(backend, function_name) - int(value)
    if unreserved < UNRESERVED_MINIMUM:
        raise InvalidParameterValueException(
            "Specified ReservedConcurrentExecutions for function decreases account's "
            f"UnreservedConcurrentExecution below its minimum value of [{UNRESERVED_MINIMUM}].")


def settings(backend: LambdaBackend) -> dict[str, Any]:
    """GetAccountSettings' answer for this account and Region."""
    functions = _latest_functions(backend)
    code_size = sum(int(fn.code_size or 0) for fn in functions)
    return {
        "AccountLimit": {
            "TotalCodeSize": TOTAL_CODE_SIZE,
            "CodeSizeUnzipped": limits.UNZIPPED_TOTAL,
            "CodeSizeZipped": limits.ZIPPED_DIRECT_UPLOAD,
            "ConcurrentExecutions": CONCURRENT_EXECUTIONS,
            "UnreservedConcurrentExecutions":
                CONCURRENT_EXECUTIONS - reserved_elsewhere(backend, ""),
        },
        "AccountUsage": {"TotalCodeSize": code_size, "FunctionCount": len(functions)},
    }


def get_account_settings(self: LambdaResponse) -> str:
    """GetAccountSettings (an operation moto lacks)."""
    return json.dumps(settings(self.backend))
