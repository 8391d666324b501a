"""Methods and integrations: PutMethod checks, UpdateMethod, UpdateIntegration (apigateway/methods.py)."""

from __future__ import annotations

import pytest
import requests
from botocore.exceptions import ClientError


def error(call, **kwargs):
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


@pytest.mark.parametrize("verb", ["GETT", "get", "CONNECT", ""])
def test_put_method_refuses_what_is_not_an_api_gateway_verb(gw, mock_api, verb):
    code, message = error(gw.put_method, restApiId=mock_api["api"], resourceId=mock_api["pets"],
                          httpMethod=verb or "X", authorizationType="NONE")
    assert code == "BadRequestException" and message.startswith("Invalid HttpMethod")


def test_update_method_requires_an_api_key_at_the_gateway(lab, gw, mock_api):
    api, pets = mock_api["api"], mock_api["pets"]
    gw.create_deployment(restApiId=api, stageName="dev")
    url = lab.api_url(api, "dev") + "/pets"
    assert requests.get(url, timeout=10).status_code == 200
    method = gw.update_method(restApiId=api, resourceId=pets, httpMethod="GET", patchOperations=[
        {"op": "replace", "path": "/apiKeyRequired", "value": "true"}])
    assert method["apiKeyRequired"] is True
    gw.create_deployment(restApiId=api, stageName="dev")
    assert requests.get(url, timeout=10).status_code == 403


def test_update_method_request_parameters_and_authorizer_check(gw, mock_api):
    api, pets = mock_api["api"], mock_api["pets"]
    method = gw.update_method(restApiId=api, resourceId=pets, httpMethod="GET", patchOperations=[
        {"op": "add", "path": "/requestParameters/method.request.querystring.kind",
         "value": "true"}])
    assert method["requestParameters"] == {"method.request.querystring.kind": True}
    code, message = error(gw.update_method, restApiId=api, resourceId=pets, httpMethod="GET",
                          patchOperations=[{"op": "replace", "path": "/authorizationType",
                                            "value": "COGNITO_USER_POOLS"}])
    assert code == "BadRequestException" and "requires a valid authorizer" in message
    assert gw.get_method(restApiId=api, resourceId=pets,
                         httpMethod="GET")["authorizationType"] == "NONE"  # nothing applied


def test_update_integration_changes_what_the_gateway_answers(lab, gw, mock_api):
    api, pets = mock_api["api"], mock_api["pets"]
    gw.update_integration(restApiId=api, resourceId=pets, httpMethod="GET", patchOperations=[
        {"op": "replace", "path": "/requestTemplates/application~1json",
         "value": '{"statusCode": 404}'}])
    gw.put_integration_response(restApiId=api, resourceId=pets, httpMethod="GET",
                                statusCode="404",
                                responseTemplates={"application/json": '{"gone": true}'})
    gw.create_deployment(restApiId=api, stageName="dev")
    answer = requests.get(lab.api_url(api, "dev") + "/pets", timeout=10)
    assert (answer.status_code, answer.json()) == (404, {"gone": True})


def test_integration_defaults_are_aws_defaults(gw, mock_api):
    integration = gw.get_integration(restApiId=mock_api["api"], resourceId=mock_api["pets"],
                                     httpMethod="GET")
    assert (integration["passthroughBehavior"], integration["timeoutInMillis"]) == (
        "WHEN_NO_MATCH", 29000)
