"""Asynchronous invocation: the internal queue, retries on the virtual clock, and where
each event ends (success, destination, dead-letter queue, or discarded).

AWS: "Lambda places the event in a queue and returns a success response". On a function
error it "attempts to run it two more times, with a one-minute wait between the first two
attempts, and two minutes between the second and third"; throttles and system errors are
retried for up to 6 hours with backoff from 1 second to 5 minutes. Events older than
``MaximumEventAgeInSeconds`` are not retried. With reserved concurrency 0, events go straight
to the dead-letter queue or on-failure destination.
https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html

The first attempt runs promptly on a background thread; every later attempt is a timer on
the lab's clock, so ``lab.advance(minutes=3)`` runs a whole retry schedule at once.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from serverless_lab.awslambda import destinations, logs
from serverless_lab.awslambda.event_invoke_config import AsyncSettings, settings_for
from serverless_lab.clock import VirtualClock

FUNCTION_ERROR_DELAYS = (60.0, 120.0)
THROTTLE_FIRST_DELAY, THROTTLE_MAX_DELAY = 1.0, 300.0


@dataclass
class AsyncEvent:
    """One accepted event and everything that happened to it."""

    request_id: str
    fn: Any  # the moto LambdaFunction (version) that was invoked
    payload: str
    invoked_arn: str
    qualifier: str | None
    accepted_at: float
    attempts: list[tuple[float, str]] = field(default_factory=list)  # (virtual time, result)
    throttles: int = 0
    outcome: str | None = None  # succeeded | destination | dead-letter | discarded
    condition: str | None = None


class Throttled(Exception):
    """Raised by the attempt runner when no concurrency is available."""

    def __init__(self, reserved: int | None) -> None:
        super().__init__("throttled")
        self.reserved = reserved


Attempt = Callable[[AsyncEvent], tuple[Any, Any]]  # -> (executed fn, invoke.Outcome)


class AsyncInvoker:
    """The internal queue of asynchronous events, drained by background threads."""

    def __init__(self, clock: VirtualClock, attempt: Attempt, workers: int = 4) -> None:
        self.clock = clock
        self._attempt = attempt
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="lambda-async")
        self._in_flight: set[Future[Any]] = set()
        self._lock = threading.Lock()
        self.events: list[AsyncEvent] = []

    def accept(self, fn: Any, payload: str, invoked_arn: str, qualifier: str | None) -> str:
        """Queue an event (the 202 of an ``Event`` invoke); return its request id."""
        event = AsyncEvent(str(uuid.uuid4()), fn, payload, invoked_arn, qualifier,
                           self.clock.now())
        with self._lock:
            self.events.append(event)
        self.put(lambda: self.run(event))
        return event.request_id

    def put(self, job: Callable[[], object]) -> None:
        future = self._executor.submit(job)
        with self._lock:
            self._in_flight.add(future)
        future.add_done_callback(self._done)

    def in_flight(self) -> int:
        with self._lock:
            return len(self._in_flight)

    def drain(self) -> None:
        """Wait until every queued attempt has run."""
        while True:
            with self._lock:
                pending = list(self._in_flight)
            if not pending:
                return
            for future in pending:
                future.exception()

    def reset(self) -> None:
        self.drain()
        with self._lock:
            self.events.clear()

    def run(self, event: AsyncEvent) -> None:
        """One attempt, then: done, a retry on the clock, or the failure path."""
        settings = settings_for(event.fn, event.qualifier)
        started = self.clock.now()
        if started - event.accepted_at >= settings.max_age:
            return self._fail(event, settings, "EventAgeExceeded", None)
        try:
            executed, outcome = self._attempt(event)
        except Throttled as throttle:
            return self._throttled(event, settings, throttle, started)
        event.attempts.append((started, "error" if outcome.function_error else "ok"))
        if outcome.function_error is None:
            return self._succeed(event, settings, executed, outcome)
        if len(event.attempts) > settings.max_retries:
            return self._fail(event, settings, "RetriesExhausted", (executed, outcome))
        delay = FUNCTION_ERROR_DELAYS[len(event.attempts) - 1]
        self._retry(event, settings, started + delay, (executed, outcome))

    def _retry(self, event: AsyncEvent, settings: AsyncSettings, due: float,
               last: Any) -> None:
        """Schedule the next attempt ``due`` (measured from the start of the last attempt,
        so a retry schedule of 1 + 2 minutes fits in ``lab.advance(minutes=3)``)."""
        if due - event.accepted_at >= settings.max_age:
            return self._fail(event, settings, "EventAgeExceeded", last)
        self.clock.call_at(due, lambda: self.run(event))

    def _throttled(self, event: AsyncEvent, settings: AsyncSettings, throttle: Throttled,
                   started: float) -> None:
        event.attempts.append((started, "throttled"))
        if throttle.reserved == 0:
            return self._fail(event, settings, "RetriesExhausted", None)
        delay = min(THROTTLE_MAX_DELAY, THROTTLE_FIRST_DELAY * 2 ** event.throttles)
        event.throttles += 1
        self._retry(event, settings, started + delay, None)

    def _succeed(self, event: AsyncEvent, settings: AsyncSettings, executed: Any,
                 outcome: Any) -> None:
        event.outcome, event.condition = "succeeded", "Success"
        if settings.on_success:
            record = self._record(event, "Success", executed, outcome)
            destinations.deliver(settings.on_success, record, success=True)

    def _fail(self, event: AsyncEvent, settings: AsyncSettings, condition: str,
              last: tuple[Any, Any] | None) -> None:
        event.condition = condition
        executed, outcome = last if last else (event.fn, None)
        dead_letter = (getattr(executed, "dead_letter_config", None) or {}).get("TargetArn")
        if settings.on_failure:
            record = self._record(event, condition, executed, outcome)
            destinations.deliver(settings.on_failure, record, success=False)
        if dead_letter:
            destinations.dead_letter(dead_letter, event.payload, event.request_id,
                                     429 if outcome is None else 200, _message(outcome))
        event.outcome = ("destination" if settings.on_failure else
                         "dead-letter" if dead_letter else "discarded")
        if event.outcome == "discarded":
            self._log_discard(event)

    def _record(self, event: AsyncEvent, condition: str, executed: Any,
                outcome: Any) -> dict[str, Any]:
        version = str(executed.version)
        return destinations.invocation_record(
            request_id=event.request_id, function_arn=_qualified(executed.function_arn, version),
            condition=condition, attempts=len([a for a in event.attempts if a[1] != "throttled"]),
            payload=event.payload, executed_version=version,
            function_error=outcome.function_error if outcome else None,
            response=outcome.payload if outcome else b"", when=self.clock.now())

    def _log_discard(self, event: AsyncEvent) -> None:
        version = str(event.fn.version)
        stream = time.strftime("%Y/%m/%d", time.gmtime(self.clock.now())) + \
            f"/[{version}]async-events"
        target = logs.LogTarget(event.fn.account_id, event.fn.region,
                                f"/aws/lambda/{event.fn.function_name}", stream)
        tries = len(event.attempts)
        logs.write(target, [f"Event {event.request_id} discarded: {event.condition} after "
                            f"{tries} attempt{'s' if tries != 1 else ''}; no dead-letter queue "
                            "or on-failure destination is configured"], self.clock.now_ms())

    def _done(self, future: Future[Any]) -> None:
        with self._lock:
            self._in_flight.discard(future)


def _qualified(function_arn: str, version: str) -> str:
    base = function_arn.split(":function:")[0]
    name = function_arn.split(":function:")[1].split(":")[0]
    return f"{base}:function:{name}:{version}"


def _message(outcome: Any) -> str:
    if outcome is None:
        return "Rate Exceeded."
    try:
        return str(json.loads(outcome.payload).get("errorMessage", ""))
    except (ValueError, AttributeError):
        return ""
