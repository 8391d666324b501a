"""REST APIs, authorizers, models, validators: AWS's checks and ImportRestApi (apigateway/rest_apis.py)."""

from __future__ import annotations

import json

import pytest
import requests
from botocore.exceptions import ClientError

OPENAPI = {"openapi": "3.0.1", "info": {"title": "imported", "version": "1"}, "paths": {
    "/pets": {"get": {"x-amazon-apigateway-integration": {
        "type": "mock", "requestTemplates": {"application/json": '{"statusCode": 200}'},
        "responses": {"default": {"statusCode": "200", "responseTemplates": {
            "application/json": '{"imported": true}'}}}}}}}}


def test_imported_api_is_served(lab, gw):
    api = gw.import_rest_api(body=json.dumps(OPENAPI))
    assert (api["ResponseMetadata"]["HTTPStatusCode"], api["name"]) == (201, "imported")
    assert "description" not in api
    gw.create_deployment(restApiId=api["id"], stageName="dev")
    answer = requests.get(lab.api_url(api["id"], "dev") + "/pets", timeout=10)
    assert answer.status_code == 200


@pytest.mark.parametrize("body", ["not: [valid", '{"info": {"title": "x"}}', "[1, 2]"])
def test_import_refuses_what_is_not_openapi(gw, body):
    with pytest.raises(ClientError, match="Invalid OpenAPI input."):
        gw.import_rest_api(body=body)
    assert gw.get_rest_apis()["items"] == []


@pytest.mark.parametrize("size", [-1, 10_485_761])
def test_compression_size_out_of_range(gw, size):
    with pytest.raises(ClientError, match="between 0 and 10485760"):
        gw.create_rest_api(name="x", minimumCompressionSize=size)


def test_compression_size_at_the_limits_is_accepted(gw):
    for size in (0, 10_485_760):
        assert gw.create_rest_api(name="x", minimumCompressionSize=size)[
            "minimumCompressionSize"] == size


def test_missing_api_messages_name_the_account_and_id(gw):
    for call in (gw.get_rest_api, gw.get_resources, gw.get_stages, gw.get_authorizers):
        with pytest.raises(ClientError) as raised:
            call(restApiId="nope123")
        assert raised.value.response["Error"]["Message"] == (
            "Invalid API identifier specified 123456789012:nope123")


@pytest.mark.parametrize("ttl", [0, 3600])
def test_authorizer_ttl_at_the_limits_is_accepted(gw, mock_api, ttl):
    uri = ("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
           "arn:aws:lambda:us-east-1:123456789012:function:auth/invocations")
    made = gw.create_authorizer(restApiId=mock_api["api"], name="a", type="TOKEN",
                                identitySource="method.request.header.Authorization",
                                authorizerUri=uri, authorizerResultTtlInSeconds=ttl)
    assert made["authorizerResultTtlInSeconds"] == ttl


def test_put_rest_api_overwrites_the_resources_with_the_documents(gw, mock_api):
    api = mock_api["api"]
    document = dict(OPENAPI, paths={"/owners": OPENAPI["paths"]["/pets"]})
    gw.put_rest_api(restApiId=api, mode="overwrite", body=json.dumps(document))
    paths = sorted(item["path"] for item in gw.get_resources(restApiId=api)["items"])
    assert paths == ["/", "/owners"]


def test_put_rest_api_without_paths_keeps_the_api(gw, mock_api):
    document = {key: value for key, value in OPENAPI.items() if key != "paths"}
    answer = gw.put_rest_api(restApiId=mock_api["api"], body=json.dumps(document))
    assert answer["id"] == mock_api["api"]


@pytest.mark.parametrize("body, code", [("{}", "BadRequestException"),
                                        (json.dumps(OPENAPI), "NotFoundException")])
def test_put_rest_api_checks_the_document_before_the_id(gw, body, code):
    with pytest.raises(ClientError) as caught:
        gw.put_rest_api(restApiId="nope", body=body)
    assert caught.value.response["Error"]["Code"] == code


def test_update_rest_api_without_operations_answers_the_api(gw, mock_api):
    assert gw.update_rest_api(restApiId=mock_api["api"])["name"] == "pets"
    with pytest.raises(ClientError) as caught:
        gw.update_rest_api(restApiId="nope")
    assert caught.value.response["Error"]["Message"] == (
        "Invalid API identifier specified 123456789012:nope")


def test_update_account_without_operations_answers_the_account(gw):
    before = gw.get_account()["throttleSettings"]
    assert gw.update_account()["throttleSettings"] == before
    role = "arn:aws:iam::123456789012:role/logs"
    answer = gw.update_account(patchOperations=[
        {"op": "replace", "path": "/cloudwatchRoleArn", "value": role}])
    assert answer["cloudwatchRoleArn"] == role


def test_import_parameters_the_emulator_lacks_are_named(gw):
    with pytest.raises(gw.exceptions.BadRequestException, match="basepath"):
        gw.import_rest_api(body=json.dumps(OPENAPI), parameters={"basepath": "prepend"})
