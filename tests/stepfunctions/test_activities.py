"""CreateActivity's tags (stepfunctions/activities.py)."""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

UNCHECKED = Config(parameter_validation=False, retries={"total_max_attempts": 1})


@pytest.mark.parametrize("tags", [[{"value": "v"}], [{"key": "", "value": "v"}],
                                  [{"key": "k" * 129, "value": "v"}]])
def test_a_bad_tag_refuses_the_activity_and_leaves_none_behind(lab, tags: list) -> None:
    sfn = boto3.client("stepfunctions", config=UNCHECKED)
    with pytest.raises(ClientError) as caught:
        sfn.create_activity(name="a1", tags=tags)
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert [a["name"] for a in sfn.list_activities()["activities"]] == []
    arn = sfn.create_activity(name="a1", tags=[{"key": "team", "value": "lab"}])["activityArn"]
    assert {"key": "team", "value": "lab"} in sfn.list_tags_for_resource(resourceArn=arn)["tags"]
