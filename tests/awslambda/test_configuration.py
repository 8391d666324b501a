"""Configuration seams: what moto drops is kept, what AWS refuses is refused."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.conftest import invoke

OK = "def handler(e, c):\n    return 1\n"


def test_ephemeral_storage_is_kept_and_updated(make_function) -> None:
    client = boto3.client("lambda")
    make_function("eph", OK, EphemeralStorage={"Size": 1024})
    assert client.get_function_configuration(FunctionName="eph")["EphemeralStorage"] == \
        {"Size": 1024}
    client.update_function_configuration(FunctionName="eph", EphemeralStorage={"Size": 2048})
    assert client.get_function_configuration(FunctionName="eph")["EphemeralStorage"] == \
        {"Size": 2048}


def test_file_system_configs_are_kept(make_function, aws) -> None:
    efs = aws("efs")
    fs = efs.create_file_system(CreationToken="x")["FileSystemId"]
    point = efs.create_access_point(FileSystemId=fs)["AccessPointArn"]
    configs = [{"Arn": point, "LocalMountPath": "/mnt/x"}]
    make_function("fsys", OK, FileSystemConfigs=configs)
    assert boto3.client("lambda").get_function_configuration(
        FunctionName="fsys")["FileSystemConfigs"] == configs


def test_reserved_concurrency_zero_throttles(make_function) -> None:
    client = boto3.client("lambda")
    make_function("held", OK)
    client.put_function_concurrency(FunctionName="held", ReservedConcurrentExecutions=0)
    with pytest.raises(ClientError) as caught:
        client.invoke(FunctionName="held")
    response = caught.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert response["Error"] == {"Code": "TooManyRequestsException", "Message": "Rate Exceeded."}
    assert response["Reason"] == "ReservedFunctionConcurrentInvocationLimitExceeded"
    client.delete_function_concurrency(FunctionName="held")
    assert invoke("held")[1] == 1


def test_reserved_concurrency_covers_every_version(make_function) -> None:
    client = boto3.client("lambda")
    make_function("held", OK)
    client.publish_version(FunctionName="held")
    client.put_function_concurrency(FunctionName="held", ReservedConcurrentExecutions=0)
    with pytest.raises(ClientError):
        client.invoke(FunctionName="held", Qualifier="1")


def test_function_url_on_latest_or_alias_only(make_function) -> None:
    client = boto3.client("lambda")
    make_function("web", OK)
    client.publish_version(FunctionName="web")
    client.create_alias(FunctionName="web", Name="live", FunctionVersion="1")
    assert client.create_function_url_config(FunctionName="web", AuthType="NONE")["AuthType"] \
        == "NONE"
    with pytest.raises(ClientError) as caught:
        client.create_function_url_config(FunctionName="web", Qualifier="1", AuthType="NONE")
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    assert "at 'qualifier' failed to satisfy constraint" in caught.value.response["Error"]["Message"]


def test_reserved_concurrency_is_set_on_the_function_only(make_function) -> None:
    client = boto3.client("lambda")
    make_function("whole", OK)
    client.publish_version(FunctionName="whole")
    with pytest.raises(ClientError) as caught:
        client.put_function_concurrency(FunctionName="whole:1", ReservedConcurrentExecutions=5)
    assert "Aliases and versions do not support this operation" in \
        caught.value.response["Error"]["Message"]


def test_layer_package_must_be_a_zip(lab) -> None:
    with pytest.raises(ClientError) as caught:
        boto3.client("lambda").publish_layer_version(LayerName="bad",
                                                     Content={"ZipFile": b"not a zip"})
    assert caught.value.response["Error"]["Code"] == "InvalidParameterValueException"


def test_update_function_code_changes_latest_only(make_function) -> None:
    from serverless_lab.deployment_package import zip_code

    client = boto3.client("lambda")
    make_function("code", "def handler(e, c):\n    return 'old'\n")
    client.publish_version(FunctionName="code")
    client.update_function_code(FunctionName="code", ZipFile=zip_code(
        {"app.py": "def handler(e, c):\n    return 'new'\n"}))
    assert (invoke("code")[1], invoke("code", Qualifier="1")[1]) == ("new", "old")


def test_tags_belong_to_the_function_not_its_versions(make_function) -> None:
    client = boto3.client("lambda")
    make_function("tagged", OK, Tags={"team": "a"})
    arn = client.get_function(FunctionName="tagged")["Configuration"]["FunctionArn"]
    client.publish_version(FunctionName="tagged")
    client.tag_resource(Resource=arn, Tags={"env": "dev"})
    tags = client.list_tags(Resource=arn)["Tags"]
    assert tags == {"team": "a", "env": "dev", "serverless-lab:run": "34dae7"}  # + the lab's
    with pytest.raises(ClientError) as caught:
        client.tag_resource(Resource=f"{arn}:1", Tags={"env": "prod"})
    assert caught.value.response["Error"]["Message"] == (
        "Tags on function aliases and versions are not supported. Please specify a function ARN.")
