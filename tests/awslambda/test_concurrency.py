from __future__ import annotations

from serverless_lab.awslambda.concurrency import Concurrency


def test_reserved_caps_in_flight_invocations_per_function() -> None:
    limiter = Concurrency()
    assert limiter.acquire("f", 2) and limiter.acquire("f", 2)
    assert not limiter.acquire("f", 2)
    assert limiter.acquire("g", 2)
    limiter.release("f")
    assert limiter.acquire("f", 2) and limiter.in_flight("f") == 2


def test_zero_throttles_and_none_is_unlimited() -> None:
    limiter = Concurrency()
    assert not limiter.acquire("f", 0)
    assert all(limiter.acquire("g", None) for _ in range(100))
