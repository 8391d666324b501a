"""Models and request validators: names, duplicates, missing ones (apigateway/models.py)."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError


def test_a_model_name_is_unique_per_api(gw, mock_api):
    schema = json.dumps({"type": "object"})
    gw.create_model(restApiId=mock_api["api"], name="Pet", contentType="application/json",
                    schema=schema)
    with pytest.raises(ClientError, match="Model name already exists"):
        gw.create_model(restApiId=mock_api["api"], name="Pet", contentType="application/json",
                        schema=schema)
    other = gw.create_rest_api(name="other")["id"]
    gw.create_model(restApiId=other, name="Pet", contentType="application/json", schema=schema)


def test_a_deleted_model_is_gone_and_cannot_be_deleted_twice(gw, mock_api):
    api = mock_api["api"]
    gw.create_model(restApiId=api, name="Pet", contentType="application/json",
                    schema=json.dumps({"type": "object"}))
    gw.delete_model(restApiId=api, modelName="Pet")
    for call in (gw.get_model, gw.delete_model):
        with pytest.raises(ClientError, match="Invalid model name specified: Pet"):
            call(restApiId=api, modelName="Pet")


def test_a_request_validator_belongs_to_its_api(gw, mock_api):
    validator = gw.create_request_validator(restApiId=mock_api["api"], name="body",
                                            validateRequestBody=True)["id"]
    assert gw.get_request_validator(restApiId=mock_api["api"],
                                    requestValidatorId=validator)["name"] == "body"
    other = gw.create_rest_api(name="other")["id"]
    with pytest.raises(ClientError) as raised:
        gw.get_request_validator(restApiId=other, requestValidatorId=validator)
    assert raised.value.response["Error"]["Code"] == "NotFoundException"


def test_a_model_in_use_cannot_be_deleted_until_the_method_goes(gw, mock_api):
    api = mock_api["api"]
    gw.create_model(restApiId=api, name="Pet", contentType="application/json",
                    schema=json.dumps({"type": "object"}))
    gw.put_method(restApiId=api, resourceId=mock_api["pets"], httpMethod="POST",
                  authorizationType="NONE", requestModels={"application/json": "Pet"})
    with pytest.raises(ClientError, match="is referenced in method request: /pets/POST"):
        gw.delete_model(restApiId=api, modelName="Pet")
    gw.delete_method(restApiId=api, resourceId=mock_api["pets"], httpMethod="POST")
    gw.delete_model(restApiId=api, modelName="Pet")
