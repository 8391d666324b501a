"""The memory an execution environment uses: all of its processes, not one.

AWS: "Memory: 128 MB to 10,240 MB" for the whole function; a function that uses more ends
with ``Runtime.OutOfMemory`` ("Runtime exited with error: signal: killed"), and the REPORT
line's "Max Memory Used" is the environment's peak.
https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html

Where the environment has a control group (``cgroups.py``) its anonymous memory counts each
page once, however many processes share it; the worker's own resident set is the floor (it
holds the interpreter). Without a group, the resident sets of the environment's processes
are added up, as its ``/proc`` lists them (a forked child's shared pages then count twice,
so such a function meets its limit early); without a sandbox, only the worker is measured.
"""

from __future__ import annotations

import os
from typing import Any

from . import cgroups

WORKER_NS_PID = 2  # the environment's init is 1 and forks the worker first


class Memory:
    """Measures one environment against its ``MemorySize``."""

    def __init__(self, limit_mb: int) -> None:
        self.limit_mb = limit_mb
        self._group: cgroups.EnvironmentGroup | None = None
        self._init_pid: int | None = None
        self._worker_pid: int | None = None
        self._peak_kb = 0

    def attach(self, name: str) -> list[str]:
        """A control group for the next worker; the files it joins by (none if no group)."""
        self.detach()
        self._group = cgroups.create(name)
        return self._group.procs_files if self._group is not None else []

    def watch(self, init_pid: int) -> None:
        self._init_pid = init_pid

    def detach(self) -> None:
        if self._group is not None:
            self._group.remove()
        self._group, self._init_pid, self._peak_kb = None, None, 0

    def exceeded(self, process: Any) -> bool:
        """Whether the environment uses more than its ``MemorySize`` now."""
        self._worker_pid = process.pid if process is not None else None
        used_kb = self._used_kb()
        self._peak_kb = max(self._peak_kb, used_kb)
        return used_kb / 1024 > self.limit_mb

    def peak_mb(self) -> int:
        peak = max(self._peak_kb, self._status_kb(self._worker_status(), "VmHWM:"))
        return max(1, round(peak / 1024))

    def _used_kb(self) -> int:
        worker = self._status_kb(self._worker_status(), "VmRSS:")
        if self._group is not None:
            return max(worker, self._group.memory_bytes() // 1024)
        if self._init_pid is not None:
            return max(worker, sum(self._status_kb(path, "VmRSS:") for path in self._others()))
        return worker

    def _proc(self) -> str:
        return f"/proc/{self._init_pid}/root/proc"

    def _worker_status(self) -> str:
        if self._init_pid is not None:
            return f"{self._proc()}/{WORKER_NS_PID}/status"
        return f"/proc/{self._worker_pid}/status"

    def _others(self) -> list[str]:
        try:
            names = os.listdir(self._proc())
        except OSError:
            return []
        return [f"{self._proc()}/{n}/status" for n in names if n.isdigit() and n != "1"]

    @staticmethod
    def _status_kb(path: str, key: str) -> int:
        try:
            with open(path) as status:
                for line in status:
                    if line.startswith(key):
                        return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return 0
