"""Clock control over HTTP, on the emulator's endpoint and the gateway's port."""

from __future__ import annotations

import boto3
import pytest
import requests

from serverless_lab.targets.control import ControlledApp


def test_moto_serves_through_the_control_middleware(lab) -> None:
    """Contract with moto's ThreadedMotoServer: its werkzeug server reads ``app`` per
    request, and the lab puts the control middleware there."""
    assert isinstance(lab._server._server.app, ControlledApp)
    assert boto3.client("sqs").list_queues().get("QueueUrls", []) == []  # moto still answers


@pytest.mark.parametrize("base", ["endpoint_url", "gateway"])
def test_status_and_advance(lab, base: str) -> None:
    url = f"{lab.endpoint_url if base == 'endpoint_url' else lab.gateway.base}/_lab"
    status = requests.get(f"{url}/status", timeout=10).json()
    assert status["endpoint"] == lab.endpoint_url and status["gateway"] == lab.gateway.base
    advanced = requests.post(f"{url}/advance", params={"seconds": 3600}, timeout=30).json()
    assert advanced["now"] - status["now"] >= 3600
    assert requests.post(f"{url}/settle", timeout=30).status_code == 200


def test_reset_empties_the_services(lab) -> None:
    boto3.client("sqs").create_queue(QueueName="gone")
    requests.post(f"{lab.endpoint_url}/_lab/reset", timeout=60).raise_for_status()
    assert boto3.client("sqs").list_queues().get("QueueUrls", []) == []


def test_a_knob_changes_the_served_lab(lab) -> None:
    reply = requests.post(f"{lab.endpoint_url}/_lab/settings",
                          params={"express_duplicate_rate": "0.25"}, timeout=10)
    assert reply.json()["settings"] == {"express_duplicate_rate": 0.25}
    assert lab.settings.express_duplicate_rate == 0.25
    lab.settings.express_duplicate_rate = 0.0


@pytest.mark.parametrize(("path", "params"), [
    ("nonsense", {}), ("settings", {"seed": "1"}), ("settings", {"express_duplicate_rate": "x"}),
    ("advance", {"seconds": "soon"})])
def test_bad_requests_get_400(lab, path: str, params: dict[str, str]) -> None:
    reply = requests.post(f"{lab.endpoint_url}/_lab/{path}", params=params, timeout=10)
    assert reply.status_code == 400 and reply.json()["message"]


def test_freeze_and_thaw_stop_and_restart_real_time(lab) -> None:
    import time

    url = f"{lab.endpoint_url}/_lab"
    assert requests.post(f"{url}/freeze", timeout=10).status_code == 200
    try:
        before = lab.clock.now()
        time.sleep(0.2)
        assert lab.clock.now() == before
    finally:
        assert requests.post(f"{url}/thaw", timeout=10).status_code == 200
    time.sleep(0.05)
    assert lab.clock.now() > before
    assert requests.get(f"{url}/freeze", timeout=10).status_code == 405
