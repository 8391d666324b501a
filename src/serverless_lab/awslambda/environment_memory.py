"""The memory an execution environment uses: all of its processes, not one.

AWS: "Memory: 128 MB to 10,240 MB" for the whole function; a function that uses more ends
with ``Runtime.OutOfMemory`` ("Runtime exited with error: signal: killed"), and the REPORT
line's "Max Memory Used" is the environment's peak.
https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html

Where the environment has a control group (``cgroups.py``) its anonymous memory counts each
page once, however many processes share it; the worker's own resident set is the floor (it
holds the interpreter). Without a group, a lone worker is measured by its resident set, and
an environment of several processes by the sum of their proportional set sizes (``Pss``:
a page shared by n processes counts 1/n in each), read from its own ``/proc`` at most every
``SUM_EVERY_SECONDS``; where the kernel hides ``smaps_rollup`` from the lab (a user
namespace's PID namespace), by the sum of their resident sets, which counts a forked
child's shared pages twice. Without a sandbox, only the worker is measured.
"""

from __future__ import annotations

import os
import time
from typing import Any

from serverless_lab.awslambda import cgroups

WORKER_NS_PID = 2  # the environment's init is 1 and forks the worker first
SUM_EVERY_SECONDS = 0.02


class Memory:
    """Measures one environment against its ``MemorySize``."""

    def __init__(self, limit_mb: int) -> None:
        self.limit_mb = limit_mb
        self._group: cgroups.EnvironmentGroup | None = None
        self._launcher: int | None = None  # its /proc/<pid>/root is the sandbox's root
        self._worker_pid: int | None = None
        self._peak_kb = 0
        self._summed = (0.0, 0)  # (when, kB) of the last sum over several processes

    def attach(self, name: str) -> list[str]:
        """A control group for the next worker; the files it joins by (none if no group)."""
        self.detach()
        self._group = cgroups.create(name)
        return self._group.procs_files if self._group is not None else []

    def watch(self, launcher_pid: int) -> None:
        """Measure through the sandbox's own ``/proc`` (mounted once init says so), reached
        by the launcher's root (init is not dumpable, so not readable by a user's lab)."""
        self._launcher = launcher_pid

    def detach(self) -> None:
        if self._group is not None:
            self._group.remove()
        self._group, self._launcher, self._peak_kb = None, None, 0

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
        if self._launcher is not None:
            return max(worker, self._sum_kb())
        return worker

    def _sum_kb(self) -> int:
        others = self._others()
        if len(others) <= 1:
            return 0
        when, total = self._summed
        if time.monotonic() - when >= SUM_EVERY_SECONDS:
            total = self._pss_kb(others) or sum(self._status_kb(p, "VmRSS:") for p in others)
            self._summed = (time.monotonic(), total)
        return total

    def _pss_kb(self, statuses: list[str]) -> int:
        """The environment's proportional set size (launcher included: its pages are shared
        with init and the worker), or 0 where the kernel does not show it to the lab (a PID
        namespace of a user namespace): the resident sets are added up instead."""
        total = 0
        for path in [f"/proc/{self._launcher}/status", *statuses]:
            try:
                with open(path.replace("/status", "/smaps_rollup")) as rollup:
                    total += next(int(line.split()[1]) for line in rollup
                                  if line.startswith("Pss:"))
            except (OSError, StopIteration, ValueError):
                return 0
        return total

    def _proc(self) -> str:
        return f"/proc/{self._launcher}/root/proc"

    def _worker_status(self) -> str:
        if self._launcher is not None:
            return f"{self._proc()}/{WORKER_NS_PID}/status"
        return f"/proc/{self._worker_pid}/status"

    def _others(self) -> list[str]:
        try:
            names = os.listdir(self._proc())
        except OSError:
            return []
        return [f"{self._proc()}/{n}/status" for n in names if n.isdigit()]

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
