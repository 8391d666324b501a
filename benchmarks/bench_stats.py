"""Small statistics shared by the benchmark scripts (run them from the repository root:
``python benchmarks/<name>.py``)."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from typing import Any


def ms(seconds: float) -> float:
    return seconds * 1000.0


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100.0 * len(ordered)))
    return ordered[rank - 1]


def summary(values_ms: list[float]) -> dict[str, float]:
    return {"n": len(values_ms), "median_ms": round(statistics.median(values_ms), 3),
            "p90_ms": round(percentile(values_ms, 90), 3),
            "p99_ms": round(percentile(values_ms, 99), 3),
            "min_ms": round(min(values_ms), 3), "max_ms": round(max(values_ms), 3)}


def timed(call: Callable[[], Any]) -> float:
    """Wall seconds ``call()`` took."""
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def verdict(targets: dict[str, Any], met_keys: tuple[str, ...], check: bool) -> int:
    """The exit code: 1 (and the missed targets on stderr) when ``check`` and one is missed."""
    import sys

    missed = [key for key in met_keys if not targets[key]]
    if check and missed:
        print(f"benchmark targets missed: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0
