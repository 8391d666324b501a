"""Nothing gets in: a web page cannot drive the emulator (endpoint_access.py, control.py)."""

from __future__ import annotations

import json

import boto3
import pytest
import requests

import serverless_lab
from serverless_lab.targets.endpoint_access import (
    AccessPolicy,
    browser_origin,
    is_loopback,
    refusal,
)
from tests.conftest import FAST

EVIL = "http://evil.example"
CREATE = {"FunctionName": "planted", "Runtime": "python3.12", "Handler": "app.handler",
          "Role": "arn:aws:iam::123456789012:role/r", "Code": {"ZipFile": "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="}}


def test_loopback_names() -> None:
    assert all(is_loopback(n) for n in ("localhost", "api.localhost", "127.0.0.1", "127.9.9.9",
                                        "::1"))
    assert not any(is_loopback(n) for n in ("evil.example", "10.0.0.1", "localhost.evil.com",
                                            "0.0.0.0"))
    policy = AccessPolicy()
    assert policy.host_allowed("localhost:4566") and policy.host_allowed("[::1]:4566")
    assert not policy.host_allowed("evil.example:4566")


def test_an_allowed_origin_must_be_an_origin() -> None:
    with pytest.raises(ValueError, match="not a browser origin"):
        AccessPolicy.for_lab(["localhost:3000"], "127.0.0.1")
    assert AccessPolicy.for_lab(["http://localhost:3000/"], "127.0.0.1").cors_origins == (
        "http://localhost:3000",)


def test_what_marks_a_browser_request_from_another_page() -> None:
    assert browser_origin({"HTTP_ORIGIN": EVIL}) == EVIL
    assert browser_origin({"HTTP_REFERER": f"{EVIL}/page", "HTTP_HOST": "127.0.0.1:1"}) == EVIL
    assert browser_origin({"HTTP_SEC_FETCH_SITE": "cross-site"}) is not None
    assert browser_origin({"HTTP_SEC_FETCH_SITE": "none"}) is None
    assert browser_origin({}) is None  # boto3, the CLI, curl
    allowed = AccessPolicy(cors_origins=("http://localhost:3000",))
    assert refusal(allowed, {"HTTP_ORIGIN": "http://localhost:3000/"}, browser=True) is None
    assert "evil.example" in refusal(allowed, {"HTTP_ORIGIN": EVIL}, browser=True)


def test_a_page_of_another_origin_is_refused_at_every_step(lab) -> None:
    """The request sequence a hostile page would send while a lab runs."""
    url = lab.endpoint_url
    preflight = requests.options(f"{url}/2015-03-31/functions", timeout=10, headers={
        "Origin": EVIL, "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 403
    assert "Access-Control-Allow-Origin" not in preflight.headers
    create = requests.post(f"{url}/2015-03-31/functions", data=json.dumps(CREATE), timeout=10,
                           headers={"Origin": EVIL, "Content-Type": "text/plain"})
    assert create.status_code == 403 and create.json()["__type"] == "AccessDeniedException"
    image = requests.get(f"{url}/?Action=CreateQueue&QueueName=planted", timeout=10,
                         headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"})
    assert image.status_code == 403
    linked = requests.get(f"{url}/?Action=CreateQueue&QueueName=planted", timeout=10,
                          headers={"Referer": f"{EVIL}/a.html"})
    assert linked.status_code == 403
    rebound = requests.get(f"{url}/?Action=CreateQueue&QueueName=planted", timeout=10,
                           headers={"Host": "evil.example:4566"})
    assert rebound.status_code == 403 and "loopback" in rebound.json()["message"]
    assert boto3.client("lambda").list_functions()["Functions"] == []
    assert boto3.client("sqs").list_queues().get("QueueUrls", []) == []


def test_control_actions_refuse_pages_get_and_foreign_hosts(lab) -> None:
    queue = boto3.client("sqs").create_queue(QueueName="kept")["QueueUrl"]
    for base in (lab.endpoint_url, lab.gateway.base):
        assert requests.get(f"{base}/_lab/reset", timeout=10).status_code == 405
        assert requests.post(f"{base}/_lab/reset", timeout=10,
                             headers={"Origin": EVIL}).status_code == 403
        assert requests.post(f"{base}/_lab/reset", timeout=10,
                             headers={"Host": "evil.example"}).status_code == 403
        assert requests.get(f"{base}/_lab/status", timeout=10).status_code == 200
    assert boto3.client("sqs").list_queues()["QueueUrls"] == [queue]


def test_sdk_calls_carry_no_cors_headers(lab) -> None:
    reply = requests.get(f"{lab.endpoint_url}/?Action=ListQueues", timeout=10)
    assert reply.status_code == 200
    assert not [h for h in reply.headers if h.lower().startswith("access-control-")]


def test_an_allowed_origin_gets_exactly_its_own_cors() -> None:
    serverless_lab.stop()
    page = "http://localhost:3000"
    lab = serverless_lab.start(serverless_lab.Settings(aws_managed_policies=False,
                                                       cors_origins=(page,)))
    try:
        preflight = requests.options(f"{lab.endpoint_url}/", timeout=10, headers={
            "Origin": page, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-amz-target"})
        assert preflight.status_code == 200
        assert preflight.headers["Access-Control-Allow-Origin"] == page
        assert preflight.headers["Access-Control-Allow-Headers"] == "content-type,x-amz-target"
        reply = requests.get(f"{lab.endpoint_url}/?Action=ListQueues", timeout=10,
                             headers={"Origin": page})
        assert reply.status_code == 200 and reply.headers["Access-Control-Allow-Origin"] == page
        assert requests.get(f"{lab.endpoint_url}/?Action=ListQueues", timeout=10,
                            headers={"Origin": EVIL}).status_code == 403
    finally:
        serverless_lab.stop()
        serverless_lab.start(FAST)


def test_api_stages_keep_serving_their_own_cors(lab) -> None:
    gw = boto3.client("apigateway")
    api = gw.create_rest_api(name="site")["id"]
    root = gw.get_resources(restApiId=api)["items"][0]["id"]
    gw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    gw.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK",
                       requestTemplates={"application/json": '{"statusCode": 200}'})
    gw.put_integration_response(restApiId=api, resourceId=root, httpMethod="GET",
                                statusCode="200",
                                responseTemplates={"application/json": '{"ok": true}'})
    gw.create_deployment(restApiId=api, stageName="prod")
    reply = requests.get(lab.api_url(api, "prod") + "/", timeout=10, headers={"Origin": EVIL})
    assert reply.status_code == 200 and reply.json() == {"ok": True}


@pytest.mark.parametrize("query", [{"seconds": "inf"}, {"seconds": "1e308"}, {"seconds": "nan"},
                                   {"seconds": "-5"}, {"seconds": "soon"}, {"minutes": "3"}])
def test_advance_refuses_values_the_clock_cannot_take(lab, query) -> None:
    before = requests.get(f"{lab.endpoint_url}/_lab/status", timeout=10).json()["now"]
    reply = requests.post(f"{lab.endpoint_url}/_lab/advance", params=query, timeout=10)
    assert reply.status_code == 400 and reply.json()["message"]
    after = requests.get(f"{lab.endpoint_url}/_lab/status", timeout=10).json()["now"]
    assert after - before < 5  # unchanged but for real time
    boto3.client("lambda").list_functions()  # the lab still answers
    with pytest.raises(ValueError, match="finite number"):
        lab.advance(seconds=float("inf"))


@pytest.mark.parametrize("value", ["2.0", "-0.1", "nan", "often"])
def test_knobs_refuse_values_out_of_range(lab, value) -> None:
    reply = requests.post(f"{lab.endpoint_url}/_lab/settings", timeout=10,
                          params={"express_duplicate_rate": value})
    assert reply.status_code == 400
    assert lab.settings.express_duplicate_rate == 0.0
