"""Reserved concurrency: a function's maximum number of simultaneous invocations.

AWS: reserved concurrency "is both the maximum and a guaranteed minimum" for the whole
function, all versions and aliases included; setting it to 0 throttles every invocation,
and a throttled synchronous caller gets ``TooManyRequestsException`` (HTTP 429).
https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
"""

from __future__ import annotations

import threading
from collections import Counter


class Concurrency:
    """In-flight invocations per function, checked against reserved concurrency."""

    def __init__(self) -> None:
        self._in_flight: Counter[str] = Counter()
        self._lock = threading.Lock()

    def acquire(self, function_name: str, reserved: int | None) -> bool:
        """Count one more invocation, unless that would exceed ``reserved``."""
        with self._lock:
            if reserved is not None and self._in_flight[function_name] >= reserved:
                return False
            self._in_flight[function_name] += 1
            return True

    def release(self, function_name: str) -> None:
        with self._lock:
            self._in_flight[function_name] -= 1

    def in_flight(self, function_name: str) -> int:
        with self._lock:
            return self._in_flight[function_name]
