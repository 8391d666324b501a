"""Tags by resource ARN: REST APIs, stages and other API Gateway resources (apigateway/tags.py)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError


def _arn(path: str) -> str:
    return f"arn:aws:apigateway:us-east-1::{path}"


def test_a_rest_apis_tags_are_the_ones_get_rest_api_shows(gw, mock_api):
    arn = _arn(f"/restapis/{mock_api['api']}")
    answer = gw.tag_resource(resourceArn=arn, tags={"team": "books"})
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert gw.get_rest_api(restApiId=mock_api["api"])["tags"]["team"] == "books"
    assert gw.get_tags(resourceArn=arn)["tags"]["team"] == "books"


def test_untag_removes_only_the_named_keys_of_a_stage(gw, mock_api):
    gw.create_deployment(restApiId=mock_api["api"], stageName="dev")
    arn = _arn(f"/restapis/{mock_api['api']}/stages/dev")
    gw.tag_resource(resourceArn=arn, tags={"team": "books", "tier": "gold"})
    answer = gw.untag_resource(resourceArn=arn, tagKeys=["team"])
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert gw.get_tags(resourceArn=arn)["tags"] == {"tier": "gold"}
    assert gw.get_stage(restApiId=mock_api["api"], stageName="dev")["tags"] == {"tier": "gold"}


def test_other_resources_keep_their_tags_by_arn_until_the_reset(lab, gw):
    arn = _arn("/apikeys/k1")
    gw.tag_resource(resourceArn=arn, tags={"team": "books"})
    assert gw.get_tags(resourceArn=arn)["tags"] == {"team": "books"}
    assert gw.get_tags(resourceArn=_arn("/apikeys/k2"))["tags"] == {}
    lab.reset()
    assert gw.get_tags(resourceArn=arn)["tags"] == {}


@pytest.mark.parametrize("path, code, message", [
    ("/restapis/nope", "NotFoundException", "Invalid API identifier specified 123456789012:nope"),
    ("/restapis/{api}/stages/nope", "NotFoundException", "Invalid Stage identifier specified"),
])
def test_a_missing_api_or_stage_is_not_found(gw, mock_api, path, code, message):
    with pytest.raises(ClientError) as caught:
        gw.get_tags(resourceArn=_arn(path.format(api=mock_api["api"])))
    assert caught.value.response["Error"] == {"Code": code, "Message": message}


def test_an_arn_of_another_service_is_a_bad_request(gw):
    with pytest.raises(ClientError) as caught:
        gw.tag_resource(resourceArn="arn:aws:lambda:us-east-1:123456789012:function:f1",
                        tags={"team": "books"})
    assert caught.value.response["Error"]["Code"] == "BadRequestException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
