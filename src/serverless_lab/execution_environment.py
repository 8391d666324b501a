"""One execution environment: a persistent worker process running ``bootstrap.py``.

AWS: "Lambda invokes your function in an execution environment, which provides a secure and
isolated runtime environment ... The Init phase ... the Invoke phase ... If the Lambda
function crashes or times out during the Invoke phase, Lambda ... resets the execution
environment." https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html

The emulator's equivalent: a cold start spawns the worker and imports the handler (reported
as Init Duration); a warm start reuses it, module globals and ``/tmp`` included. A timeout,
a crash or too much memory kills the worker; the directory behind its ``/tmp`` stays, as
AWS keeps ``/tmp`` across a reset.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .sandbox import PYTHON_LAYER_PATHS, TASK_ROOT, Holder

BOOTSTRAP = str(Path(__file__).with_name("bootstrap.py"))
TICK_SECONDS = 0.005
INIT_LIMIT_SECONDS = 10.0
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
        self._output_path = workdir / "output.log"
        self._env = env
        self._holder = Holder({
            "tmp_mb": spec.ephemeral_mb, "opt_dir": spec.opt_dir, "hide": hide,
            "task_root": spec.code_dir,
            "file_systems": [list(fs) for fs in spec.file_systems],
            "keep": sorted({os.path.realpath(p) for p in (
                sys.prefix, sys.base_prefix, BOOTSTRAP, spec.code_dir, spec.opt_dir,
                *(host for host, _ in spec.file_systems))})})
        self._process: subprocess.Popen[bytes] | None = None
        self._requests: Any = None
        self._replies = -1
        self._buffer = b""
        self._output_offset = 0
        self.tmp_mode = "none"
        self.busy = False
        self.last_used = 0.0
        self.log_target: Any = None  # logs.LogTarget of this environment's stream
        self.reaper: Any = None  # the clock timer that shuts it down when idle

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def invoke(self, request: dict[str, Any]) -> Outcome:
        """Run one invocation (starting the worker first if this is a cold start)."""
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
        """Shut the environment down: the worker, then the sandbox and its /tmp."""
        self.kill()
        self._holder.close()

    def kill(self) -> None:
        """Stop the worker (a reset); the sandbox, and so /tmp, stays."""
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        try:
            self._requests.close()
        except BrokenPipeError:
            pass
        os.close(self._replies)
        self._process = None

    def _sandbox(self) -> dict[str, Any] | None:
        if self.tmp_mode == "tmpdir":
            return None
        if not self._holder.alive:
            return None
        return self._holder.info or self._holder.wait()

    def _task_root(self, sandbox: dict[str, Any] | None) -> str:
        return TASK_ROOT if sandbox is not None else self.spec.code_dir

    def _paths(self, sandbox: dict[str, Any] | None) -> list[str]:
        if sandbox is not None:
            return [TASK_ROOT, *PYTHON_LAYER_PATHS]
        opt = self.spec.opt_dir
        return [self.spec.code_dir, *(opt + path[len("/opt"):] for path in PYTHON_LAYER_PATHS)]

    def _start(self, request_id: str) -> Outcome | None:
        if self.tmp_mode != "tmpdir" and not self._holder.alive:
            self._holder.spawn()
        read_req, write_req = os.pipe()
        read_rep, write_rep = os.pipe()
        output = open(self._output_path, "ab")
        self._output_offset = output.tell()
        self._process = subprocess.Popen(
            [sys.executable, "-s", BOOTSTRAP, str(read_req), str(write_rep)],
            pass_fds=(read_req, write_rep), env=self._env, cwd=self.spec.code_dir,
            stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,  # see sandbox.SESSION_NOTE
        )
        output.close()
        os.close(read_req)
        os.close(write_rep)
        self._requests = os.fdopen(write_req, "w")
        self._replies = read_rep
        self._buffer = b""
        sandbox = self._sandbox()
        self.tmp_mode = "namespace" if sandbox else "tmpdir"
        self._send({"handler": self.spec.handler, "task_root": self._task_root(sandbox),
                    "tmp_dir": str(self.tmp_dir), "sandbox": sandbox,
                    "path": self._paths(sandbox)})
        deadline = time.monotonic() + max(INIT_LIMIT_SECONDS, self.spec.timeout_s)
        ready = self._receive(deadline, request_id)
        if isinstance(ready, Outcome):
            return ready
        if ready["error"] is not None:
            self.kill()
            return Outcome(json.dumps(ready["error"]).encode(), "Unhandled",
                           output=self._read_output(), max_memory_mb=self._peak_mb(),
                           log_suffix=[error_log_entry(ready["error"])])
        return None

    def _run(self, request: dict[str, Any]) -> Outcome:
        started = time.perf_counter()
        self._send(request)
        deadline = time.monotonic() + self.spec.timeout_s
        reply = self._receive(deadline, request["request_id"])
        duration = (time.perf_counter() - started) * 1000
        if isinstance(reply, Outcome):
            reply.duration_ms = duration
            return reply
        peak = self._peak_mb()
        output = self._read_output()
        if "error" in reply:
            return Outcome(json.dumps(reply["error"]).encode(), "Unhandled", duration,
                           max_memory_mb=peak, output=output,
                           log_suffix=[error_log_entry(reply["error"])])
        return Outcome(reply["result"].encode(), None, duration, max_memory_mb=peak,
                       output=output)

    def _send(self, message: dict[str, Any]) -> None:
        try:
            self._requests.write(json.dumps(message) + "\n")
            self._requests.flush()
        except BrokenPipeError:
            pass  # the worker died; _receive reports how

    def _receive(self, deadline: float, request_id: str) -> dict[str, Any] | Outcome:
        while b"\n" not in self._buffer:
            failure = self._check_limits(deadline, request_id)
            if failure is not None:
                return failure
            readable, _, _ = select.select([self._replies], [], [], TICK_SECONDS)
            if readable:
                chunk = os.read(self._replies, 1 << 20)
                if not chunk:
                    return self._exited(request_id)
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def _check_limits(self, deadline: float, request_id: str) -> Outcome | None:
        if time.monotonic() >= deadline:
            peak = self._peak_mb()
            self.kill()
            seconds = f"{self.spec.timeout_s:.2f}"
            message = f"RequestId: {request_id} Error: Task timed out after {seconds} seconds"
            payload = {"errorType": "Sandbox.Timedout", "errorMessage": message}
            return Outcome(json.dumps(payload).encode(), "Unhandled", max_memory_mb=peak,
                           output=self._read_output(),
                           log_suffix=[f"{request_id} Task timed out after {seconds} seconds"])
        if self._resident_mb() > self.spec.memory_mb:
            self.kill()
            message = f"RequestId: {request_id} Error: Runtime exited with error: signal: killed"
            payload = {"errorType": "Runtime.OutOfMemory", "errorMessage": message}
            return Outcome(json.dumps(payload).encode(), "Unhandled",
                           max_memory_mb=self.spec.memory_mb, output=self._read_output(),
                           log_suffix=[message])
        return None

    def _exited(self, request_id: str) -> Outcome:
        assert self._process is not None
        code = self._process.wait()
        output = self._read_output()
        self.kill()
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

    def _status_kb(self, key: str) -> int:
        if self._process is None:
            return 0
        try:
            with open(f"/proc/{self._process.pid}/status") as status:
                for line in status:
                    if line.startswith(key):
                        return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return 0

    def _resident_mb(self) -> float:
        return self._status_kb("VmRSS:") / 1024

    def _peak_mb(self) -> int:
        return max(1, round(self._status_kb("VmHWM:") / 1024))

    def _read_output(self) -> str:
        try:
            with open(self._output_path, "rb") as output:
                output.seek(self._output_offset)
                data = output.read()
        except OSError:
            return ""
        self._output_offset += len(data)
        return data.decode("utf-8", "replace")
