"""How a request reaches a moto backend: per-request look-ups made once.

moto's server names the backend of each request by checking its service name against
``moto.backends.list_of_moto_modules()``, which lists moto's package directory (one
``isdir`` per entry, about 200 system calls) on every request. The list cannot change while
the lab runs, so the lab answers it from a copy made when the seam is installed: a quarter
of the server's CPU time per warm invoke (measured in this repository: 6.8 -> 5.1 ms per
``Invoke`` of a warm function, benchmarks/invoke.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from serverless_lab import seams


def rows() -> list[tuple[Any, str, Any]]:
    """(owner, method name, replacement) for the look-ups made once."""
    from moto import backends

    modules = tuple(seams.original(backends, "list_of_moto_modules")())

    def list_of_moto_modules() -> Iterable[str]:
        return modules

    return [(backends, "list_of_moto_modules", list_of_moto_modules)]
