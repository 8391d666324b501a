"""serverless-lab serve: loopback by default (clock control: test_control.py)."""

from __future__ import annotations

import json
import threading

import pytest
import requests

from serverless_lab.targets import server


def test_loopback_addresses() -> None:
    assert server.is_loopback("127.0.0.1") and server.is_loopback("::1")
    assert server.is_loopback("localhost")
    assert not server.is_loopback("0.0.0.0") and not server.is_loopback("10.0.0.5")


def test_a_non_loopback_host_needs_an_explicit_flag(capsys) -> None:
    assert server.main(["serve", "--host", "0.0.0.0"]) == 2
    assert "--allow-remote" in capsys.readouterr().err


def test_serve_runs_until_stopped(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    import serverless_lab

    serverless_lab.stop()  # one lab per process: the fixture's lab must not be running
    stop = threading.Event()
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(
        server.main(["serve", "--port", "0"], stop=stop)))
    thread.start()
    try:
        for _ in range(500):
            printed = capsys.readouterr().out
            if printed:
                break
            threading.Event().wait(0.01)
        address = json.loads(printed.splitlines()[0])
        assert address["endpoint"].startswith("http://127.0.0.1:")
        assert requests.get(f"{address['gateway']}/_lab/status", timeout=10).status_code == 200
    finally:
        stop.set()
        thread.join(timeout=30)
    assert result == [0]


def test_an_allowed_non_loopback_host_prints_a_warning(capsys) -> None:
    import serverless_lab

    serverless_lab.stop()
    stop = threading.Event()
    stop.set()  # return as soon as it has started
    assert server.main(["serve", "--host", "0.0.0.0", "--port", "0", "--allow-remote"],
                       stop=stop) == 0
    assert "WARNING: serverless-lab is listening on 0.0.0.0" in capsys.readouterr().err


def test_spawn_runs_a_server_in_another_process(tmp_path) -> None:
    process, address = server.spawn(tmp_path / "serve.log")
    try:
        status = requests.get(f"{address['endpoint']}/_lab/status", timeout=10).json()
        assert status["gateway"] == address["gateway"] and process.poll() is None
    finally:
        server.terminate(process)
    assert process.poll() is not None
