"""Versions and aliases through plain boto3: snapshots, qualifiers, weighted routing."""

from __future__ import annotations

import collections

import boto3
import pytest
from botocore.exceptions import ClientError

from serverless_lab.awslambda.versions import Routing
from serverless_lab.deployment_package import zip_code
from tests.conftest import TRUST, invoke

SOURCE = "import os\nV = {v}\ndef handler(e, c):\n    return [V, os.environ.get('COLOUR')]\n"


def error(call) -> dict:
    with pytest.raises(ClientError) as caught:
        call()
    return caught.value.response["Error"]


@pytest.fixture
def versioned(make_function):
    """`fn` with versions 1 (code 1, red) and 2 (code 2, blue); $LATEST holds code 3."""
    client = boto3.client("lambda")
    make_function("fn", SOURCE.format(v=1), Environment={"Variables": {"COLOUR": "red"}})
    client.publish_version(FunctionName="fn")
    client.update_function_code(FunctionName="fn", ZipFile=zip_code({"app.py": SOURCE.format(v=2)}))
    client.update_function_configuration(FunctionName="fn",
                                         Environment={"Variables": {"COLOUR": "blue"}})
    client.publish_version(FunctionName="fn")
    client.update_function_code(FunctionName="fn", ZipFile=zip_code({"app.py": SOURCE.format(v=3)}))
    return client


def test_each_version_runs_its_own_code_and_variables(versioned) -> None:
    assert invoke("fn", Qualifier="1")[1] == [1, "red"]
    assert invoke("fn", Qualifier="2")[1] == [2, "blue"]
    assert invoke("fn")[1] == [3, "blue"]
    assert invoke("fn:1")[1] == [1, "red"]


def test_publishing_unchanged_code_returns_the_existing_version(make_function) -> None:
    client = boto3.client("lambda")
    make_function("same", SOURCE.format(v=1))
    assert client.publish_version(FunctionName="same")["Version"] == "1"
    assert client.publish_version(FunctionName="same")["Version"] == "1"


def test_publishing_twice_after_an_update_makes_one_version(make_function) -> None:
    client = boto3.client("lambda")
    make_function("twice", SOURCE.format(v=1))
    client.update_function_code(FunctionName="twice",
                                ZipFile=zip_code({"app.py": SOURCE.format(v=2)}))
    assert [client.publish_version(FunctionName="twice")["Version"] for _ in range(2)] == \
        ["1", "1"]


def _layer_arn() -> str:
    return boto3.client("lambda").publish_layer_version(
        LayerName="extra", Content={"ZipFile": zip_code({"python/extra.py": "X = 1\n"})},
    )["LayerVersionArn"]


def _other_role() -> str:
    return boto3.client("iam").create_role(RoleName="other-role",
                                           AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]


# Each one changes configuration only: PublishVersion then makes a new version
# (https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html).
CONFIGURATION_CHANGES = {
    "environment": lambda: {"Environment": {"Variables": {"COLOUR": "green"}}},
    "memory": lambda: {"MemorySize": 256},
    "timeout": lambda: {"Timeout": 10},
    "handler": lambda: {"Handler": "app.other"},
    "runtime": lambda: {"Runtime": "python3.13"},
    "role": lambda: {"Role": _other_role()},
    "layers": lambda: {"Layers": [_layer_arn()]},
    "ephemeral storage": lambda: {"EphemeralStorage": {"Size": 1024}},
    "description": lambda: {"Description": "second"},
}


@pytest.mark.parametrize("setting", list(CONFIGURATION_CHANGES))
def test_a_configuration_change_alone_publishes_a_new_version(make_function, setting) -> None:
    client = boto3.client("lambda")
    make_function("conf", SOURCE.format(v=1))
    assert client.publish_version(FunctionName="conf")["Version"] == "1"
    change = CONFIGURATION_CHANGES[setting]()
    client.update_function_configuration(FunctionName="conf", **change)
    published = client.publish_version(FunctionName="conf")
    assert published["Version"] == "2"
    [(key, value)] = change.items()
    shown = published[key] if key != "Layers" else [layer["Arn"] for layer in published[key]]
    assert shown == value  # version 2 locked the new setting
    assert client.publish_version(FunctionName="conf")["Version"] == "2"  # nothing new since


def test_an_update_that_changes_nothing_publishes_no_new_version(make_function) -> None:
    client = boto3.client("lambda")
    make_function("still", SOURCE.format(v=1), MemorySize=256)
    client.publish_version(FunctionName="still", Description="first release")
    client.update_function_configuration(FunctionName="still", MemorySize=256)
    client.update_function_code(FunctionName="still",
                                ZipFile=zip_code({"app.py": SOURCE.format(v=1)}))
    client.put_function_concurrency(FunctionName="still", ReservedConcurrentExecutions=5)
    assert client.publish_version(FunctionName="still")["Version"] == "1"
    versions = client.list_versions_by_function(FunctionName="still")["Versions"]
    assert [v["Version"] for v in versions] == ["$LATEST", "1"]


def test_a_published_version_cannot_be_changed(versioned) -> None:
    refused = error(lambda: versioned.update_function_configuration(FunctionName="fn:1",
                                                                     Timeout=10))
    assert refused["Code"] == "InvalidParameterValueException"
    assert "Aliases and versions do not support this operation" in refused["Message"]
    refused = error(lambda: versioned.update_function_code(
        FunctionName="fn:1", ZipFile=zip_code({"app.py": SOURCE.format(v=9)})))
    assert refused["Code"] == "InvalidParameterValueException"
    assert versioned.get_function_configuration(FunctionName="fn", Qualifier="1")["Timeout"] == 3


def test_version_keeps_its_dead_letter_config_and_memory(make_function, aws) -> None:
    queue = aws("sqs").create_queue(QueueName="dlq")["QueueUrl"]
    arn = aws("sqs").get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    dlq = {"TargetArn": arn["Attributes"]["QueueArn"]}
    client = boto3.client("lambda")
    make_function("dl", SOURCE.format(v=1), DeadLetterConfig=dlq, MemorySize=256)
    client.publish_version(FunctionName="dl")
    client.update_function_configuration(FunctionName="dl", DeadLetterConfig={"TargetArn": ""},
                                         MemorySize=512)
    v1 = client.get_function_configuration(FunctionName="dl", Qualifier="1")
    assert v1["DeadLetterConfig"] == dlq and v1["MemorySize"] == 256
    latest = client.get_function_configuration(FunctionName="dl")
    assert "DeadLetterConfig" not in latest and latest["MemorySize"] == 512


def test_alias_points_at_a_version(versioned) -> None:
    versioned.create_alias(FunctionName="fn", Name="live", FunctionVersion="1")
    response, payload = invoke("fn", Qualifier="live")
    assert payload == [1, "red"] and response["ExecutedVersion"] == "1"
    versioned.update_alias(FunctionName="fn", Name="live", FunctionVersion="2")
    assert invoke("fn", Qualifier="live")[0]["ExecutedVersion"] == "2"


def split(n: int, qualifier: str = "live") -> collections.Counter:
    return collections.Counter(invoke("fn", Qualifier=qualifier)[0]["ExecutedVersion"]
                               for _ in range(n))


def test_weighted_alias_splits_traffic_and_repeats_after_reset(lab, versioned) -> None:
    versioned.create_alias(FunctionName="fn", Name="live", FunctionVersion="1",
                           RoutingConfig={"AdditionalVersionWeights": {"2": 0.1}})
    lab.routing.reset()
    counts = split(400)
    assert set(counts) == {"1", "2"} and 20 <= counts["2"] <= 60
    lab.routing.reset()
    assert split(400) == counts


def test_routing_draws_are_seeded() -> None:
    first, second = Routing(7), Routing(7)
    picks = [first.pick("1", {"2": 0.5}) for _ in range(50)]
    assert picks == [second.pick("1", {"2": 0.5}) for _ in range(50)]
    assert set(picks) == {"1", "2"}


@pytest.mark.parametrize(("weights", "code", "message"), [
    ({"2": 2.0}, "ValidationException", "Value '{2=2.0}' at 'routingConfig.additionalVersion"
     "Weights' failed to satisfy constraint: Map value must satisfy constraint: [Member must "
     "have value less than or equal to 1.0"),
    ({"2": 0.1, "3": 0.1}, "InvalidParameterValueException",
     "Number of items in AdditionalVersionWeights cannot be greater than 1"),
    ({"1": 0.5}, "InvalidParameterValueException",
     "Invalid function version 1. Function version 1 is already included in routing "
     "configuration."),
    ({"$LATEST": 0.5}, "ValidationException", "Map keys must satisfy constraint"),
])
def test_invalid_routing_is_refused(versioned, weights, code, message) -> None:
    refused = error(lambda: versioned.create_alias(
        FunctionName="fn", Name="bad", FunctionVersion="1",
        RoutingConfig={"AdditionalVersionWeights": weights}))
    assert refused["Code"] == code and message in refused["Message"]


def test_weighted_alias_cannot_use_latest(versioned) -> None:
    refused = error(lambda: versioned.create_alias(
        FunctionName="fn", Name="bad", FunctionVersion="$LATEST",
        RoutingConfig={"AdditionalVersionWeights": {"2": 0.5}}))
    assert refused["Message"] == "$LATEST is not supported for an alias pointing to more than 1 version"


def test_alias_cannot_point_at_an_alias(versioned) -> None:
    versioned.create_alias(FunctionName="fn", Name="live", FunctionVersion="1")
    refused = error(lambda: versioned.create_alias(FunctionName="fn", Name="alias2",
                                                   FunctionVersion="live"))
    assert refused["Code"] == "ValidationException" and "functionVersion" in refused["Message"]


def test_versions_with_different_roles_cannot_share_an_alias(versioned) -> None:
    other = boto3.client("iam").create_role(RoleName="other", AssumeRolePolicyDocument=TRUST)
    versioned.update_function_configuration(FunctionName="fn", Role=other["Role"]["Arn"])
    versioned.publish_version(FunctionName="fn")
    refused = error(lambda: versioned.create_alias(
        FunctionName="fn", Name="mixed", FunctionVersion="1",
        RoutingConfig={"AdditionalVersionWeights": {"3": 0.5}}))
    assert refused["Code"] == "InvalidParameterValueException" and "role" in refused["Message"]


def test_alias_to_a_missing_version_is_not_found(versioned) -> None:
    refused = error(lambda: versioned.create_alias(FunctionName="fn", Name="x",
                                                   FunctionVersion="10"))
    assert refused["Code"] == "ResourceNotFoundException"
