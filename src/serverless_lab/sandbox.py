"""The filesystem an execution environment sees: its own ``/tmp``, layers at ``/opt``, EFS.

AWS: "/tmp ... 512 MB to 10,240 MB"; layers are extracted to ``/opt`` and ``/opt/python`` is
on a Python function's path; an EFS access point is mounted at the function's
``LocalMountPath`` (under ``/mnt``).
https://docs.aws.amazon.com/lambda/latest/dg/configuration-ephemeral-storage.html
https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html
https://docs.aws.amazon.com/lambda/latest/dg/configuration-filesystem.html

On Linux, one small *holder* process per execution environment (this file run as a script)
creates a private mount namespace: a tmpfs of ``EphemeralStorage`` MB at ``/tmp`` (so a write
beyond it fails with ENOSPC, as on AWS), the merged layers read-only at ``/opt``, each EFS
directory at its mount path, and the user's ``~/.aws`` hidden. Worker processes join that
namespace (``setns``), so a worker that crashes or times out is replaced while ``/tmp``
keeps its files, as AWS keeps ``/tmp`` across a reset. Where namespaces are not allowed,
the holder says so and exits, and the runtime falls back to ``TMPDIR``.

Standard library only: the holder and the worker start in a few milliseconds.
"""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
from typing import Any

PYTHON_LAYER_PATHS = ("/opt/python", "/opt/python/lib/python3.11/site-packages")
TASK_ROOT = "/var/task"  # where Lambda puts the function's code, read-only

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
MS_RDONLY = 1
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18


def _libc() -> Any:
    return ctypes.CDLL(None, use_errno=True)


def _mount(source: str, target: str, flags: int, fstype: str | None = None,
           data: str | None = None) -> None:
    if _libc().mount(source.encode(), target.encode(), fstype.encode() if fstype else None,
                     flags, data.encode() if data else None) != 0:
        raise OSError(ctypes.get_errno(), f"mount {source} on {target} failed")


def _write(path: str, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)


def _unshare() -> bool:
    """Enter a new mount namespace; return True if a user namespace was needed too."""
    libc = _libc()
    if libc.unshare(CLONE_NEWNS) == 0:
        return False
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWNS | CLONE_NEWUSER) != 0:
        raise OSError(ctypes.get_errno(), "unshare failed")
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{uid} {uid} 1")
    _write("/proc/self/gid_map", f"{gid} {gid} 1")
    return True


def _under(path: str, top: str) -> bool:
    return path == top or path.startswith(top + "/")


def _replace_dir(top: str, keep: list[str], mount: Any) -> None:
    """Mount over ``top`` with ``mount()``, then re-expose the parts of the host's ``top``
    that the runtime itself needs (a virtualenv or checkout living in ``/tmp``)."""
    old = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    mount()
    for name in sorted({os.path.relpath(p, top).split(os.sep)[0] for p in keep
                        if _under(p, top) and p != top}):
        os.makedirs(os.path.join(top, name), exist_ok=True)
        _mount(f"/proc/self/fd/{old}/{name}", os.path.join(top, name), MS_BIND | MS_REC)
    os.close(old)


def _add_under(top: str, name: str) -> None:
    """Make ``top/name`` exist in this namespace only: a tmpfs over ``top`` that shows every
    entry of the host's ``top`` again (bind mounts and symlinks), plus the new directory."""
    old = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    entries = os.listdir(f"/proc/self/fd/{old}")
    _mount("tmpfs", top, 0, "tmpfs", "size=1m,mode=755")
    for entry in entries:
        source, target = f"/proc/self/fd/{old}/{entry}", os.path.join(top, entry)
        if os.path.islink(source):
            os.symlink(os.readlink(source), target)
        elif os.path.isdir(source):
            os.mkdir(target)
            _mount(source, target, MS_BIND | MS_REC)
        else:
            open(target, "w").close()
            _mount(source, target, MS_BIND)
    os.close(old)
    os.makedirs(os.path.join(top, name), exist_ok=True)


def _bind(source: str, target: str, read_only: bool) -> None:
    _mount(source, target, MS_BIND | MS_REC)
    if read_only:
        _mount("none", target, MS_BIND | MS_REMOUNT | MS_RDONLY)


def build(config: dict[str, Any]) -> bool:
    """Set up this process's namespace from ``config``; return whether it owns a user ns."""
    user_ns = _unshare()
    keep = config["keep"]
    _mount("none", "/", MS_REC | MS_PRIVATE)
    size = f"size={config['tmp_mb']}m,mode=1777"
    _replace_dir("/tmp", keep, lambda: _mount("tmpfs", "/tmp", 0, "tmpfs", size))
    if not any(_under(p, "/opt") for p in keep):
        _bind(config["opt_dir"], "/opt", read_only=True)
    _add_under("/var", "task")
    _bind(config["task_root"], "/var/task", read_only=True)
    if config["file_systems"]:
        _replace_dir("/mnt", keep, lambda: _mount("tmpfs", "/mnt", 0, "tmpfs", "size=1m"))
        for host_dir, mount_path in config["file_systems"]:
            os.makedirs(mount_path, exist_ok=True)
            _bind(host_dir, mount_path, read_only=False)
    for path in config["hide"]:
        if os.path.isdir(path):
            _mount("tmpfs", path, 0, "tmpfs", "size=1m")
    return user_ns


def join(pid: int, user_ns: bool) -> None:
    """Move this (single-threaded) process into the holder ``pid``'s namespaces."""
    libc = _libc()
    kinds = ([("user", CLONE_NEWUSER)] if user_ns else []) + [("mnt", CLONE_NEWNS)]
    for kind, flag in kinds:
        fd = os.open(f"/proc/{pid}/ns/{kind}", os.O_RDONLY)
        if libc.setns(fd, flag) != 0:
            raise OSError(ctypes.get_errno(), f"setns {kind} failed")
        os.close(fd)
    os.chdir("/")


class Holder:
    """The parent's handle on one environment's holder process."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self._process: subprocess.Popen[str] | None = None
        self.info: dict[str, Any] | None = None

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    # SESSION_NOTE: holders and workers run in sessions of their own, so a notebook kernel
    # that shuts down does not wait for them (ipykernel signals its process group and waits
    # until no child is left, and a killed child stays a zombie nobody reaps: 2.5 s per
    # shutdown). They still end with the lab: each reads a pipe from it and exits at EOF.
    def spawn(self) -> None:
        """Start the holder; ``wait`` reads its answer (so a worker can start meanwhile)."""
        self._process = subprocess.Popen(
            [sys.executable, "-S", "-I", __file__], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env={},
            start_new_session=True)  # see SESSION_NOTE
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps(self.config) + "\n")
        self._process.stdin.flush()

    def wait(self) -> dict[str, Any] | None:
        """The namespace to join, or None when this machine does not allow one."""
        assert self._process is not None and self._process.stdout is not None
        reply = json.loads(self._process.stdout.readline() or '{"mode": "tmpdir"}')
        self.info = reply if reply["mode"] == "namespace" else None
        return self.info

    def close(self) -> None:
        if self._process is None:
            return
        self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()
        self._process = None


def hold() -> None:
    """The holder: build the namespace, report, then live until stdin closes."""
    config = json.loads(sys.stdin.readline())
    try:
        reply = {"mode": "namespace", "user_ns": build(config), "pid": os.getpid()}
    except (OSError, AttributeError) as exc:
        reply = {"mode": "tmpdir", "error": str(exc)}
    print(json.dumps(reply), flush=True)
    if reply["mode"] == "namespace":
        sys.stdin.read()


if __name__ == "__main__":
    hold()
