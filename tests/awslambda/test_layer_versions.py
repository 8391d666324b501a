"""Layer versions (awslambda/layer_versions.py): GetLayerVersionByArn answers what
GetLayerVersion answers; an ARN without a version fails the member's pattern."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from serverless_lab.deployment_package import zip_code


def test_by_arn_matches_by_name_and_version(lab):
    lam = boto3.client("lambda")
    zipped = zip_code({"python/helper.py": "X = 1\n"})
    lam.publish_layer_version(LayerName="l1", Content={"ZipFile": zipped})
    arn = lam.publish_layer_version(LayerName="l1", Content={"ZipFile": zipped})["LayerVersionArn"]
    by_arn = lam.get_layer_version_by_arn(Arn=arn)
    by_name = lam.get_layer_version(LayerName="l1", VersionNumber=2)
    assert by_arn["Version"] == by_name["Version"] == 2
    assert by_arn["Content"]["CodeSha256"] == by_name["Content"]["CodeSha256"]
    with pytest.raises(ClientError) as caught:
        lam.get_layer_version_by_arn(Arn=arn.rsplit(":", 1)[0])
    assert caught.value.response["Error"]["Code"] == "ValidationException"
