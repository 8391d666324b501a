"""The in-environment runtime, tested as a module (it imports only the standard library)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from serverless_lab.awslambda import bootstrap


@pytest.fixture
def task(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [m for m in sys.modules if m.startswith("bt_")]:
        del sys.modules[name]


def write(task: Path, name: str, source: str) -> None:
    (task / f"{name}.py").write_text(source)


def test_missing_module_is_import_module_error(task: Path) -> None:
    function, error = bootstrap.load_handler("bt_nothing.handler", str(task))
    assert function is None and error is not None
    assert error["errorType"] == "Runtime.ImportModuleError"
    assert error["errorMessage"] == "Unable to import module 'bt_nothing': No module named 'bt_nothing'"
    assert error["requestId"] == ""


def test_missing_function_is_handler_not_found(task: Path) -> None:
    write(task, "bt_mod", "x = 1\n")
    _, error = bootstrap.load_handler("bt_mod.handler", str(task))
    assert error == {"errorMessage": "Handler 'handler' missing on module 'bt_mod'",
                     "errorType": "Runtime.HandlerNotFound", "requestId": "", "stackTrace": []}


def test_handler_without_dot_is_malformed(task: Path) -> None:
    _, error = bootstrap.load_handler("nodot", str(task))
    assert error is not None and error["errorType"] == "Runtime.MalformedHandlerName"
    assert error["errorMessage"].startswith("Bad handler 'nodot': ")


def test_syntax_error_is_user_code_syntax_error(task: Path) -> None:
    write(task, "bt_syntax", "def handler(:\n")
    _, error = bootstrap.load_handler("bt_syntax.handler", str(task))
    assert error is not None and error["errorType"] == "Runtime.UserCodeSyntaxError"


def test_init_exception_has_empty_request_id_and_module_frame(task: Path) -> None:
    write(task, "bt_init", 'raise Exception("Runtime startup fails")\n')
    _, error = bootstrap.load_handler("bt_init.handler", str(task))
    assert error is not None
    assert (error["errorType"], error["errorMessage"], error["requestId"]) == (
        "Exception", "Runtime startup fails", "")
    assert error["stackTrace"][-1].startswith('  File "/var/task/bt_init.py", line 1, in <module>')


def request(event: object, timeout_ms: int = 3000) -> dict:
    return {"request_id": "req-1", "event": json.dumps(event),
            "invoked_function_arn": "arn:aws:lambda:us-east-1:123456789012:function:f",
            "deadline_ms": int(time.time() * 1000) + timeout_ms}


def test_handler_error_payload_matches_aws_shape(task: Path) -> None:
    write(task, "bt_err", 'def handler(event, context):\n    raise Exception("Handler fails")\n')
    function, _ = bootstrap.load_handler("bt_err.handler", str(task))
    reply = bootstrap.invoke(function, request({}), str(task))
    error = reply["error"]
    assert list(error) == ["errorMessage", "errorType", "requestId", "stackTrace"]
    assert error["requestId"] == "req-1"
    assert error["stackTrace"] == [
        '  File "/var/task/bt_err.py", line 2, in handler\n    raise Exception("Handler fails")\n']


def test_unserialisable_result_is_marshal_error(task: Path) -> None:
    write(task, "bt_marshal", "def handler(event, context):\n    return object()\n")
    function, _ = bootstrap.load_handler("bt_marshal.handler", str(task))
    reply = bootstrap.invoke(function, request({}), str(task))
    assert reply["error"]["errorType"] == "Runtime.MarshalError"


def test_context_fields(task: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "f")
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
    context = bootstrap.LambdaContext(request({}, timeout_ms=2000))
    assert context.function_name == "f" and context.memory_limit_in_mb == "256"
    assert context.aws_request_id == "req-1"
    assert 1500 < context.get_remaining_time_in_millis() <= 2000
