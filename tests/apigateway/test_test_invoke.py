"""TestInvokeMethod runs the integration without a deployment (apigateway/test_invoke.py)."""

from __future__ import annotations

import json

import boto3

ECHO = """
import json
def handler(event, context):
    return {"statusCode": 201, "headers": {"X-Stage": event["requestContext"]["stage"]},
            "body": json.dumps({"params": event["pathParameters"],
                                "query": event["queryStringParameters"], "body": event["body"]})}
"""


def test_mock_method_without_a_deployment(gw, mock_api):
    answer = gw.test_invoke_method(restApiId=mock_api["api"], resourceId=mock_api["pets"],
                                   httpMethod="GET", pathWithQueryString="/pets?kind=cat")
    assert (answer["status"], json.loads(answer["body"])) == (200, {"pets": []})
    assert answer["headers"] == {"Content-Type": "application/json"}
    assert answer["multiValueHeaders"] == {"Content-Type": ["application/json"]}
    lines = answer["log"].split("\n")
    assert lines[0].startswith("Execution log for request ")
    assert lines[2].endswith("HTTP Method: GET, Resource Path: /pets")
    assert lines[4].endswith("Method request query string: {kind=cat}")
    assert lines[-2].endswith("Method completed with status: 200")
    assert isinstance(answer["latency"], int)
    assert gw.get_deployments(restApiId=mock_api["api"])["items"] == []


def test_lambda_proxy_gets_path_parameters_and_the_test_stage(gw, mock_api, make_function):
    make_function("echo", ECHO)
    arn = boto3.client("lambda").get_function(FunctionName="echo")["Configuration"]["FunctionArn"]
    api = mock_api["api"]
    pet = gw.create_resource(restApiId=api, parentId=mock_api["pets"], pathPart="{id}")["id"]
    gw.put_method(restApiId=api, resourceId=pet, httpMethod="POST", authorizationType="NONE")
    gw.put_integration(restApiId=api, resourceId=pet, httpMethod="POST", type="AWS_PROXY",
                       integrationHttpMethod="POST",
                       uri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
                           f"{arn}/invocations")
    answer = gw.test_invoke_method(restApiId=api, resourceId=pet, httpMethod="POST",
                                   pathWithQueryString="/pets/7?x=1", body='{"a": 1}')
    assert answer["status"] == 201
    assert answer["headers"]["X-Stage"] == "test-invoke-stage"
    assert json.loads(answer["body"]) == {"params": {"id": "7"}, "query": {"x": "1"},
                                          "body": '{"a": 1}'}
    assert "Method request path: {id=7}" in answer["log"]


def test_a_lambda_proxy_integration_must_post(gw, mock_api, make_function):
    """Lambda is invoked with POST: integrationHttpMethod GET answers 500 (AWS-RESPONSES 7e),
    though the function exists and would answer 201."""
    make_function("echo", ECHO)
    arn = boto3.client("lambda").get_function(FunctionName="echo")["Configuration"]["FunctionArn"]
    api, pets = mock_api["api"], mock_api["pets"]
    gw.put_method(restApiId=api, resourceId=pets, httpMethod="PUT", authorizationType="NONE")
    gw.put_integration(restApiId=api, resourceId=pets, httpMethod="PUT", type="AWS_PROXY",
                       integrationHttpMethod="GET",
                       uri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
                           f"{arn}/invocations")
    answer = gw.test_invoke_method(restApiId=api, resourceId=pets, httpMethod="PUT")
    assert (answer["status"], json.loads(answer["body"])) == (
        500, {"message": "Internal server error"})
