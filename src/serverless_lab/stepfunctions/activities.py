"""CreateActivity's tags, checked before the activity exists.

A tag is a ``key`` of 1-128 characters and a ``value`` of 0-256 (validation.check_tags;
https://docs.aws.amazon.com/step-functions/latest/apireference/API_Tag.html); a request that
breaks them fails as a whole (ValidationException, checked before the service acts:
https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateActivity.html).
moto stores the activity first and then fails on a tag without its key (a KeyError, a 500),
leaving the activity behind, so a retry answers ``ActivityAlreadyExists``.
"""

from __future__ import annotations

from typing import Any

from serverless_lab import seams
from serverless_lab.stepfunctions import validation


def create_activity(self: Any, name: str, tags: list[dict[str, str]] | None = None,
                    encryption_configuration: dict[str, Any] | None = None) -> Any:
    """Replacement for ``StepFunctionBackend.create_activity``: the tags, then moto."""
    from moto.stepfunctions.models import StepFunctionBackend

    validation.check_tags(tags)
    return seams.original(StepFunctionBackend, "create_activity")(
        self, name, tags=tags, encryption_configuration=encryption_configuration)
