"""Every quota in limits.py, through plain boto3, with AWS's exception and message."""

from __future__ import annotations

import json
import random

import boto3
import pytest
from botocore.exceptions import ClientError

from serverless_lab.awslambda import limits
from serverless_lab.deployment_package import zip_code
from tests.conftest import TRUST

OK = "def handler(e, c):\n    return 1\n"


@pytest.fixture
def create(lab):
    role = boto3.client("iam").create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)

    def call(**config):
        config.setdefault("Code", {"ZipFile": zip_code({"app.py": OK})})
        return boto3.client("lambda").create_function(
            FunctionName=config.pop("FunctionName", "f"), Role=role["Role"]["Arn"],
            Runtime=config.pop("Runtime", "python3.12"), Handler="app.handler", **config)
    return call


def refused(call, **config) -> dict:
    with pytest.raises(ClientError) as caught:
        call(**config)
    return caught.value.response


@pytest.mark.parametrize(("setting", "value", "member"), [
    ({"MemorySize": 10_241}, "10241", "memorySize"),
    ({"Timeout": 901}, "901", "timeout"),
])
def test_ranges(create, setting, value, member) -> None:
    error = refused(create, **setting)["Error"]
    assert error["Code"] == "ValidationException"
    assert f"Value '{value}' at '{member}' failed to satisfy constraint: Member must have value " \
           "less than or equal to" in error["Message"]


def test_ranges_accept_their_bounds(create) -> None:
    create(MemorySize=10_240, Timeout=900, EphemeralStorage={"Size": 10_240})


def test_ephemeral_storage_over_10240_is_refused(create) -> None:
    assert refused(create, EphemeralStorage={"Size": 10_241})["Error"]["Code"] == \
        "ValidationException"


def test_environment_over_4kb_gives_aws_message(create) -> None:
    variables = {"LARGE_VAR": "x" * 4090}
    error = refused(create, Environment={"Variables": variables})["Error"]
    measured = json.dumps(variables, separators=(",", ":"))
    assert error["Code"] == "InvalidParameterValueException"
    assert error["Message"] == ("Lambda was unable to configure your environment variables "
                                "because the environment variables you have provided exceeded "
                                f"the 4KB limit. String measured: {measured}")


def test_environment_of_exactly_4kb_is_accepted(create) -> None:
    # {"V":"..."} is 8 bytes of JSON around the value
    create(Environment={"Variables": {"VV": "x" * (4096 - 9)}})


def test_reserved_keys_are_refused(create) -> None:
    error = refused(create, Environment={"Variables": {"AWS_REGION": "eu-west-1"}})["Error"]
    assert error["Code"] == "InvalidParameterValueException"
    assert error["Message"].endswith("Reserved keys used in this request: AWS_REGION")


def test_bad_key_is_a_validation_error(create) -> None:
    error = refused(create, Environment={"Variables": {"1BAD": "x"}})["Error"]
    assert error["Code"] == "ValidationException"


def test_unknown_and_deprecated_runtimes(create) -> None:
    error = refused(create, Runtime="non-existent-runtime")["Error"]
    assert error["Message"].startswith("Value non-existent-runtime at 'runtime' failed to "
                                       "satisfy constraint: Member must satisfy enum value set:")
    error = refused(create, Runtime="python3.7")["Error"]
    assert "python3.7 is no longer supported" in error["Message"]


def test_more_than_five_layers(create) -> None:
    client = boto3.client("lambda")
    arns = [client.publish_layer_version(LayerName=f"l{i}", Content={"ZipFile": zip_code(
        {f"python/m{i}.py": "x = 1\n"})})["LayerVersionArn"] for i in range(6)]
    error = refused(create, Layers=arns)["Error"]
    assert (error["Code"], error["Message"]) == ("InvalidParameterValueException",
                                                 "Cannot reference more than 5 layers.")
    create(Layers=arns[:5])


def incompressible(size: int) -> bytes:
    return random.Random(0).randbytes(size)


def test_direct_upload_over_50mb_is_refused_and_s3_works(create, aws) -> None:
    package = zip_code({"app.py": OK, "blob.bin": incompressible(51 * 1024 * 1024)})
    response = refused(create, Code={"ZipFile": package})
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 413
    assert response["Error"] == {"Code": "RequestEntityTooLargeException",
                                 "Message": "Zipped size must be smaller than 52428800 bytes"}
    aws("s3").create_bucket(Bucket="code-bucket")
    aws("s3").put_object(Bucket="code-bucket", Key="big.zip", Body=package)
    create(Code={"S3Bucket": "code-bucket", "S3Key": "big.zip"})
    assert boto3.client("lambda").invoke(FunctionName="f")["StatusCode"] == 200


def test_unzipped_over_250mb_is_refused(create, aws) -> None:
    package = zip_code({"app.py": OK, "zeros.bin": bytes(limits.UNZIPPED_TOTAL)})
    error = refused(create, Code={"ZipFile": package})["Error"]
    assert (error["Code"], error["Message"]) == (
        "InvalidParameterValueException", "Unzipped size must be smaller than 262144000 bytes")
    aws("s3").create_bucket(Bucket="code-bucket")
    aws("s3").put_object(Bucket="code-bucket", Key="huge.zip", Body=package)
    error = refused(create, Code={"S3Bucket": "code-bucket", "S3Key": "huge.zip"})["Error"]
    assert error["Code"] == "InvalidParameterValueException"
    assert boto3.client("lambda").list_functions()["Functions"] == []  # nothing was created


def test_async_payload_over_1mb_is_refused(create) -> None:
    create()
    payload = json.dumps("a" * (1024 * 1024 + 10))
    with pytest.raises(ClientError) as caught:
        boto3.client("lambda").invoke(FunctionName="f", InvocationType="Event", Payload=payload)
    assert caught.value.response["Error"]["Code"] == "RequestTooLargeException"
    assert boto3.client("lambda").invoke(FunctionName="f", Payload=payload)["StatusCode"] == 200


def test_update_configuration_is_checked_too(create) -> None:
    create()
    client = boto3.client("lambda")
    with pytest.raises(ClientError) as caught:
        client.update_function_configuration(FunctionName="f", Timeout=901)
    assert caught.value.response["Error"]["Code"] == "ValidationException"
