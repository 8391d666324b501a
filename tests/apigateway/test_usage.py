"""Usage plans and keys: GetUsage reports what the gateway counted (apigateway/usage.py)."""

from __future__ import annotations

import time

import pytest
import requests
from botocore.exceptions import ClientError


@pytest.fixture
def keyed(lab, gw, mock_api):
    """/pets needs an API key; a plan with a quota of 10 a day; two keys in it."""
    api = mock_api["api"]
    gw.update_method(restApiId=api, resourceId=mock_api["pets"], httpMethod="GET",
                     patchOperations=[{"op": "replace", "path": "/apiKeyRequired", "value": "true"}])
    gw.create_deployment(restApiId=api, stageName="dev")
    plan = gw.create_usage_plan(name="plan", apiStages=[{"apiId": api, "stage": "dev"}],
                                quota={"limit": 10, "period": "DAY"})["id"]
    keys = {}
    for name in ("alice", "bob"):
        key = gw.create_api_key(name=name, enabled=True, value=f"{name}-key-0123456789abcdef")
        gw.create_usage_plan_key(usagePlanId=plan, keyId=key["id"], keyType="API_KEY")
        keys[name] = key
    return {"plan": plan, "keys": keys, "url": lab.api_url(api, "dev") + "/pets"}


def test_get_usage_counts_each_keys_requests_today(lab, gw, keyed):
    for name, times in (("alice", 3), ("bob", 1)):
        for _ in range(times):
            answer = requests.get(keyed["url"], headers={"x-api-key": keyed["keys"][name]["value"]},
                                  timeout=10)
            assert answer.status_code == 200
    today = time.strftime("%Y-%m-%d", time.gmtime(lab.clock.now()))
    usage = gw.get_usage(usagePlanId=keyed["plan"], startDate=today, endDate=today)
    assert usage["items"] == {keyed["keys"]["alice"]["id"]: [[3, 7]],
                              keyed["keys"]["bob"]["id"]: [[1, 9]]}


def test_get_usage_one_key_and_one_pair_per_day(lab, gw, keyed):
    alice = keyed["keys"]["alice"]["id"]
    usage = gw.get_usage(usagePlanId=keyed["plan"], startDate="2026-11-29",
                         endDate="2026-12-01", keyId=alice)
    assert list(usage["items"]) == [alice] and len(usage["items"][alice]) == 3


def test_refused_requests_are_not_counted(lab, gw, keyed):
    assert requests.get(keyed["url"], headers={"x-api-key": "wrong"}, timeout=10).status_code == 403
    today = time.strftime("%Y-%m-%d", time.gmtime(lab.clock.now()))
    usage = gw.get_usage(usagePlanId=keyed["plan"], startDate=today, endDate=today)
    assert all(days == [[0, 10]] for days in usage["items"].values())


def test_api_key_name_and_patch_paths(gw):
    with pytest.raises(ClientError, match="at most 1024 characters"):
        gw.create_api_key(name="k" * 1025)
    key = gw.create_api_key(name="k")["id"]
    with pytest.raises(ClientError, match="'/value' specified for op 'replace'"):
        gw.update_api_key(apiKey=key, patchOperations=[
            {"op": "replace", "path": "/value", "value": "x" * 30}])
    renamed = gw.update_api_key(apiKey=key, patchOperations=[
        {"op": "replace", "path": "/name", "value": "renamed"}])
    assert renamed["name"] == "renamed"


def test_get_usage_with_a_date_that_is_not_one(gw, keyed):
    with pytest.raises(ClientError) as raised:
        gw.get_usage(usagePlanId=keyed["plan"], startDate="yesterday", endDate="2026-12-06")
    assert raised.value.response["Error"]["Code"] == "BadRequestException"


def test_delete_usage_plan_of_a_missing_plan_is_not_found(gw):
    with pytest.raises(ClientError) as caught:
        gw.delete_usage_plan(usagePlanId="nope")
    assert caught.value.response["Error"] == {"Code": "NotFoundException",
                                              "Message": "Invalid Usage Plan ID specified"}


def test_delete_usage_plan_key_checks_the_plan_then_the_key(gw, keyed):
    for plan, key, message in (("nope", "nope", "Invalid Usage Plan ID specified"),
                               (keyed["plan"], "nope", "Invalid API Key identifier specified")):
        with pytest.raises(ClientError) as caught:
            gw.delete_usage_plan_key(usagePlanId=plan, keyId=key)
        assert caught.value.response["Error"]["Message"] == message
    alice = keyed["keys"]["alice"]["id"]
    gw.delete_usage_plan_key(usagePlanId=keyed["plan"], keyId=alice)
    left = gw.get_usage_plan_keys(usagePlanId=keyed["plan"])["items"]
    assert [key["id"] for key in left] == [keyed["keys"]["bob"]["id"]]
