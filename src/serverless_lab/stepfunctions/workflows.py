"""What Step Functions does around an execution: time limits, Express duplicates, and the
Express history that goes to CloudWatch Logs.

AWS: a Standard execution runs for at most one year and an Express execution for at most
five minutes (``States.Timeout`` beyond). Asynchronous Express workflows are at-least-once:
an execution can run more than once, so its tasks must be idempotent; synchronous Express
workflows are at-most-once. Express history is not kept by Step Functions: enable CloudWatch
Logs in the state machine's logging configuration.
https://docs.aws.amazon.com/step-functions/latest/dg/express-at-least-once-execution.html
https://docs.aws.amazon.com/step-functions/latest/dg/concepts-standard-vs-express.html

``Settings.express_duplicate_rate`` (0.0 by default) is the emulator's knob for at-least-once:
that share of asynchronous Express starts, drawn from a seeded generator, runs twice. The
second delivery starts when the first has finished (at the next ``settle``): on AWS the two
may also overlap, but then what a lab prints would depend on thread timing.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import random
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from serverless_lab.awslambda import logs

STANDARD_LIMIT = 365 * 86400.0
TERMINAL_EVENTS = ("ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut",
                   "ExecutionAborted")
EXPRESS_LIMIT = 300.0


@dataclass
class Tracked:
    machine: Any
    execution: Any
    limit: Any = None  # the clock timer of the execution's time limit
    logged: bool = False


@dataclass
class Workflows:
    """Executions started in the lab, for limits, duplicates and Express logs."""

    clock: Any
    settings: Any
    _tracked: list[Tracked] = field(default_factory=list)
    _redeliveries: list[tuple[Any, Any, Any]] = field(default_factory=list)
    _random: random.Random = field(default_factory=random.Random)
    _ids: random.Random = field(default_factory=random.Random)
    _local: threading.local = field(default_factory=threading.local)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._tracked.clear()
            self._redeliveries.clear()
            self._random.seed(self.settings.seed)
            self._ids.seed(self.settings.seed)

    @contextlib.contextmanager
    def synchronous(self) -> Iterator[None]:
        """StartSyncExecution is at-most-once: no duplicate while this is active."""
        self._local.sync = True
        try:
            yield
        finally:
            self._local.sync = False

    def express_arn(self, standard_arn: str) -> str:
        """``...:execution:<machine>:<name>`` as AWS names an Express execution:
        ``...:express:<machine>:<name>:<id>``, the id drawn from a seeded generator."""
        with self._lock:
            bits = self._ids.getrandbits(128)
        prefix = standard_arn.replace(":execution:", ":express:", 1)
        return f"{prefix}:{uuid.UUID(int=bits, version=4)}"

    def started(self, machine: Any, execution: Any) -> None:
        """Track a new execution (an idempotent start returns one already tracked)."""
        with self._lock:
            if any(t.execution is execution for t in self._tracked):
                return
        express = str(machine.type) == "EXPRESS"
        execution.start_date = _virtual(self.clock.now())
        seconds = EXPRESS_LIMIT if express else STANDARD_LIMIT
        limit = self.clock.call_later(seconds, lambda: _time_out(execution, self.clock.now()))
        with self._lock:
            self._tracked.append(Tracked(machine, execution, limit))

    def running(self) -> int:
        """Executions started in this lab that have not finished."""
        with self._lock:
            return sum(not t.logged and not _finished(t.execution) for t in self._tracked)

    def duplicate(self, machine: Any) -> bool:
        if str(machine.type) != "EXPRESS" or getattr(self._local, "sync", False):
            return False
        rate = float(self.settings.express_duplicate_rate)
        with self._lock:
            return rate > 0 and self._random.random() < rate

    def redeliver_later(self, machine: Any, first: Any, start: Any) -> None:
        """Deliver ``first``'s event again once it has finished: ``start()`` starts it."""
        with self._lock:
            self._redeliveries.append((machine, first, start))

    def redeliver(self) -> int:
        """Start the redeliveries whose first delivery has finished; how many started."""
        with self._lock:
            due = [r for r in self._redeliveries if _finished(r[1])]
            self._redeliveries[:] = [r for r in self._redeliveries if r not in due]
        for machine, _, start in due:
            self.started(machine, start())
        return len(due)

    def flush_logs(self) -> int:
        """Settle finished executions: virtual stop date, no more time limit, and the
        history of Express executions in their log groups."""
        with self._lock:
            due = [t for t in self._tracked if not t.logged and _finished(t.execution)]
            for tracked in due:
                tracked.logged = True
        for tracked in due:
            tracked.limit.cancel()
            _wait_for(lambda t=tracked: _terminal(t.execution), seconds=1.0)
            tracked.execution.stop_date = _stop_date(tracked.execution, self.clock.now())
            _log_history(tracked.machine, tracked.execution)
        return len(due)


def _virtual(now: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(now, datetime.timezone.utc)


def _stop_date(execution: Any, now: float) -> datetime.datetime:
    """When the execution ended on the virtual clock (its last history event)."""
    events = execution.to_history_output()["events"]
    stamp = events[-1]["timestamp"] if events else None
    return stamp if isinstance(stamp, datetime.datetime) else _virtual(now)


def _finished(execution: Any) -> bool:
    return str(getattr(execution.exec_status, "value", execution.exec_status)) != "RUNNING"


def _wait_for(condition: Any, seconds: float = 5.0) -> None:
    """Let moto's execution thread catch up (real time: it is real work)."""
    pause = threading.Event()
    for _ in range(int(seconds / 0.002)):
        if condition():
            return
        pause.wait(0.002)


def _terminal(execution: Any) -> bool:
    events = execution.to_history_output()["events"]
    return bool(events) and events[-1]["type"] in TERMINAL_EVENTS


def _time_out(execution: Any, now: float) -> None:
    from moto.stepfunctions.parser.api import ExecutionStatus

    if _finished(execution):
        return
    when = datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
    execution.stop(stop_date=when, error="States.Timeout",
                   cause="The execution ran longer than its type allows.")
    _wait_for(lambda: _finished(execution))
    execution.exec_status = ExecutionStatus.TIMED_OUT
    execution.error = "States.Timeout"
    execution.cause = "The execution ran longer than its type allows."
    execution.stop_date = when
    _timed_out_event(execution)


def _timed_out_event(execution: Any) -> None:
    """The history ends in ExecutionTimedOut, not in the ExecutionAborted of the stop that
    ended it (the details are empty, as moto's own execution time-out records them)."""
    from moto.stepfunctions.parser.api import HistoryEventType

    events = execution.exec_worker.env.event_manager._history_event_list
    if events and events[-1]["type"] == HistoryEventType.ExecutionAborted:
        events[-1].pop("executionAbortedEventDetails", None)
        events[-1]["type"] = HistoryEventType.ExecutionTimedOut
        events[-1]["executionTimedOutEventDetails"] = {}


def _log_group(machine: Any) -> str | None:
    config = machine.loggingConfiguration or {}
    if str(machine.type) != "EXPRESS" or config.get("level", "OFF") == "OFF":
        return None
    for destination in config.get("destinations", []):
        arn = (destination.get("cloudWatchLogsLogGroup") or {}).get("logGroupArn", "")
        if ":log-group:" in arn:
            return str(arn.split(":log-group:")[1].split(":")[0])
    return None


def _log_history(machine: Any, execution: Any) -> None:
    group = _log_group(machine)
    if group is None:
        return
    events = execution.to_history_output()["events"]
    lines = [json.dumps({"id": str(e["id"]), "type": e["type"],
                         "details": _details(e), "previous_event_id": str(e.get(
                             "previousEventId", 0)),
                         "event_timestamp": str(_millis(e["timestamp"])),
                         "execution_arn": execution.exec_arn}, default=str)
             for e in events]
    stream = f"states/{machine.name}/{execution.name}"
    target = logs.LogTarget(execution.account_id, execution.region_name, group, stream)
    logs.write(target, lines, _millis(events[-1]["timestamp"]) if events else 0)


def _millis(stamp: Any) -> int:
    if isinstance(stamp, datetime.datetime):
        return int(stamp.timestamp() * 1000)
    if isinstance(stamp, int | float):
        return int(stamp * 1000) if stamp < 1e11 else int(stamp)
    return int(datetime.datetime.fromisoformat(str(stamp)).timestamp() * 1000)


def _details(event: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = next((v for k, v in event.items() if k.endswith("EventDetails")),
                                 {})
    return found
