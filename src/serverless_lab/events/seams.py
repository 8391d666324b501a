"""EventBridge's seam into moto: rules deliver to their targets."""

from __future__ import annotations

from typing import Any


def rows() -> list[tuple[Any, str, Any]]:
    """(owner, method name, replacement) for every seam this wing owns."""
    from moto.events.models import Rule

    from serverless_lab.events import rules as eventbridge

    return [
        (Rule, "send_to_targets", eventbridge.send_to_targets),
    ]
