"""The lab's one clock: real time plus the jumps that ``Lab.advance`` adds.

AWS behaviours that take minutes or hours (asynchronous retries one and two minutes apart,
idle execution environments shut down after a while, Step Functions Wait states) are
emulated on this clock, so a lab can fast-forward through them. Nothing the emulator owns
calls ``time.sleep``: delays are entries in the clock's timetable, run by ``advance`` and
``settle`` when they fall due.
"""

from __future__ import annotations

import heapq
import itertools
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

TimeSource = Callable[[], float]


@dataclass(order=True)
class _Timer:
    due: float
    seq: int
    action: Callable[[], object] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        self.cancelled = True


class VirtualClock:
    """Seconds since the epoch, as ``time.time()``, offset by every ``advance``.

    ``time_source`` is injected (tests pass a frozen one); ``frozen=True`` stops real time
    from flowing, so only ``advance`` moves the clock.
    """

    def __init__(self, time_source: TimeSource = time.time, frozen: bool = False) -> None:
        self._source = time_source
        self._frozen_at: float | None = time_source() if frozen else None
        self._offset = 0.0
        self._timers: list[_Timer] = []
        self._seq = itertools.count()
        self._lock = threading.RLock()

    def now(self) -> float:
        base = self._frozen_at if self._frozen_at is not None else self._source()
        return base + self._offset

    def now_ms(self) -> int:
        return int(self.now() * 1000)

    def freeze(self) -> bool:
        """Stop real time (only ``advance`` moves the clock); False if it already stood."""
        with self._lock:
            if self._frozen_at is not None:
                return False
            self._frozen_at = self._source()
            return True

    def thaw(self) -> None:
        """Let real time flow again, from where the clock stands (no jump)."""
        with self._lock:
            if self._frozen_at is not None:
                self._offset += self._frozen_at - self._source()
                self._frozen_at = None

    @contextmanager
    def frozen(self) -> Iterator[None]:
        """Inside the block real time stops; after it, the clock goes on from where it stood.
        For exact token counts: a burst of requests refills no bucket while it is sent."""
        thaw = self.freeze()
        try:
            yield
        finally:
            if thaw:
                self.thaw()

    def call_at(self, due: float, action: Callable[[], object]) -> _Timer:
        """Schedule ``action`` to run once the clock reads ``due`` or later."""
        timer = _Timer(due, next(self._seq), action)
        with self._lock:
            heapq.heappush(self._timers, timer)
        return timer

    def call_later(self, delay: float, action: Callable[[], object]) -> _Timer:
        return self.call_at(self.now() + delay, action)

    def run_due(self) -> int:
        """Run every timer that is due now, earliest first; return how many ran."""
        ran = 0
        while (timer := self._pop_due(self.now())) is not None:
            timer.action()
            ran += 1
        return ran

    def advance(self, seconds: float, after_each: Callable[[], object] | None = None) -> int:
        """Move time forward by ``seconds``, running timers in order at their due times;
        ``after_each`` runs after every timer (the lab waits there for the work it started,
        which may schedule further timers inside the same window)."""
        check_step(seconds)
        target = self.now() + seconds
        ran = 0
        while (timer := self._pop_due(target)) is not None:
            self._jump_to(timer.due)
            timer.action()
            if after_each is not None:
                after_each()
            ran += 1
        self._jump_to(target)
        return ran

    def next_due(self) -> float | None:
        """When the earliest live timer falls due, or None when the timetable is empty."""
        with self._lock:
            live = [t.due for t in self._timers if not t.cancelled]
        return min(live) if live else None

    def pending(self) -> int:
        with self._lock:
            return sum(not t.cancelled for t in self._timers)

    def clear(self) -> None:
        """Drop every timer and undo every jump (``Lab.reset``)."""
        with self._lock:
            self._timers.clear()
            self._offset = 0.0
            if self._frozen_at is not None:
                self._frozen_at = self._source()

    def _pop_due(self, limit: float) -> _Timer | None:
        with self._lock:
            while self._timers and self._timers[0].cancelled:
                heapq.heappop(self._timers)
            if self._timers and self._timers[0].due <= limit:
                return heapq.heappop(self._timers)
        return None

    def _jump_to(self, when: float) -> None:
        with self._lock:
            gap = when - self.now()
            if gap > 0:
                self._offset += gap


MAX_STEP_SECONDS = 10 * 365 * 86400  # ten years: past a Standard workflow's one-year limit


def check_step(seconds: float) -> None:
    """Refuse a step the clock cannot take (negative, not finite, or absurdly long: a
    timestamp past year 9999 breaks every date AWS returns)."""
    if not math.isfinite(seconds) or not 0 <= seconds <= MAX_STEP_SECONDS:
        raise ValueError(f"seconds must be a finite number from 0 to {MAX_STEP_SECONDS}, "
                         f"not {seconds!r} (the virtual clock only moves forward)")
