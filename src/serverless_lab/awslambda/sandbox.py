"""The filesystem an execution environment sees, and the holder process that keeps it.

AWS: "/tmp ... 512 MB to 10,240 MB"; "The execution environment ... file system is
read-only, except for /tmp"; layers are extracted to ``/opt`` and ``/opt/python`` is on a
Python function's path; an EFS access point is mounted at the function's ``LocalMountPath``.
https://docs.aws.amazon.com/lambda/latest/dg/configuration-ephemeral-storage.html
https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html
https://docs.aws.amazon.com/lambda/latest/dg/configuration-filesystem.html

On Linux, one small *holder* process per execution environment (this file run as a script)
builds a private mount namespace with a root filesystem of its own, then ``pivot_root``s
into it, so the host's tree is not reachable by any path:

- ``/usr``, ``/etc`` (and the ``/bin``, ``/lib`` ... links) and the Python installation the
  runtime runs on: bound read-only;
- ``/var/task``: the function's code, read-only; ``/opt``: its layers, read-only;
- ``/tmp``: a tmpfs of ``EphemeralStorage`` MB (a write beyond it fails with ENOSPC);
- EFS directories at their ``LocalMountPath``, writable;
- ``/dev``: null, zero, full, random, urandom only; ``/proc``: mounted by the
  environment's own init (``sandbox_init.py``), so it shows the environment's processes only;
- everything else (the user's home, ``~/.aws``, the project, ``/var/tmp``) is not there, and
  the root itself is read-only.

Workers join the namespace (``setns``), so a worker that crashes or times out is replaced
while ``/tmp`` keeps its files, as AWS keeps ``/tmp`` across a reset. As root the holder
needs only a mount namespace; otherwise it makes a user namespace too, where the function's
user is uid 993, as on AWS. Where neither is allowed the holder says so and exits, and the
runtime falls back to ``TMPDIR`` (``execution_environment.FALLBACK_NOTICE``).

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
FUNCTION_UID = 993  # what functions on AWS report (sbx_user1051) in public write-ups
SYSTEM_DIRS = ("usr", "etc", "bin", "sbin", "lib", "lib32", "lib64", "libx32")
DEVICES = ("null", "zero", "full", "random", "urandom")

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_NOATIME, MS_NODIRATIME, MS_BIND = 32, 1024, 2048, 4096
MS_REC, MS_PRIVATE, MS_RELATIME = 16384, 1 << 18, 1 << 21
MNT_DETACH = 2
# statvfs flag -> mount flag: a read-only remount must keep the flags a user namespace locks.
LOCKED_FLAGS = ((os.ST_NOSUID, MS_NOSUID), (os.ST_NODEV, MS_NODEV), (os.ST_NOEXEC, MS_NOEXEC),
                (os.ST_NOATIME, MS_NOATIME), (os.ST_NODIRATIME, MS_NODIRATIME),
                (os.ST_RELATIME, MS_RELATIME))


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
    _write("/proc/self/uid_map", f"{FUNCTION_UID} {uid} 1")
    _write("/proc/self/gid_map", f"{FUNCTION_UID} {gid} 1")
    return True


def _under(path: str, top: str) -> bool:
    return path == top or path.startswith(top.rstrip("/") + "/")


def _inside(root: str, path: str) -> str:
    return os.path.join(root, path.lstrip("/"))


def _bind(source: str, target: str, read_only: bool) -> None:
    """Bind ``source`` (not its sub-mounts) at ``target``, read-only unless told."""
    _mount(source, target, MS_BIND)
    if read_only:
        locked = os.statvfs(source).f_flag
        flags = sum(ms for st, ms in LOCKED_FLAGS if locked & st)
        _mount("none", target, MS_BIND | MS_REMOUNT | MS_RDONLY | flags)


def _bind_path(root: str, source: str, target: str, read_only: bool = True) -> None:
    """Bind a host file or directory at ``target`` inside ``root``, creating the mount point."""
    point = _inside(root, target)
    if os.path.isdir(source):
        os.makedirs(point, mode=0o755, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(point), mode=0o755, exist_ok=True)
        open(point, "a").close()
    _bind(source, point, read_only)


def _system(root: str) -> None:
    """``/usr``, ``/etc`` and the merged-usr links (``/bin -> usr/bin``), as on the host."""
    for name in SYSTEM_DIRS:
        host = "/" + name
        if os.path.islink(host):
            os.symlink(os.readlink(host), _inside(root, name))
        elif os.path.isdir(host):
            _bind_path(root, host, host)


def _runtime(root: str, keep: list[str]) -> None:
    """The Python installation (and the bootstrap) the worker runs on, read-only, at the
    same paths as on the host; nothing beside them (a home directory shows only these)."""
    bound: list[str] = ["/" + name for name in SYSTEM_DIRS]
    for path in sorted(keep, key=len):
        if os.path.exists(path) and not any(_under(path, done) for done in bound):
            _bind_path(root, path, path)
            bound.append(path)


def _layers(root: str, opt_dir: str) -> None:
    """``/opt``: each entry of the merged layers, read-only (a directory of our own, so a
    Python installed under ``/opt`` on the host can be bound beside them)."""
    os.makedirs(_inside(root, "/opt"), mode=0o755, exist_ok=True)
    for entry in sorted(os.listdir(opt_dir)):
        _bind_path(root, os.path.join(opt_dir, entry), "/opt/" + entry)


def _devices(root: str) -> None:
    for name in DEVICES:
        _bind_path(root, "/dev/" + name, "/dev/" + name, read_only=False)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
        os.symlink(target, _inside(root, "/dev/" + name))


def _proc(root: str, user_ns: bool) -> None:
    """The mount point for the environment's own ``/proc``. In a user namespace the kernel
    mounts a new procfs only where a full one is already visible, so the host's is bound
    there first; the environment's init covers it with its own (``sandbox_init``)."""
    point = _inside(root, "/proc")
    os.makedirs(point, mode=0o555, exist_ok=True)
    if user_ns:
        _mount("/proc", point, MS_BIND | MS_REC)


def _hide(root: str, paths: list[str]) -> None:
    for path in paths:
        if os.path.isdir(_inside(root, path)):
            _mount("tmpfs", _inside(root, path), MS_RDONLY, "tmpfs", "size=4k,mode=755")


def _pivot(root: str) -> None:
    """Make ``root`` this namespace's ``/`` and drop the host's tree from it."""
    old = _inside(root, ".host")
    os.mkdir(old)
    if _libc().syscall(155 if os.uname().machine == "x86_64" else 41,  # pivot_root
                       root.encode(), old.encode()) != 0:
        raise OSError(ctypes.get_errno(), "pivot_root failed")
    os.chdir("/")
    if _libc().umount2(b"/.host", MNT_DETACH) != 0:
        raise OSError(ctypes.get_errno(), "umount of the host's root failed")
    os.rmdir("/.host")
    _mount("none", "/", MS_REMOUNT | MS_RDONLY | MS_BIND)


def build(config: dict[str, Any]) -> bool:
    """Set up this process's namespace from ``config``; return whether it owns a user ns."""
    user_ns = _unshare()
    _mount("none", "/", MS_REC | MS_PRIVATE)
    root = config["root"]
    os.makedirs(root, exist_ok=True)
    _mount("tmpfs", root, 0, "tmpfs", "size=4m,mode=755")
    _system(root)
    # /tmp first: a Python installation (a checkout's .venv) may itself live under /tmp
    os.makedirs(_inside(root, "/tmp"), exist_ok=True)
    _mount("tmpfs", _inside(root, "/tmp"), MS_NOSUID | MS_NODEV, "tmpfs",
           f"size={config['tmp_mb']}m,mode=1777")
    _layers(root, config["opt_dir"])
    _runtime(root, config["keep"])
    _bind_path(root, config["task_root"], TASK_ROOT)
    for host_dir, mount_path in config["file_systems"]:
        _bind_path(root, host_dir, mount_path, read_only=False)
    _devices(root)
    _proc(root, user_ns)
    _hide(root, config["hide"])
    _pivot(root)
    return user_ns


def join(pid: int, user_ns: bool) -> None:
    """Move this (single-threaded) process into the holder ``pid``'s namespaces; its root
    becomes the environment's."""
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
        process, self._process = self._process, None
        if process is None:
            return
        process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()


def available() -> bool:
    """Whether this machine lets the lab build sandboxes (asked once, at ``start``): a
    throwaway process tries the namespaces a holder needs."""
    probe = subprocess.run([sys.executable, "-S", "-I", __file__, "--probe"], env={},
                           capture_output=True, text=True, timeout=30)
    return probe.stdout.strip() == "ok"


def _probe() -> None:
    try:
        _unshare()
    except OSError:
        print("no")
        return
    print("ok")


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
    if sys.argv[1:] == ["--probe"]:
        _probe()
    else:
        hold()
