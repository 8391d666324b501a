"""Operations the emulator does not emulate answer like AWS's unknown operation, never HTML.

(Being built: the mechanism that turns moto's missing routes and NotImplementedError into
an AWS-shaped error naming the operation. It knows no service: it reads botocore's models.)
"""

from __future__ import annotations

from typing import Any


def rows() -> list[tuple[Any, str, Any]]:
    """(owner, method name, replacement) for every seam this module owns."""
    return []
