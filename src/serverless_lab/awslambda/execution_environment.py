"""One execution environment: a persistent worker process running ``bootstrap.py``.

AWS: "Lambda invokes your function in an execution environment, which provides a secure and
isolated runtime environment ... The Init phase ... the Invoke phase ... If the Lambda
function crashes or times out during the Invoke phase, Lambda ... resets the execution
environment." https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html

The emulator's equivalent: a cold start spawns the worker and imports the handler (reported
as Init Duration); a warm start reuses it, module globals and ``/tmp`` included. A timeout,
a crash or too much memory kills every process of the environment (``sandbox_init.py``);
its ``/tmp`` stays, as AWS keeps ``/tmp`` across a reset. The worker's output is read while
it runs and capped (``function_output.py``); memory is that of the whole environment
(``environment_memory.py``). ``close`` may come from another thread while an invocation
runs (``lab.stop``, ``lab.reset``): that invocation ends as a killed runtime.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from serverless_lab.awslambda.environment_memory import Memory
from serverless_lab.awslambda.function_output import FunctionOutput
from serverless_lab.awslambda.sandbox import PYTHON_LAYER_PATHS, TASK_ROOT, Holder

BOOTSTRAP = str(Path(__file__).with_name("bootstrap.py"))
TICK_SECONDS = 0.005
INIT_LIMIT_SECONDS = 10.0
TMP_CHECK_SECONDS = 0.1  # how often a /tmp without a tmpfs is measured
GRACE_SECONDS = 1.0  # the environment's own init enforces the deadline this much later
SIGNAL_NAMES = {signal.SIGKILL: "killed", signal.SIGSEGV: "segmentation fault",
                signal.SIGABRT: "aborted", signal.SIGTERM: "terminated"}


@dataclass(frozen=True)
class FunctionSpec:
    """What an environment runs: a snapshot of one function version's configuration."""

    function_name: str
    version: str
    handler: str
    runtime: str
    memory_mb: int
    timeout_s: float
    code_dir: str
    opt_dir: str  # the function's layers, merged in order, mounted read-only at /opt
    environment: tuple[tuple[str, str], ...]
    role: str
    revision: str
    ephemeral_mb: int = 512
    file_systems: tuple[tuple[str, str], ...] = ()  # (host directory, LocalMountPath)


@dataclass
class Outcome:
    """What one invocation produced, before it is turned into an Invoke response."""

    payload: bytes
    function_error: str | None = None
    duration_ms: float = 0.0
    init_ms: float | None = None
    max_memory_mb: int = 0
    output: str = ""
    log_suffix: list[str] = field(default_factory=list)


def error_log_entry(error: dict[str, Any]) -> str:
    """The ``[ERROR]`` entry the Python runtime logs for an unhandled error: one log event
    whose lines are separated by carriage returns, as awslambdaric's text log sink writes it
    (``log_error`` in awslambdaric/bootstrap.py)."""
    lines = [f"[ERROR] {error['errorType']}: {error['errorMessage']}"]
    trace = error.get("stackTrace") or []
    if trace:
        lines.append("Traceback (most recent call last):")
        lines.extend(line for element in trace for line in element.splitlines())
    return "\r".join(lines)


class ExecutionEnvironment:
    """A worker process for one function version, inside its sandbox (``sandbox.py``)."""

    def __init__(self, spec: FunctionSpec, workdir: Path, env: dict[str, str],
                 hide: list[str]) -> None:
        self.spec = spec
        self.workdir = workdir
        self.tmp_dir = workdir / "tmp"
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        self._env = env
        self._holder = Holder({
            "root": str(workdir / "root"), "tmp_mb": spec.ephemeral_mb, "hide": hide,
            "opt_dir": spec.opt_dir, "task_root": spec.code_dir,
            "file_systems": [list(fs) for fs in spec.file_systems], "keep": runtime_paths()})
        self._lock = threading.RLock()
        self._process: subprocess.Popen[bytes] | None = None
        self._requests: Any = None
        self._replies = self._control = -1
        self._output: FunctionOutput | None = None
        self._buffer = b""
        self._memory = Memory(spec.memory_mb)
        self._closed = self._in_flight = False
        self._tmp_checked = 0.0
        self.tmp_mode = "none"
        self.group_missing = False
        self.busy = False
        self.last_used = 0.0
        self.log_target: Any = None  # logs.LogTarget of this environment's stream
        self.reaper: Any = None  # the clock timer that shuts it down when idle

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def invoke(self, request: dict[str, Any]) -> Outcome:
        """Run one invocation (starting the worker first if this is a cold start)."""
        with self._lock:
            if self._closed:
                return interrupted(request["request_id"])
            self._in_flight = True
        try:
            return self._invoke(request)
        finally:
            with self._lock:
                self._in_flight = False
                if self._closed:
                    self._release()

    def _invoke(self, request: dict[str, Any]) -> Outcome:
        init_ms = None
        if not self.alive:
            started = time.perf_counter()
            failure = self._start(request["request_id"])
            init_ms = (time.perf_counter() - started) * 1000
            if failure is not None:
                failure.init_ms = init_ms
                return failure
        outcome = self._run(request)
        outcome.init_ms = init_ms
        return outcome

    def close(self) -> None:
        """Shut the environment down: every process, then the sandbox and its /tmp. Safe
        from any thread; an invocation in flight ends as interrupted."""
        with self._lock:
            self._closed = True
            self._terminate()
            if not self._in_flight:
                self._release()
            self._holder.close()

    def kill(self) -> None:
        """Stop every process of the environment (a reset); the sandbox, and so /tmp, stays."""
        with self._lock:
            self._terminate()
            self._release()

    def _terminate(self) -> None:
        """Kill the environment's processes; its pipes stay open for whoever reads them."""
        if self._process is not None and self._process.poll() is None:
            try:
                os.killpg(self._process.pid, signal.SIGKILL)  # launcher, and init with it
            except ProcessLookupError:
                pass

    def _release(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.wait()
        for fd in (self._replies, self._control):
            _close(fd)
        self._replies = self._control = -1
        try:
            self._requests.close()
        except OSError:
            pass
        if self._output is not None:
            self._output.close()
        self._memory.detach()

    def _sandbox(self) -> dict[str, Any] | None:
        if self.tmp_mode == "tmpdir" or not self._holder.alive:
            return None
        return self._holder.info or self._holder.wait()

    def _task_root(self, sandbox: dict[str, Any] | None) -> str:
        return TASK_ROOT if sandbox is not None else self.spec.code_dir

    def _paths(self, sandbox: dict[str, Any] | None) -> list[str]:
        if sandbox is not None:
            return [TASK_ROOT, *PYTHON_LAYER_PATHS]
        opt = self.spec.opt_dir
        return [self.spec.code_dir, *(opt + path[len("/opt"):] for path in PYTHON_LAYER_PATHS)]

    def _spawn(self) -> None:
        """Start the worker (the launcher, in a sandbox) with its four pipes."""
        if self.tmp_mode != "tmpdir" and not self._holder.alive:
            self._holder.spawn()
        read_req, write_req = os.pipe()
        read_rep, write_rep = os.pipe()
        read_ctl, write_ctl = os.pipe()
        read_out, write_out = os.pipe()
        self._process = subprocess.Popen(
            [sys.executable, "-s", BOOTSTRAP, str(read_req), str(write_rep), str(read_ctl)],
            pass_fds=(read_req, write_rep, read_ctl), env=self._env, cwd=self.spec.code_dir,
            stdin=subprocess.DEVNULL, stdout=write_out, stderr=write_out,
            start_new_session=True,  # see sandbox.SESSION_NOTE
        )
        for fd in (read_req, write_rep, read_ctl, write_out):
            os.close(fd)
        self._requests = os.fdopen(write_req, "w")
        self._replies, self._control = read_rep, write_ctl
        self._output = FunctionOutput(read_out)
        self._buffer = b""

    def _start(self, request_id: str) -> Outcome | None:
        with self._lock:
            if self._closed:
                return interrupted(request_id)
            self._spawn()
        sandbox = self._sandbox()
        if self._closed:
            return interrupted(request_id)
        self.tmp_mode = "namespace" if sandbox else "tmpdir"
        if sandbox is not None:
            sandbox = dict(sandbox, cgroup_procs=self._memory.attach(self.workdir.name))
            self.group_missing = not sandbox["cgroup_procs"]
        limit = max(INIT_LIMIT_SECONDS, self.spec.timeout_s)
        self._deadline(limit)
        self._send({"handler": self.spec.handler, "task_root": self._task_root(sandbox),
                    "tmp_dir": str(self.tmp_dir), "tmp_mb": self.spec.ephemeral_mb,
                    "sandbox": sandbox, "path": self._paths(sandbox)})
        ready = self._receive(time.monotonic() + limit, request_id)
        if not isinstance(ready, Outcome) and "init" in ready and self._process is not None:
            self._memory.watch(self._process.pid)  # the launcher: its root is the sandbox's
            ready = self._receive(time.monotonic() + limit, request_id)
        return self._started(ready)

    def _started(self, ready: dict[str, Any] | Outcome) -> Outcome | None:
        if isinstance(ready, Outcome):
            return ready
        self._deadline(None)
        if ready["error"] is not None:
            peak, output = self._memory.peak_mb(), self._take_output()
            self.kill()
            return Outcome(json.dumps(ready["error"]).encode(), "Unhandled", output=output,
                           max_memory_mb=peak, log_suffix=[error_log_entry(ready["error"])])
        return None

    def _run(self, request: dict[str, Any]) -> Outcome:
        started = time.perf_counter()
        self._deadline(self.spec.timeout_s)
        self._send(request)
        deadline = time.monotonic() + self.spec.timeout_s
        reply = self._receive(deadline, request["request_id"])
        duration = (time.perf_counter() - started) * 1000
        if isinstance(reply, Outcome):
            reply.duration_ms = duration
            return reply
        self._deadline(None)
        peak = self._memory.peak_mb()
        output = self._take_output()
        if "error" in reply:
            return Outcome(json.dumps(reply["error"]).encode(), "Unhandled", duration,
                           max_memory_mb=peak, output=output,
                           log_suffix=[error_log_entry(reply["error"])])
        return Outcome(reply["result"].encode(), None, duration, max_memory_mb=peak,
                       output=output)

    def _deadline(self, seconds: float | None) -> None:
        """Tell the environment's init when to end everything if the lab does not."""
        line = b"-\n" if seconds is None else b"%.3f\n" % (seconds + GRACE_SECONDS)
        try:
            os.write(self._control, line)
        except OSError:
            pass  # no init (no sandbox), or it has gone: _receive reports how

    def _send(self, message: dict[str, Any]) -> None:
        try:
            self._requests.write(json.dumps(message) + "\n")
            self._requests.flush()
        except (BrokenPipeError, ValueError):
            pass  # the worker died; _receive reports how

    def _receive(self, deadline: float, request_id: str) -> dict[str, Any] | Outcome:
        while b"\n" not in self._buffer:
            failure = self._check_limits(deadline, request_id)
            if failure is not None:
                return failure
            assert self._output is not None
            watched = [self._replies] + ([] if self._output.closed else [self._output.fd])
            readable, _, _ = select.select(watched, [], [], TICK_SECONDS)
            self._output.read_available()
            if self._replies in readable:
                chunk = os.read(self._replies, 1 << 20)
                if not chunk:
                    return self._exited(request_id)
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def _check_limits(self, deadline: float, request_id: str) -> Outcome | None:
        if time.monotonic() >= deadline:
            peak, output = self._memory.peak_mb(), self._take_output()
            self.kill()
            seconds = f"{self.spec.timeout_s:.2f}"
            message = f"RequestId: {request_id} Error: Task timed out after {seconds} seconds"
            payload = {"errorType": "Sandbox.Timedout", "errorMessage": message}
            return Outcome(json.dumps(payload).encode(), "Unhandled", max_memory_mb=peak,
                           output=output,
                           log_suffix=[f"{request_id} Task timed out after {seconds} seconds"])
        if self._memory.exceeded(self._process):
            output = self._take_output()
            self.kill()
            message = f"RequestId: {request_id} Error: Runtime exited with error: signal: killed"
            payload = {"errorType": "Runtime.OutOfMemory", "errorMessage": message}
            return Outcome(json.dumps(payload).encode(), "Unhandled",
                           max_memory_mb=self.spec.memory_mb, output=output,
                           log_suffix=[message])
        return self._tmp_full(request_id)

    def _tmp_full(self, request_id: str) -> Outcome | None:
        """Without a tmpfs, /tmp is a directory on the disk: stop an environment whose
        files outgrow its ephemeral storage (each file is capped by RLIMIT_FSIZE too)."""
        if self.tmp_mode != "tmpdir" or time.monotonic() < self._tmp_checked + TMP_CHECK_SECONDS:
            return None
        self._tmp_checked = time.monotonic()
        if not _over(self.tmp_dir, self.spec.ephemeral_mb):
            return None
        output = self._take_output()
        self.kill()
        message = (f"RequestId: {request_id} Error: Runtime exited with error: /tmp is over "
                   f"{self.spec.ephemeral_mb} MB of ephemeral storage")
        return Outcome(json.dumps({"errorType": "Runtime.ExitError", "errorMessage": message}
                                  ).encode(), "Unhandled", output=output, log_suffix=[message])

    def _exited(self, request_id: str) -> Outcome:
        assert self._process is not None
        code = self._process.wait()
        output = self._take_output()
        self.kill()
        if self._closed:
            return interrupted(request_id, output)
        if code == 0:
            reason = "Runtime exited without providing a reason"
        elif code < 0:
            name = SIGNAL_NAMES.get(signal.Signals(-code), signal.Signals(-code).name.lower())
            reason = f"Runtime exited with error: signal: {name}"
        else:
            reason = f"Runtime exited with error: exit status {code}"
        message = f"RequestId: {request_id} Error: {reason}"
        payload = {"errorType": "Runtime.ExitError", "errorMessage": message}
        return Outcome(json.dumps(payload).encode(), "Unhandled", output=output,
                       log_suffix=[message])

    def _take_output(self) -> str:
        return self._output.take() if self._output is not None else ""


def interrupted(request_id: str, output: str = "") -> Outcome:
    """An invocation whose environment was shut down under it (the lab stopped or reset):
    what AWS reports for a runtime that was killed."""
    message = f"RequestId: {request_id} Error: Runtime exited with error: signal: killed"
    payload = {"errorType": "Runtime.ExitError", "errorMessage": message}
    return Outcome(json.dumps(payload).encode(), "Unhandled", output=output,
                   log_suffix=[message])


def runtime_paths() -> list[str]:
    """What a worker needs of the host inside its sandbox: the Python installation and the
    bootstrap's own directory (nothing of the user's files)."""
    return sorted({os.path.realpath(p) for p in (
        sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(BOOTSTRAP))})


def _over(directory: Path, megabytes: int) -> bool:
    total = 0
    for folder, _, files in os.walk(directory):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                continue
    return total > megabytes * 1024 * 1024


def _close(fd: int) -> None:
    if fd >= 0:
        try:
            os.close(fd)
        except OSError:
            pass
