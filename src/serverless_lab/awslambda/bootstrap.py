"""The runtime inside one execution environment: the emulator's ``bootstrap``.

On AWS, a Python function runs under the runtime interface client (``awslambdaric``): it
imports the handler module once (the Init phase), then calls ``handler(event, context)``
for each invocation the environment receives (the Invoke phase), keeping module globals
and ``/tmp`` between invocations.
https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html

This file runs as its own process, started by ``execution_environment.py``. It imports only
the standard library (so a cold start costs an interpreter plus the handler's own imports)
and talks to the emulator over two pipes, one JSON document per line. Error payloads follow
the runtime interface client: ``Runtime.ImportModuleError``, ``Runtime.HandlerNotFound``,
``Runtime.MalformedHandlerName``, ``Runtime.UserCodeSyntaxError``, ``Runtime.MarshalError``.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys
import time
from typing import Any


class LambdaContext:
    """The ``context`` argument, with the attributes the Python runtime documents.
    https://docs.aws.amazon.com/lambda/latest/dg/python-context.html
    """

    def __init__(self, request: dict[str, Any]) -> None:
        env = os.environ
        self.aws_request_id: str = request["request_id"]
        self.invoked_function_arn: str = request["invoked_function_arn"]
        self.function_name = env.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = env.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.memory_limit_in_mb = env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.log_group_name = env.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = env.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.identity = None
        self.client_context = request.get("client_context")
        self._deadline_ms: int = request["deadline_ms"]

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self._deadline_ms - int(time.time() * 1000))


def _frames(tb: Any, task_root: str, skip_own: bool = True) -> list[str]:
    import traceback  # only on errors: keeps cold starts short
    frames = list(traceback.extract_tb(tb))
    if skip_own:
        frames = [f for f in frames if f.filename != __file__]
    for frame in frames:
        if frame.filename.startswith(task_root):
            frame.filename = "/var/task" + frame.filename[len(task_root):]
    return traceback.format_list(frames)


def error_payload(error_type: str, message: str, request_id: str, trace: list[str]) -> dict:
    return {"errorMessage": message, "errorType": error_type,
            "requestId": request_id, "stackTrace": trace}


def load_handler(handler: str, task_root: str) -> tuple[Any, dict | None]:
    """Import the handler (the Init phase); return (function, None) or (None, error)."""
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as exc:
        return None, error_payload("Runtime.MalformedHandlerName",
                                   f"Bad handler '{handler}': {exc}", "", [])
    module_name = module_name.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        return None, error_payload("Runtime.ImportModuleError",
                                   f"Unable to import module '{module_name}': {exc}", "", [])
    except SyntaxError as exc:
        return None, error_payload("Runtime.UserCodeSyntaxError",
                                   f"Syntax error in module '{module_name}': {exc}", "", [])
    except Exception as exc:  # noqa: BLE001 - any init error is reported, as AWS does
        return None, error_payload(type(exc).__name__, str(exc), "",
                                   _frames(exc.__traceback__, task_root, skip_own=False))
    function = getattr(module, function_name, None)
    if function is None:
        return None, error_payload("Runtime.HandlerNotFound",
                                   f"Handler '{function_name}' missing on module '{module_name}'",
                                   "", [])
    return function, None


def invoke(function: Any, request: dict[str, Any], task_root: str) -> dict[str, Any]:
    """Run one invocation; return the reply the emulator reads."""
    request_id = request["request_id"]
    try:
        result = function(json.loads(request["event"]), LambdaContext(request))
    except Exception as exc:  # noqa: BLE001 - a handler error is a function error
        trace = _frames(exc.__traceback__, task_root)
        return {"error": error_payload(type(exc).__name__, str(exc), request_id, trace)}
    try:
        return {"result": json.dumps(result)}
    except (TypeError, ValueError) as exc:
        message = f"Unable to marshal response: {exc}"
        return {"error": error_payload("Runtime.MarshalError", message, request_id, [])}


def _reply(channel: Any, message: dict[str, Any]) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    channel.write(json.dumps(message) + "\n")
    channel.flush()


def _load(here: str, name: str) -> Any:
    """A stdlib-only sibling module, loaded by path (the package itself is not imported)."""
    spec = importlib.util.spec_from_file_location(f"_serverless_lab_{name}",
                                                  os.path.join(here, f"{name}.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _enter_sandbox(here: str, init: dict[str, Any], fds: tuple[int, int, int]) -> None:
    """Become the worker inside the environment's sandbox (sandbox_init.py), or, where the
    machine allows none, cap what can be capped and fall back to ``TMPDIR``."""
    requests_fd, replies_fd, control_fd = fds
    if init["sandbox"] is None:
        os.close(control_fd)
        _cap_files(init["tmp_mb"])
        os.environ["TMPDIR"] = init["tmp_dir"]
        return
    _load(here, "sandbox")
    _load(here, "sandbox_init").enter(init["sandbox"], control_fd, requests_fd, replies_fd)
    os.environ["TMPDIR"] = "/tmp"
    # /opt/python did not exist outside the namespace: forget what the path finders cached.
    sys.path_importer_cache.clear()
    importlib.invalidate_caches()


def _cap_files(tmp_mb: int) -> None:
    """Without a tmpfs of its own, no file may outgrow the environment's ephemeral storage:
    a write beyond it fails (EFBIG) instead of filling the disk."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    limit = tmp_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def main() -> None:
    read_fd, write_fd, control_fd = (int(fd) for fd in sys.argv[1:4])
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    requests = os.fdopen(read_fd, "r")
    init = json.loads(requests.readline())
    _enter_sandbox(here, init, (read_fd, write_fd, control_fd))
    replies = os.fdopen(write_fd, "w")
    for path in reversed(init["path"]):
        sys.path.insert(0, path)
    os.environ["LAMBDA_TASK_ROOT"] = init["task_root"]
    os.environ["PYTHONPATH"] = os.pathsep.join(init["path"])
    os.chdir(init["task_root"])
    function, error = load_handler(init["handler"], init["task_root"])
    _reply(replies, {"ready": True, "error": error})
    if error is not None:
        return
    for line in requests:
        _reply(replies, invoke(function, json.loads(line), init["task_root"]))


if __name__ == "__main__":
    main()
