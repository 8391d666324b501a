"""The Lambda runtime: execution environments per function version, reused when warm.

AWS: "When a function is invoked ... Lambda creates a new execution environment" if no idle
one exists (a cold start); "After the function and all extensions have completed, Lambda
maintains the execution environment for some time in anticipation of another function
invocation"; concurrent invocations each get their own environment.
https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html

Idle environments are shut down after ``RuntimeSettings.idle_seconds`` of virtual time.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from serverless_lab.awslambda import cgroups, logs, sandbox
from serverless_lab.awslambda.concurrency import Concurrency
from serverless_lab.awslambda.efs import FileSystems
from serverless_lab.awslambda.execution_environment import (
    ExecutionEnvironment,
    FunctionSpec,
    Outcome,
)
from serverless_lab.awslambda.execution_role import credentials_for
from serverless_lab.awslambda.layers import merge_layers
from serverless_lab.awslambda.sandbox import PYTHON_LAYER_PATHS
from serverless_lab.clock import VirtualClock
from serverless_lab.deployment_package import extract

PYTHON_RUNTIME_PREFIX = "python3."
TMPDIR_NOTICE = (
    "serverless_lab: this machine allows no private namespaces, so execution environments "
    "are NOT contained. Not protected: a handler runs as you, can read your files (~/.aws "
    "included) and write anywhere you can (/opt, your home, the project); it sees every "
    "process on the machine (/proc); the literal path /tmp is the host's (each environment "
    "gets its own TMPDIR, tempfile.gettempdir(), instead); processes it starts that leave "
    "their process group (setsid) outlive a timeout and the lab; memory is measured for the "
    "main process only, and there is no process limit. Still capped: each /tmp file and the "
    "environment's TMPDIR at EphemeralStorage, and the output kept per invocation. Run the "
    "labs on Linux with user namespaces (or as root) to get the sandbox.")
GROUP_NOTICE = (
    "serverless_lab: this machine allows the lab no control groups, so the 1,024-process "
    "limit is counted per user (RLIMIT_NPROC: shared by all environments) and an "
    "environment's memory is the sum of its processes' (a forked child's shared pages count "
    "twice).")


@dataclass
class RuntimeSettings:
    """Knobs of the emulated runtime, with AWS-like defaults."""

    idle_seconds: float = 600.0
    endpoint_url: str = ""
    region: str = "us-east-1"


@dataclass
class Invocation:
    """One request to run a function version, as the Invoke API and triggers make it."""

    request_id: str
    event: str
    invoked_function_arn: str


def lambda_environment(spec: FunctionSpec, settings: RuntimeSettings, log_stream: str,
                       code_dir: str) -> dict[str, str]:
    """The worker's whole environment: the function's variables, the Lambda-defined ones,
    and the execution role's credentials; nothing from the user's own environment.
    https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
    """
    env = dict(spec.environment)
    env.update({
        "_HANDLER": spec.handler,
        "AWS_REGION": settings.region,
        "AWS_DEFAULT_REGION": settings.region,
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{spec.runtime}",
        "AWS_LAMBDA_FUNCTION_NAME": spec.function_name,
        "AWS_LAMBDA_FUNCTION_VERSION": spec.version,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_mb),
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{spec.function_name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": log_stream,
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "LAMBDA_TASK_ROOT": code_dir,
        "LAMBDA_RUNTIME_DIR": "/var/runtime",
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "PYTHONPATH": os.pathsep.join([code_dir, *PYTHON_LAYER_PATHS]),
        "AWS_ENDPOINT_URL": settings.endpoint_url,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    })
    env.update(credentials_for(spec.role))
    return env


class Runtime:
    """Runs invocations in execution environments kept per function version."""

    def __init__(self, clock: VirtualClock, root: Path, settings: RuntimeSettings) -> None:
        self.clock = clock
        self.root = root
        self.settings = settings
        self._pools: dict[str, list[ExecutionEnvironment]] = {}
        self._code_dirs: dict[str, str] = {}
        self.concurrency = Concurrency()
        self.efs = FileSystems(root / "efs")
        self._lock = threading.Lock()
        self._count = 0
        self.tmp_modes: set[str] = set()
        self._group_noted = False

    def invoke(self, spec: FunctionSpec, invocation: Invocation, account_id: str) -> Outcome:
        """Run ``invocation`` warm if an idle environment exists, cold otherwise."""
        environment = self._acquire(spec, account_id)
        cold = not environment.alive
        try:
            outcome = environment.invoke(self._request(spec, invocation))
        finally:
            self._release(environment)
        self._note_tmp_mode(environment.tmp_mode)
        if environment.group_missing and not self._group_noted:
            self._group_noted = True
            warnings.warn(GROUP_NOTICE, RuntimeWarning, stacklevel=2)
        lines = logs.invocation_lines(invocation.request_id, spec.version, outcome,
                                      spec.memory_mb, spec.runtime if cold else None)
        logs.write(environment.log_target, lines, self.clock.now_ms())
        outcome.log_suffix = lines
        return outcome

    def environments(self, function_name: str) -> list[ExecutionEnvironment]:
        """The live environments of every version of ``function_name`` (for labs/tests)."""
        with self._lock:
            return [e for key, pool in self._pools.items()
                    if key.split("\0")[0] == function_name for e in pool if e.alive]

    def reap_idle(self) -> int:
        """Shut down environments idle for longer than ``idle_seconds`` of virtual time."""
        cutoff = self.clock.now() - self.settings.idle_seconds
        with self._lock:
            stale = [e for pool in self._pools.values() for e in pool
                     if not e.busy and e.last_used <= cutoff]
            for environment in stale:
                self._discard(environment)
        for environment in stale:
            environment.close()
        return len(stale)

    def shutdown(self) -> None:
        """Kill every environment and remove their directories (``reset``/``stop``)."""
        with self._lock:
            everything = [e for pool in self._pools.values() for e in pool]
            self._pools.clear()
            self._code_dirs.clear()
        for environment in everything:
            environment.close()
        cgroups.sweep(wait_seconds=2.0)
        cgroups.remove_all()
        shutil.rmtree(self.root / "environments", ignore_errors=True)
        self.efs.clear()

    def opt_dir(self, layers: tuple[tuple[str, bytes], ...]) -> str:
        """/opt for this list of layers: each extracted in order, read-only."""
        key = "opt:" + ",".join(digest for digest, _ in layers)
        with self._lock:
            known = self._code_dirs.get(key)
            if known is None:
                known = self._code_dirs[key] = str(merge_layers(layers, self.root / "opt"))
            return known

    def file_systems(self, configs: list[dict[str, str]]) -> tuple[tuple[str, str], ...]:
        """(host directory, LocalMountPath) for a function's ``FileSystemConfigs``."""
        return tuple((str(self.efs.directory(c["Arn"])), c["LocalMountPath"]) for c in configs)

    def code_dir(self, code: bytes, kind: str, digest: str) -> str:
        """Where ``code`` is unpacked, extracting it the first time ``digest`` is seen."""
        key = f"{kind}:{digest or hashlib.sha256(code).hexdigest()}"
        with self._lock:
            known = self._code_dirs.get(key)
            if known is None:
                known = self._code_dirs[key] = str(extract(code, self.root / kind))
            return known

    def check_sandbox(self) -> None:
        """Say at start, once, when this machine allows no sandbox (and what that means)."""
        cgroups.remove_stale()
        if not self.tmp_modes and not sandbox.available():
            self._note_tmp_mode("tmpdir")

    def _note_tmp_mode(self, mode: str) -> None:
        if mode == "none" or mode in self.tmp_modes:
            return
        self.tmp_modes.add(mode)
        if mode == "tmpdir":
            warnings.warn(TMPDIR_NOTICE, RuntimeWarning, stacklevel=2)

    def _request(self, spec: FunctionSpec, invocation: Invocation) -> dict[str, Any]:
        # The handler's deadline is wall-clock time: the function runs in real time.
        deadline_ms = int(time.time() * 1000 + spec.timeout_s * 1000)
        return {"request_id": invocation.request_id, "event": invocation.event,
                "invoked_function_arn": invocation.invoked_function_arn,
                "deadline_ms": deadline_ms}

    def _acquire(self, spec: FunctionSpec, account_id: str) -> ExecutionEnvironment:
        key = f"{spec.function_name}\0{spec.version}"
        with self._lock:
            pool = self._pools.setdefault(key, [])
            for stale in [e for e in pool if e.spec != spec and not e.busy]:
                self._discard(stale)
                stale.close()
            for environment in pool:
                if not environment.busy and environment.spec == spec:
                    environment.busy = True
                    return environment
            environment = self._create(spec, account_id)
            pool.append(environment)
            environment.busy = True
            return environment

    def _create(self, spec: FunctionSpec, account_id: str) -> ExecutionEnvironment:
        self._count += 1
        stream = logs.stream_name(spec.version, self.clock.now())
        workdir = self.root / "environments" / f"env-{self._count:05d}"
        env = lambda_environment(spec, self.settings, stream, spec.code_dir)
        hide = [os.path.expanduser("~/.aws")]
        environment = ExecutionEnvironment(spec, workdir, env, hide)
        environment.log_target = logs.LogTarget(
            account_id, self.settings.region, f"/aws/lambda/{spec.function_name}", stream)
        return environment

    def _release(self, environment: ExecutionEnvironment) -> None:
        with self._lock:
            environment.busy = False
            environment.last_used = self.clock.now()
            if environment.reaper is not None:
                environment.reaper.cancel()
            environment.reaper = self.clock.call_later(
                self.settings.idle_seconds + 0.001, self.reap_idle)

    def _discard(self, environment: ExecutionEnvironment) -> None:
        for pool in self._pools.values():
            if environment in pool:
                pool.remove(environment)
        if environment.reaper is not None:
            environment.reaper.cancel()
            environment.reaper = None
