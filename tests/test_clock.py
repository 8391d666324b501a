from __future__ import annotations

import pytest

from serverless_lab.clock import VirtualClock


class FakeTime:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_reads_real_time_plus_jumps() -> None:
    source = FakeTime()
    clock = VirtualClock(source)
    clock.advance(60)
    source.now += 5
    assert clock.now() == pytest.approx(1_065.0)


def test_frozen_clock_moves_only_on_advance() -> None:
    source = FakeTime()
    clock = VirtualClock(source, frozen=True)
    source.now += 100
    assert clock.now() == 1_000.0
    clock.advance(30)
    assert clock.now() == 1_030.0


def test_advance_runs_timers_in_order_at_their_due_time() -> None:
    clock = VirtualClock(FakeTime(), frozen=True)
    seen: list[tuple[str, float]] = []
    clock.call_later(120, lambda: seen.append(("second", clock.now())))
    clock.call_later(60, lambda: seen.append(("first", clock.now())))
    clock.call_later(500, lambda: seen.append(("later", clock.now())))
    assert clock.advance(180) == 2
    assert seen == [("first", 1_060.0), ("second", 1_120.0)]
    assert clock.now() == 1_180.0
    assert clock.pending() == 1


def test_timer_scheduled_by_a_timer_runs_in_the_same_advance() -> None:
    clock = VirtualClock(FakeTime(), frozen=True)
    seen: list[float] = []
    clock.call_later(10, lambda: clock.call_later(10, lambda: seen.append(clock.now())))
    clock.advance(30)
    assert seen == [1_020.0]


def test_cancelled_timer_never_runs() -> None:
    clock = VirtualClock(FakeTime(), frozen=True)
    seen: list[int] = []
    timer = clock.call_later(1, lambda: seen.append(1))
    timer.cancel()
    clock.advance(5)
    assert seen == [] and clock.pending() == 0


def test_run_due_runs_only_what_is_due() -> None:
    clock = VirtualClock(FakeTime(), frozen=True)
    seen: list[int] = []
    clock.call_at(clock.now(), lambda: seen.append(0))
    clock.call_later(1, lambda: seen.append(1))
    assert clock.run_due() == 1 and seen == [0]


def test_time_only_moves_forward() -> None:
    with pytest.raises(ValueError):
        VirtualClock(FakeTime()).advance(-1)


def test_clear_drops_timers_and_jumps() -> None:
    clock = VirtualClock(FakeTime(), frozen=True)
    clock.call_later(10, lambda: None)
    clock.advance(5)
    clock.clear()
    assert clock.now() == 1_000.0 and clock.pending() == 0


def test_frozen_stops_real_time_and_resumes_without_a_jump() -> None:
    now = [1000.0]
    clock = VirtualClock(time_source=lambda: now[0])
    with clock.frozen():
        now[0] += 50
        assert clock.now() == 1000.0
        clock.advance(5)
        assert clock.now() == 1005.0
    assert clock.now() == 1005.0
    now[0] += 1
    assert clock.now() == 1006.0
