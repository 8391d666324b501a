"""stepfunctions: each case of tests/data/conformance/stepfunctions.yaml answers as AWS does (or as its
documented difference says). The format: tests/conformance/runner.py."""

from __future__ import annotations

from typing import Any

import pytest

import serverless_lab
from tests.conformance.runner import check, load


@pytest.mark.parametrize("case", load("stepfunctions"), ids=lambda case: case["id"])
def test_answers_like_aws(case: dict[str, Any], lab: serverless_lab.Lab) -> None:
    check(case, "stepfunctions")
