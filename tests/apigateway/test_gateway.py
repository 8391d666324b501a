"""REST APIs served on loopback: routing, Lambda proxy, MOCK, errors, keys, throttling."""

from __future__ import annotations

import json

import boto3
import pytest
import requests

from serverless_lab.apigateway.gateway import _match

ECHO = """
import json
def handler(e, c):
    if e['path'].endswith('/broken'):
        return {'statusCode': 200, 'wrongValue': 1}
    if e['path'].endswith('/boom'):
        raise Exception('boom')
    return {'statusCode': 200, 'headers': {'X-Seen': e['resource']},
            'body': json.dumps({'path': e['path'], 'params': e['pathParameters'],
                                'query': e['queryStringParameters'],
                                'stage': e['requestContext']['stage']})}
"""


@pytest.fixture
def api(lab, make_function):
    make_function("echo", ECHO)
    fn = boto3.client("lambda").get_function(FunctionName="echo")["Configuration"]["FunctionArn"]
    gw = boto3.client("apigateway")
    api_id = gw.create_rest_api(name="shop")["id"]
    root = gw.get_resources(restApiId=api_id)["items"][0]["id"]
    orders = gw.create_resource(restApiId=api_id, parentId=root, pathPart="orders")["id"]
    order = gw.create_resource(restApiId=api_id, parentId=orders, pathPart="{id}")["id"]
    proxy = gw.create_resource(restApiId=api_id, parentId=root, pathPart="{proxy+}")["id"]
    uri = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{fn}/invocations"
    for resource, method in ((order, "GET"), (proxy, "ANY")):
        gw.put_method(restApiId=api_id, resourceId=resource, httpMethod=method,
                      authorizationType="NONE")
        gw.put_integration(restApiId=api_id, resourceId=resource, httpMethod=method,
                           type="AWS_PROXY", integrationHttpMethod="POST", uri=uri)
    gw.put_method(restApiId=api_id, resourceId=orders, httpMethod="GET",
                  authorizationType="NONE")
    gw.put_integration(restApiId=api_id, resourceId=orders, httpMethod="GET", type="MOCK",
                       requestTemplates={"application/json": '{"statusCode": 200}'})
    gw.put_integration_response(restApiId=api_id, resourceId=orders, httpMethod="GET",
                                statusCode="200",
                                responseTemplates={"application/json": '{"orders": []}'})
    gw.create_deployment(restApiId=api_id, stageName="dev")
    return api_id


def test_path_templates() -> None:
    assert _match("/orders/{id}", "/orders/7") == {"id": "7"}
    assert _match("/orders/{id}", "/orders/7/x") is None
    assert _match("/{proxy+}", "/a/b/c") == {"proxy": "a/b/c"}


def test_lambda_proxy_event_and_response(lab, api):
    answer = requests.get(f"{lab.api_url(api, 'dev')}/orders/7", params={"x": "1"}, timeout=10)
    assert answer.status_code == 200 and answer.headers["X-Seen"] == "/orders/{id}"
    assert answer.json() == {"path": "/orders/7", "params": {"id": "7"}, "query": {"x": "1"},
                             "stage": "dev"}


def test_greedy_proxy_and_mock(lab, api):
    base = lab.api_url(api, "dev")
    assert requests.post(f"{base}/any/deep/path", timeout=10).json()["params"] == {
        "proxy": "any/deep/path"}
    assert requests.get(f"{base}/orders", timeout=10).json() == {"orders": []}


def test_errors_as_aws_answers_them(lab, api):
    base = lab.api_url(api, "dev")
    broken = requests.get(f"{base}/x/broken", timeout=10)
    assert (broken.status_code, broken.json()) == (502, {"message": "Internal server error"})
    assert requests.get(f"{base}/x/boom", timeout=10).status_code == 502
    unknown = requests.get(f"{lab.api_url(api, 'nostage')}/orders/1", timeout=10)
    assert unknown.status_code == 403


def test_stage_throttling_gives_429(lab, api):
    boto3.client("apigateway").update_stage(restApiId=api, stageName="dev", patchOperations=[
        {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "5"},
        {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": "10"}])
    base = lab.api_url(api, "dev")
    with lab.clock.frozen():  # exact counts: no token refills with real time meanwhile
        codes = [requests.get(f"{base}/orders", timeout=10).status_code for _ in range(15)]
        assert codes.count(200) == 10 and codes.count(429) == 5
        answer = requests.get(f"{base}/orders", timeout=10).json()
        assert answer == {"message": "Too Many Requests"}
        lab.advance(seconds=1)
        codes = [requests.get(f"{base}/orders", timeout=10).status_code for _ in range(8)]
        assert codes.count(200) == 5


def test_api_key_and_usage_plan(lab, api):
    gw = boto3.client("apigateway")
    root = next(r["id"] for r in gw.get_resources(restApiId=api)["items"] if r["path"] == "/")
    reports = gw.create_resource(restApiId=api, parentId=root, pathPart="reports")["id"]
    gw.put_method(restApiId=api, resourceId=reports, httpMethod="GET",
                  authorizationType="NONE", apiKeyRequired=True)
    gw.put_integration(restApiId=api, resourceId=reports, httpMethod="GET", type="MOCK",
                       requestTemplates={"application/json": '{"statusCode": 200}'})
    gw.create_deployment(restApiId=api, stageName="dev")
    key = gw.create_api_key(name="partner", enabled=True)
    plan = gw.create_usage_plan(name="basic", apiStages=[{"apiId": api, "stage": "dev"}],
                                quota={"limit": 3, "period": "DAY"})
    gw.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
    base = f"{lab.api_url(api, 'dev')}/reports"
    assert requests.get(base, timeout=10).status_code == 403
    headers = {"x-api-key": key["value"]}
    codes = [requests.get(base, headers=headers, timeout=10).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert requests.get(base, headers=headers, timeout=10).json() == {"message": "Limit Exceeded"}
    lab.advance(days=1)
    assert requests.get(base, headers=headers, timeout=10).status_code == 200


def test_access_logs_and_metrics(lab, api, aws):
    aws("logs").create_log_group(logGroupName="shop-access")
    aws("apigateway").update_stage(restApiId=api, stageName="dev", patchOperations=[
        {"op": "replace", "path": "/accessLogSettings/destinationArn",
         "value": "arn:aws:logs:us-east-1:123456789012:log-group:shop-access"},
        {"op": "replace", "path": "/accessLogSettings/format",
         "value": '{"requestId":"$context.requestId","status":"$context.status"}'}])
    base = lab.api_url(api, "dev")
    requests.get(f"{base}/orders", timeout=10)
    requests.get(f"{base}/x/broken", timeout=10)
    lines = [json.loads(e["message"]) for e in
             aws("logs").filter_log_events(logGroupName="shop-access")["events"]]
    assert [line["status"] for line in lines] == ["200", "502"]
    import datetime

    now = datetime.datetime.fromtimestamp(lab.clock.now(), datetime.timezone.utc)
    stats = aws("cloudwatch").get_metric_statistics(
        Namespace="AWS/ApiGateway", MetricName="5XXError",
        Dimensions=[{"Name": "ApiName", "Value": "shop"}, {"Name": "Stage", "Value": "dev"}],
        StartTime=now - datetime.timedelta(hours=1), EndTime=now + datetime.timedelta(hours=1),
        Period=3600, Statistics=["Sum"])
    assert stats["Datapoints"][0]["Sum"] == 1.0


def test_the_gateway_address_follows_the_server_address() -> None:
    from serverless_lab.apigateway.gateway import _url_host

    assert _url_host("127.0.0.1") == "127.0.0.1" and _url_host("0.0.0.0") == "127.0.0.1"
    assert _url_host("::1") == "[::1]" and _url_host("localhost") == "localhost"


def test_broken_chunked_body_is_a_400_not_an_html_500(lab, api):
    """A chunk size that is not hexadecimal never reaches the integration."""
    import socket
    from urllib.parse import urlsplit

    url = urlsplit(lab.api_url(api, "dev") + "/orders")
    with socket.create_connection((url.hostname, url.port), timeout=10) as connection:
        connection.sendall(
            f"POST {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\nConnection: close\r\n"
            "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n".encode())
        raw = b""
        while chunk := connection.recv(65536):
            raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert b"application/json" in head and json.loads(body) == {"message": "Bad Request"}
