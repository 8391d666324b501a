from __future__ import annotations

from serverless_lab.apigateway.throttling import Quota, Throttles, TokenBucket


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def now(self) -> float:
        return self.t


def test_bucket_allows_the_burst_then_the_rate() -> None:
    bucket = TokenBucket(rate=5, burst=10)
    assert sum(bucket.take(0.0) for _ in range(15)) == 10
    assert sum(bucket.take(1.0) for _ in range(15)) == 5
    assert sum(bucket.take(10.0) for _ in range(15)) == 10  # refills only up to the burst


def test_accepted_requests_over_a_window_are_burst_plus_rate_times_time() -> None:
    bucket, accepted = TokenBucket(rate=5, burst=10), 0
    for step in range(1000):  # 100 requests per second for 10 seconds
        accepted += bucket.take(step / 100)
    assert abs(accepted - (10 + 5 * 10)) <= 1


def test_quota_resets_each_period() -> None:
    quota = Quota(limit=3, period=86_400)
    assert [quota.take(0) for _ in range(4)] == [True, True, True, False]
    assert quota.take(86_400)


def test_throttles_keep_one_bucket_per_key_and_follow_new_limits() -> None:
    clock = Clock()
    throttles = Throttles(clock)
    assert sum(throttles.allow(("a",), 1, 2) for _ in range(5)) == 2
    assert sum(throttles.allow(("b",), 1, 2) for _ in range(5)) == 2
    assert sum(throttles.allow(("a",), 1, 4) for _ in range(5)) == 4  # limits changed
    assert throttles.within_quota(("k",), 1, "DAY") and not throttles.within_quota(("k",), 1, "DAY")
