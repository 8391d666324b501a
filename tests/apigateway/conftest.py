"""Fixtures of API Gateway's tests: a REST API with a MOCK method, made with boto3."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

MOCK = {"application/json": '{"statusCode": 200}'}


@pytest.fixture
def gw(lab: Any) -> Any:
    return boto3.client("apigateway")


@pytest.fixture
def mock_api(gw: Any) -> dict[str, str]:
    """/pets with GET (MOCK, body {"pets": []}); ids of the API, "/" and /pets."""
    api = gw.create_rest_api(name="pets")
    pets = gw.create_resource(restApiId=api["id"], parentId=api["rootResourceId"],
                              pathPart="pets")["id"]
    gw.put_method(restApiId=api["id"], resourceId=pets, httpMethod="GET",
                  authorizationType="NONE")
    gw.put_integration(restApiId=api["id"], resourceId=pets, httpMethod="GET", type="MOCK",
                       requestTemplates=MOCK)
    gw.put_integration_response(restApiId=api["id"], resourceId=pets, httpMethod="GET",
                                statusCode="200",
                                responseTemplates={"application/json": '{"pets": []}'})
    return {"api": api["id"], "root": api["rootResourceId"], "pets": pets}
