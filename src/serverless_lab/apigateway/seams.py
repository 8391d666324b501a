"""API Gateway's seams into moto (REST APIs: the control plane's operations and checks)."""

from __future__ import annotations

from typing import Any


def rows() -> list[tuple[Any, str, Any]]:
    """(owner, method name, replacement) for every seam this wing owns."""
    return []
