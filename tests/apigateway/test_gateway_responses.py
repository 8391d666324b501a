"""Gateway responses: the type enumeration and deleting what is set (apigateway/gateway_responses.py)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from serverless_lab.apigateway.gateway_responses import TYPES


def test_a_customised_response_can_be_deleted_once(gw, mock_api):
    api = mock_api["api"]
    gw.put_gateway_response(restApiId=api, responseType="THROTTLED", statusCode="429",
                            responseTemplates={"application/json": '{"slow": "down"}'})
    assert gw.get_gateway_response(restApiId=api, responseType="THROTTLED")["statusCode"] == "429"
    gw.delete_gateway_response(restApiId=api, responseType="THROTTLED")
    with pytest.raises(ClientError, match="Gateway response type not defined on api"):
        gw.delete_gateway_response(restApiId=api, responseType="THROTTLED")


def test_an_unknown_type_lists_every_type(gw, mock_api):
    with pytest.raises(ClientError) as raised:
        gw.get_gateway_response(restApiId=mock_api["api"], responseType="TOO_SLOW")
    error = raised.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert error["Message"].endswith("[" + ", ".join(TYPES) + "]")
    assert len(TYPES) == len(set(TYPES)) == 21
