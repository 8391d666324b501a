"""API Gateway throttling: token buckets on the virtual clock, and usage-plan quotas.

AWS: "API Gateway throttles requests to your API using the token bucket algorithm, where a
token counts for a request"; the account default is 10,000 requests per second with a burst
of 5,000; limits apply in order: per-client (API key) or per-method limits of a usage plan,
per-method limits of a stage, the account level. Over a limit the client gets HTTP 429; a
usage plan's quota (per day, week or month) also answers 429.
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html

Buckets refill with the lab's virtual time, so a lab can show the 429s of a burst exactly.
AWS calls its limits best-effort; the emulator's are exact.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

ACCOUNT_RATE, ACCOUNT_BURST = 10_000.0, 5_000.0
PERIOD_SECONDS = {"DAY": 86_400, "WEEK": 7 * 86_400, "MONTH": 30 * 86_400}


@dataclass
class TokenBucket:
    """``burst`` tokens at most, refilled at ``rate`` per (virtual) second."""

    rate: float
    burst: float
    tokens: float = -1.0
    stamp: float = 0.0

    def take(self, now: float) -> bool:
        if self.tokens < 0:
            self.tokens, self.stamp = self.burst, now
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


@dataclass
class Quota:
    """Requests allowed per period for one API key in one usage plan."""

    limit: int
    period: float
    used: int = 0
    start: float = -1.0

    def take(self, now: float) -> bool:
        if self.start < 0 or now - self.start >= self.period:
            self.start, self.used = now, 0
        if self.used >= self.limit:
            return False
        self.used += 1
        return True


@dataclass
class Throttles:
    """Every bucket and quota of the lab, created on first use with the limits given."""

    clock: Any
    _buckets: dict[tuple[Any, ...], TokenBucket] = field(default_factory=dict)
    _quotas: dict[tuple[Any, ...], Quota] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _used: dict[tuple[str, str, str], int] = field(default_factory=dict)

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()
            self._quotas.clear()
            self._used.clear()

    def count(self, plan_id: str, key_id: str) -> None:
        """One request admitted with ``key_id`` under ``plan_id``, on today's (UTC) date."""
        day = time.strftime("%Y-%m-%d", time.gmtime(self.clock.now()))
        with self._lock:
            self._used[(plan_id, key_id, day)] = self._used.get((plan_id, key_id, day), 0) + 1

    def usage(self, plan_id: str) -> dict[tuple[str, str], int]:
        """Requests counted for ``plan_id``: {(key id, YYYY-MM-DD): count} (GetUsage)."""
        with self._lock:
            return {(key, day): n for (plan, key, day), n in self._used.items() if plan == plan_id}

    def allow(self, key: tuple[Any, ...], rate: float, burst: float) -> bool:
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None or (bucket.rate, bucket.burst) != (rate, burst):
                bucket = self._buckets[key] = TokenBucket(rate, burst)
            return bucket.take(self.clock.now())

    def within_quota(self, key: tuple[Any, ...], limit: int, period: str) -> bool:
        with self._lock:
            quota = self._quotas.get(key)
            seconds = PERIOD_SECONDS.get(period.upper(), 86_400)
            if quota is None or (quota.limit, quota.period) != (limit, seconds):
                quota = self._quotas[key] = Quota(limit, seconds)
            return quota.take(self.clock.now())
