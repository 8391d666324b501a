"""Limits for a whole execution environment: its process count and its memory.

AWS: "Execution processes/threads: 1,024" per execution environment, and "the amount of
memory available to the function at runtime" is its ``MemorySize``.
https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html

A Linux control group per environment counts every process and thread the handler starts,
and the anonymous memory they use, once (a forked child's shared pages are not counted
twice). The ``pids`` controller refuses the 1,025th task (``fork`` fails with EAGAIN, as on
AWS); the memory controller only *measures*: the runtime compares the environment's memory
with ``MemorySize`` and stops it (``Runtime.OutOfMemory``), because a kernel limit would also
count the environment's ``/tmp`` (a tmpfs), which AWS does not.

Both cgroup v1 (a hierarchy per controller) and v2 (one hierarchy) work. The lab needs to be
allowed to create groups (root, or a delegated v2 subtree); where it is not, ``create``
answers None and the runtime says what it falls back to (``RLIMIT_NPROC`` per user, and the
memory of each process added up).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
CONTROLLERS = ("pids", "memory")
PROCESS_LIMIT = 1024  # AWS's execution processes/threads quota


@dataclass
class EnvironmentGroup:
    """The control group(s) of one execution environment."""

    paths: dict[str, Path]  # controller -> group directory
    anon_key: str  # the memory.stat line that counts anonymous memory

    @property
    def procs_files(self) -> list[str]:
        """Where a process writes ``0`` to join (one file per hierarchy)."""
        return sorted({str(p / "cgroup.procs") for p in self.paths.values()})

    def memory_bytes(self) -> int:
        """Anonymous memory of every process in the environment, counted once."""
        try:
            for line in (self.paths["memory"] / "memory.stat").read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == self.anon_key:
                    return int(value)
        except (OSError, ValueError):
            pass
        return 0

    def tasks(self) -> int:
        try:
            return int((self.paths["pids"] / "pids.current").read_text())
        except (OSError, ValueError):
            return 0

    def remove(self) -> None:
        """Remove the group once its processes are gone (the kernel may take a moment)."""
        for path in set(self.paths.values()):
            try:
                path.rmdir()
            except FileNotFoundError:
                pass
            except OSError:
                with _LOCK:
                    _LEFT_BEHIND.add(path)


_LEFT_BEHIND: set[Path] = set()
_BASES: set[Path] = set()
_LOCK = threading.Lock()  # environments start and close in many threads at once


def sweep(wait_seconds: float = 0.0) -> None:
    """Retry the removal of groups whose processes were still exiting (the kernel ends a
    PID namespace's processes after its init has gone), waiting up to ``wait_seconds``."""
    deadline, pause = time.monotonic() + wait_seconds, threading.Event()
    while True:
        with _LOCK:
            for path in list(_LEFT_BEHIND):
                try:
                    path.rmdir()
                except FileNotFoundError:
                    pass
                except OSError:
                    continue
                _LEFT_BEHIND.discard(path)
            if not _LEFT_BEHIND or time.monotonic() >= deadline:
                return
        pause.wait(0.005)


def remove_stale() -> None:
    """Remove the groups of labs whose process has gone (a kernel that was killed)."""
    for base in _stale_bases():
        with _LOCK:
            _LEFT_BEHIND.update(p for p in base.iterdir() if p.is_dir())
            _BASES.add(base)
    sweep()
    remove_all()


def _stale_bases() -> list[Path]:
    parents = [ROOT] if (ROOT / "cgroup.controllers").exists() else []
    for controller in CONTROLLERS:
        try:
            parents.append(ROOT / controller / _own_path(controller))
        except OSError:
            continue
    return [base for parent in parents if parent.is_dir()
            for base in parent.glob("serverless-lab-*") if not _alive(base.name)]


def _alive(name: str) -> bool:
    try:
        os.kill(int(name.rsplit("-", 1)[1]), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def create(name: str) -> EnvironmentGroup | None:
    """A new group for one environment, or None where this machine allows none."""
    sweep()
    try:
        if (ROOT / "cgroup.controllers").exists():
            return _create_v2(name)
        return _create_v1(name)
    except OSError:
        return None


def _own_path(controller: str) -> str:
    """This process's group in a v1 hierarchy (``/proc/self/cgroup``: ``N:pids:/path``)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, names, path = line.split(":", 2)
        if controller in names.split(","):
            return path.lstrip("/")
    raise OSError(f"no {controller} cgroup")


def _create_v1(name: str) -> EnvironmentGroup:
    paths = {}
    for controller in CONTROLLERS:
        base = ROOT / controller / _own_path(controller) / f"serverless-lab-{os.getpid()}"
        with _LOCK:
            _BASES.add(base)
        paths[controller] = base / name
        paths[controller].mkdir(parents=True, exist_ok=True)
    (paths["pids"] / "pids.max").write_text(str(PROCESS_LIMIT))
    return EnvironmentGroup(paths, "total_rss")


def _create_v2(name: str) -> EnvironmentGroup:
    """v2 allows controllers only in groups without processes of their own: a group beside
    the lab's, under the hierarchy's root."""
    base = ROOT / f"serverless-lab-{os.getpid()}"
    base.mkdir(exist_ok=True)
    with _LOCK:
        _BASES.add(base)
    wanted = " ".join(f"+{c}" for c in CONTROLLERS)
    if not set(CONTROLLERS) <= set((base / "cgroup.subtree_control").read_text().split()):
        (ROOT / "cgroup.subtree_control").write_text(wanted)
        (base / "cgroup.subtree_control").write_text(wanted)
    group = base / name
    group.mkdir(exist_ok=True)
    (group / "pids.max").write_text(str(PROCESS_LIMIT))
    return EnvironmentGroup({c: group for c in CONTROLLERS}, "anon")


def remove_all() -> None:
    """Remove this lab's parent groups (at ``stop``)."""
    sweep()
    with _LOCK:
        for base in list(_BASES):
            try:
                base.rmdir()
            except OSError:
                continue
            _BASES.discard(base)
