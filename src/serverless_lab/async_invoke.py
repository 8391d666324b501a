"""Asynchronous invocation: ``InvocationType=Event`` returns 202 at once and runs later.

AWS: "Lambda places the event in a queue and returns a success response without additional
information. A separate process reads events from the queue and sends them to your
function." https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html

Here the queue is drained by background threads, promptly; ``Lab.settle`` waits until it is
empty. Retries, maximum event age, dead-letter queues and destinations build on this queue.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor


class EventQueue:
    """The internal queue of accepted asynchronous events."""

    def __init__(self, workers: int = 4) -> None:
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="lambda-async")
        self._in_flight: set[Future[None]] = set()
        self._lock = threading.Lock()

    def put(self, run: Callable[[], None]) -> None:
        future = self._executor.submit(run)
        with self._lock:
            self._in_flight.add(future)
        future.add_done_callback(self._done)

    def in_flight(self) -> int:
        with self._lock:
            return len(self._in_flight)

    def drain(self) -> None:
        """Wait until every accepted event has run."""
        while True:
            with self._lock:
                pending = list(self._in_flight)
            if not pending:
                return
            for future in pending:
                future.exception()

    def close(self) -> None:
        self.drain()
        self._executor.shutdown(wait=True)

    def _done(self, future: Future[None]) -> None:
        with self._lock:
            self._in_flight.discard(future)
