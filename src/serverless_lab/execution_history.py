"""What one Step Functions execution did, read from its history: a status per state.

AWS: history events ``<Type>StateEntered``/``Exited`` name the state, task events do not,
and there is no retry event: a retry is another ``...Scheduled`` within the same visit
(AWS-RESPONSES.md 6e). https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html

Pure functions, used by ``state_machine_graph`` to colour a state machine's picture.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

_WORST_FIRST = ("failed", "running", "caught", "retried", "succeeded")
_BRANCH_START = {"ExecutionStarted", "ParallelStateStarted", "MapStateStarted",
                 "MapIterationStarted"}
_FINISH = {"ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"}
Edge = tuple[str | None, str | None]


@dataclass(frozen=True)
class ExecutionPath:
    """What one execution did: a status per visited state and the edges it took.

    ``edges`` holds ``(from, to)`` state names, ``None`` standing for Start or End.
    """

    statuses: dict[str, str] = field(default_factory=dict)
    edges: frozenset[Edge] = frozenset()
    retries: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_history(cls, events: list[dict[str, Any]]) -> ExecutionPath:
        """Read boto3's ``get_execution_history(...)["events"]``, oldest first."""
        return _HistoryReader(events).read()

    def status(self, name: str) -> str:
        return self.statuses.get(name, "not visited")


@dataclass
class _Visit:
    name: str
    kind: str
    attempts: int = 0
    failures: int = 0
    failing: bool = False

    def note(self, event_type: str) -> None:
        """Every ``...Scheduled`` is an attempt; AWS has no separate retry event."""
        if event_type.endswith("Scheduled"):
            self.attempts += 1
            self.failing = False
        elif event_type.endswith(("Failed", "TimedOut")):
            self.failures += 1
            self.failing = True
        elif event_type.endswith("Succeeded"):
            self.failing = False

    def exited(self) -> str:
        """A state left while failing was caught: Catch sends it on (``...StateExited``)."""
        return "caught" if self.failing else "retried" if self.failures else "succeeded"


class _HistoryReader:
    """One pass over the events; ``previousEventId`` chains (list order when absent)."""

    def __init__(self, events: list[dict[str, Any]]) -> None:
        self.events = list(events)
        self.index = {e["id"]: i for i, e in enumerate(self.events) if "id" in e}
        self.open: dict[int, _Visit] = {}
        self.exits: dict[int, str] = {}
        self.followed: set[int] = set()
        self.statuses: dict[str, str] = {}
        self.retries: dict[str, int] = {}
        self.edges: set[Edge] = set()
        self.ended = False

    def read(self) -> ExecutionPath:
        for i, event in enumerate(self.events):
            self._read(i, str(event.get("type", "")))
        for visit in self.open.values():
            self._settle(visit, "failed" if visit.failing else "running")
        if self.ended:
            self.edges |= {(name, None) for j, name in self.exits.items()
                           if j not in self.followed}
        return ExecutionPath(self.statuses, frozenset(self.edges), self.retries)

    def _read(self, i: int, kind: str) -> None:
        if kind.endswith("StateEntered"):
            name = self.events[i].get("stateEnteredEventDetails", {}).get("name", "")
            self.open[i] = _Visit(name, kind.removesuffix("StateEntered"))
            self.edges.add((self._came_from(i), name))
        elif kind.endswith("StateExited"):
            self._exit(i, self.events[i].get("stateExitedEventDetails", {}).get("name", ""))
        elif kind in _FINISH:
            self._finish(kind != "ExecutionSucceeded")
        elif not kind.startswith(("Execution", "MapIteration")):
            visit = self._owner(i, kind)
            if visit is not None:
                visit.note(kind)

    def _walk(self, i: int) -> Iterator[int]:
        """Back along ``previousEventId`` (list order where absent); only ever backwards."""
        while True:
            event = self.events[i]
            j = self.index.get(event["previousEventId"], -1) if "previousEventId" in event \
                else i - 1
            if not 0 <= j < i:
                return
            yield (i := j)

    def _came_from(self, i: int) -> str | None:
        """The state whose exit led here, or None: the start of the execution or a branch."""
        for j in self._walk(i):
            kind = self.events[j].get("type", "")
            if j in self.exits:
                self.followed.add(j)
                return self.exits[j]
            if kind.endswith("StateEntered") or kind in _BRANCH_START:
                return None
        return None

    def _owner(self, i: int, kind: str) -> _Visit | None:
        for prefix, state_type in (("ParallelState", "Parallel"), ("MapState", "Map"),
                                   ("MapRun", "Map")):
            if kind.startswith(prefix):
                return self._last_open(state_type)
        for j in self._walk(i):
            if j in self.open:
                return self.open[j]
            if j in self.exits:
                break
        return self._last_open(None)

    def _last_open(self, state_type: str | None) -> _Visit | None:
        matching = [v for v in self.open.values() if state_type in (None, v.kind)]
        return matching[-1] if matching else None

    def _exit(self, i: int, name: str) -> None:
        keys = [k for k, v in self.open.items() if v.name == name]
        if keys:
            visit = self.open.pop(keys[-1])
            self._settle(visit, visit.exited())
            self.exits[i] = name

    def _finish(self, failed: bool) -> None:
        self.ended = True
        for visit in self.open.values():
            self._settle(visit, "failed" if failed or visit.failing else "succeeded")
            if visit.kind == "Fail":
                self.edges.add((visit.name, None))
        self.open.clear()

    def _settle(self, visit: _Visit, status: str) -> None:
        old = self.statuses.get(visit.name, "succeeded")
        self.statuses[visit.name] = min(old, status, key=_WORST_FIRST.index)
        if visit.attempts > 1:
            self.retries[visit.name] = max(self.retries.get(visit.name, 0), visit.attempts - 1)
