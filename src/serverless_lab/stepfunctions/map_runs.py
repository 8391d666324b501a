"""DescribeMapRun and UpdateMapRun on a Map Run that does not exist, as AWS answers them.

Both actions list two errors of their own: ``InvalidArn`` ("The provided Amazon Resource Name
(ARN) is not valid") and ``ResourceNotFound`` ("Could not find the referenced resource"),
each with HTTP status 400.
https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html
https://docs.aws.amazon.com/step-functions/latest/apireference/API_UpdateMapRun.html

UpdateMapRun's members have ranges in the API reference: ``maxConcurrency`` and
``toleratedFailureCount`` have a minimum of 0, ``toleratedFailurePercentage`` runs from 0 to
100; ``mapRunArn`` is 1 to 2,000 characters. A value outside its range is the model's
``ValidationException`` (validation.py), checked before the service looks for the Map Run.

moto looks for the Map Run in every execution and, when none has it, raises its
``ResourceNotFound`` without the ARN its constructor needs: a ``TypeError`` and a 500. A value
that is not an ARN is looked for as well. The replacements answer ``InvalidArn`` for a value
that does not start like an ARN (the message every Step Functions action gives, validation.py)
and ``ResourceNotFound`` worded as TagResource's (``Resource not found: '<arn>'``).
"""

from __future__ import annotations

from typing import Any

from serverless_lab.stepfunctions import validation

MAX_MAP_RUN_ARN = 2000


def _record(backend: Any, map_run_arn: str) -> Any:
    """The Map Run's record in whichever execution started it, or AWS's ResourceNotFound."""
    from moto.stepfunctions.exceptions import ResourceNotFound

    validation.check_length("mapRunArn", map_run_arn, MAX_MAP_RUN_ARN)
    validation.check_arn_prefix(map_run_arn)
    for execution in backend._get_executions():
        worker = getattr(execution, "exec_worker", None)
        record = worker.env.map_run_record_pool_manager.get(map_run_arn) if worker else None
        if record is not None:
            return record
    raise ResourceNotFound(map_run_arn)


def describe_map_run(self: Any, map_run_arn: str) -> dict[str, Any]:
    """Replacement for ``StepFunctionsParserBackend.describe_map_run``."""
    description: dict[str, Any] = _record(self, map_run_arn).describe()
    return description


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_ranges(max_concurrency: Any, failure_count: Any, failure_percentage: Any) -> None:
    at_least = "Member must have value greater than or equal to 0"
    for member, value in (("maxConcurrency", max_concurrency),
                          ("toleratedFailureCount", failure_count),
                          ("toleratedFailurePercentage", failure_percentage)):
        if _number(value) and value < 0:
            raise validation.constraint(member, value, at_least)
    if _number(failure_percentage) and failure_percentage > 100:
        raise validation.constraint("toleratedFailurePercentage", failure_percentage,
                                    "Member must have value less than or equal to 100")


def update_map_run(self: Any, map_run_arn: str, max_concurrency: int,
                   tolerated_failure_count: str, tolerated_failure_percentage: str) -> None:
    """Replacement for ``StepFunctionsParserBackend.update_map_run``."""
    _check_ranges(max_concurrency, tolerated_failure_count, tolerated_failure_percentage)
    _record(self, map_run_arn).update(
        max_concurrency=max_concurrency,
        tolerated_failure_count=tolerated_failure_count,
        tolerated_failure_percentage=tolerated_failure_percentage)
