from __future__ import annotations

import threading

from serverless_lab.async_invoke import EventQueue


def test_drain_waits_for_every_accepted_event() -> None:
    queue = EventQueue(workers=2)
    seen: list[int] = []
    lock = threading.Lock()

    def job(i: int) -> None:
        with lock:
            seen.append(i)

    for i in range(20):
        queue.put(lambda i=i: job(i))
    queue.drain()
    assert sorted(seen) == list(range(20)) and queue.in_flight() == 0
    queue.close()


def test_a_failing_event_does_not_stop_the_queue() -> None:
    queue = EventQueue(workers=1)
    seen: list[str] = []
    queue.put(lambda: 1 / 0)
    queue.put(lambda: seen.append("after"))
    queue.drain()
    assert seen == ["after"]
    queue.close()
