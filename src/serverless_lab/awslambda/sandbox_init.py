"""The processes of one execution environment: launcher, init, and the function's worker.

AWS runs each execution environment in its own micro virtual machine: the function sees
its own processes only, runs as an unprivileged user (reported as ``sbx_user1051``, uid
993; AWS's pages do not name it), may start up to 1,024 processes and threads, and
everything it started ends when the environment is reset or shut down ("Lambda ... resets the execution environment" after a timeout).
https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
https://docs.aws.amazon.com/whitepapers/latest/security-overview-aws-lambda/lambda-isolation-technologies.html

The emulator's equivalent, on Linux (``bootstrap.py`` calls ``enter``):

1. the *launcher* (the process the runtime started) joins the environment's control groups
   and the holder's namespaces (``sandbox.join``: the read-only root of ``sandbox.py``), and
   creates a new PID namespace;
2. its child, the environment's *init* (PID 1 there), mounts ``/proc`` for that namespace and
   watches: when the lab's control pipe closes (the lab died), when an invocation outlives its
   deadline, or when the worker ends, init exits, and the kernel then kills every process of
   the namespace, ``setsid`` daemons and fork bombs included;
3. init's child, the *worker*, gives up every privilege (uid 993, no capabilities,
   ``no_new_privs``) and runs the handler (back in ``bootstrap.main``).

The launcher waits for init and exits as the worker did, so the runtime reads the worker's
exit status or signal from its own child, as before. Standard library only.
"""

from __future__ import annotations

import ctypes
import os
import resource
import select
import signal
import time
from typing import Any

try:
    from .sandbox import FUNCTION_UID, MNT_DETACH, MS_NODEV, MS_NOEXEC, MS_NOSUID, join
except ImportError:  # loaded by path inside the worker (bootstrap.py), not as a package
    from _serverless_lab_sandbox import (  # type: ignore[no-redef]
        FUNCTION_UID,
        MNT_DETACH,
        MS_NODEV,
        MS_NOEXEC,
        MS_NOSUID,
        join,
    )

CLONE_NEWPID = 0x20000000
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 4, 24, 38
PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
LAST_CAPABILITY = 63
CAPABILITY_VERSION_3 = 0x20080522
PROCESS_LIMIT = 1024


def _libc() -> Any:
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        raise OSError(ctypes.get_errno(), what)


def enter(sandbox: dict[str, Any], control_fd: int, requests_fd: int, replies_fd: int) -> None:
    """Become the environment's worker; the launcher and init never return from here."""
    for procs in sandbox.get("cgroup_procs", ()):
        with open(procs, "w") as group:
            group.write("0")
    join(sandbox["pid"], sandbox["user_ns"])
    _check(_libc().unshare(CLONE_NEWPID), "unshare of a PID namespace failed")
    status_r, status_w = os.pipe()
    go_r, go_w = os.pipe()
    init = os.fork()
    if init == 0:
        os.close(status_r)
        os.close(go_w)
        _init(sandbox, control_fd, status_w, go_r, (requests_fd, replies_fd))
        return
    os.close(status_w)
    os.close(go_r)
    os.close(control_fd)
    # Once init's /proc is mounted (its first byte), the lab may measure the environment
    # through it; the worker starts only after the lab has heard of init (the go byte).
    if os.read(status_r, 1) == b"m":
        os.write(replies_fd, b'{"init": %d}\n' % init)
    os.write(go_w, b"g")
    os.close(go_w)
    _detach((requests_fd, replies_fd))
    _launcher(init, status_r)


def _detach(fds: tuple[int, ...]) -> None:
    """Let go of the worker's pipes, so the lab reads EOF as soon as the worker is gone."""
    for fd in fds:
        os.close(fd)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)


def _launcher(init: int, status_r: int) -> None:
    """Wait for init, then end as the worker ended (exit status, or the same signal)."""
    _, raw = os.waitpid(init, 0)
    reported = os.read(status_r, 32).strip()
    status = int(reported) if reported else raw
    if os.WIFSIGNALED(status):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if os.WTERMSIG(status) != signal.SIGKILL:
            signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
        os.kill(os.getpid(), os.WTERMSIG(status))
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


def _mount_proc(user_ns: bool) -> None:
    """This PID namespace's own ``/proc``. As root, earlier workers' are unmounted first; in
    a user namespace the host's, bound beneath for the kernel's visibility check, must stay
    (it is covered, and the worker has no capability to uncover it)."""
    libc = _libc()
    while not user_ns and libc.umount2(b"/proc", MNT_DETACH) == 0:
        pass
    _check(libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None),
           "mount of /proc failed")


def _init(sandbox: dict[str, Any], control_fd: int, status_w: int, go_r: int,
          worker_fds: tuple[int, int]) -> None:
    libc = _libc()
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)  # the worker may not ptrace its init
    _mount_proc(sandbox["user_ns"])
    os.write(status_w, b"m")
    os.read(go_r, 1)
    os.close(go_r)
    worker = os.fork()
    if worker == 0:
        os.close(control_fd)
        os.close(status_w)
        _drop_privileges(sandbox)
        return
    _detach(worker_fds)
    _watch(worker, control_fd, status_w)


def _watch(worker: int, control: int, status_w: int) -> None:
    """Init's loop: reap orphans; end the namespace when the lab goes away, when an
    invocation outlives its deadline (the lab's deadline plus a grace), or with the worker."""
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    deadline: float | None = None
    pending = b""
    while True:
        _reap(worker, status_w)
        timeout = None if deadline is None else deadline - time.monotonic()
        if timeout is not None and timeout <= 0:
            os._exit(1)
        ready, _, _ = select.select([control, wake_r], [], [], timeout)
        if wake_r in ready:
            os.read(wake_r, 4096)
        if control in ready:
            chunk = os.read(control, 4096)
            if not chunk:
                os._exit(1)  # the lab is gone: so is everything it started
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                deadline = None if line == b"-" else time.monotonic() + float(line)


def _reap(worker: int, status_w: int) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            os._exit(1)
        if pid == 0:
            return
        if pid == worker:
            os.write(status_w, b"%d\n" % status)
            os._exit(0)


def _drop_privileges(sandbox: dict[str, Any]) -> None:
    """The function's user: uid 993, no capabilities, no way to gain any, 1,024 tasks."""
    libc = _libc()
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    for capability in range(LAST_CAPABILITY + 1):
        libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)
    libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    if not sandbox["user_ns"]:
        os.setgroups([])
        os.setresgid(FUNCTION_UID, FUNCTION_UID, FUNCTION_UID)
        os.setresuid(FUNCTION_UID, FUNCTION_UID, FUNCTION_UID)
    header = (ctypes.c_uint32 * 2)(CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    _check(libc.capset(header, data), "capset failed")
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs failed")
    if not sandbox.get("cgroup_procs"):
        resource.setrlimit(resource.RLIMIT_NPROC, (PROCESS_LIMIT, PROCESS_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
