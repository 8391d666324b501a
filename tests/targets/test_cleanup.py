"""The clean-up deletes exactly one run's resources (or every run's), in an order AWS accepts,
and says what it did. Lookalikes are made with a fresh ``boto3.session.Session()``, which
carries no run-tagging handler, so only the tags written here exist."""

from __future__ import annotations

import argparse
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from types import SimpleNamespace
from typing import Any

import boto3
import botocore.loaders
import botocore.session
import pytest
from botocore.exceptions import ClientError

from serverless_lab.deployment_package import zip_code
from serverless_lab.targets import cleanup as cleaning
from serverless_lab.targets.cleanup import Report, add_parser, cleanup, run
from serverless_lab.targets.tagging import TAG_KEY

A, B = "aaaaaa", "bbbbbb"
LOADER = botocore.loaders.create_loader()  # service models, read once for every session
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
    "Action": "sts:AssumeRole"}]})
POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})
DEFINITION = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
CODE = {"ZipFile": zip_code({"app.py": "def handler(event, context):\n    return 1\n"})}
KEY = [{"AttributeName": "k", "KeyType": "HASH"}]
ATTRIBUTES = [{"AttributeName": "k", "AttributeType": "S"}]


def mapping(run: str | None) -> dict[str, str]:
    return {TAG_KEY: run} if run else {}


def pairs(run: str | None, key: str = "Key", value: str = "Value") -> list[dict[str, str]]:
    return [{key: TAG_KEY, value: run}] if run else []


def given(parameter: str, tags: Any) -> dict[str, Any]:
    """The tag parameter only when there are tags (some APIs refuse an empty list)."""
    return {parameter: tags} if tags else {}


def ec2_tags(kind: str, run: str | None) -> dict[str, Any]:
    return given("TagSpecifications", run and [{"ResourceType": kind, "Tags": pairs(run)}])


def plain_session(region: str | None = None) -> boto3.session.Session:
    """A new session (no handlers) that reuses the service models already read."""
    core = botocore.session.Session()
    core.register_component("data_loader", LOADER)
    return boto3.session.Session(botocore_session=core, region_name=region)


class World:
    """What the cases need: a plain session and shared, untagged, unprefixed holders."""

    def __init__(self) -> None:
        self.session = plain_session()
        self.numbers = itertools.count(1)
        self.clients: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        if service not in self.clients:
            self.clients[service] = self.session.client(service)
        return self.clients[service]

    @cached_property
    def role(self) -> str:
        return self.client("iam").create_role(
            RoleName="test-role", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]

    @cached_property
    def vpc(self) -> str:
        return self.client("ec2").create_vpc(CidrBlock="10.200.0.0/16")["Vpc"]["VpcId"]

    @cached_property
    def file_system(self) -> str:
        return self.client("efs").create_file_system(CreationToken="holder")["FileSystemId"]


@dataclass
class Case:
    kind: str
    create: Callable[[World, str, str | None], str]  # (world, name, run tag) -> id
    listing: Callable[[World], set[str]]
    variants: dict[str, tuple[str, str | None]]
    reported: Callable[[str], str] = lambda made: made
    id: str = ""
    made: dict[str, str] = field(default_factory=dict)

    def build(self, world: World) -> None:
        self.made = {variant: self.create(world, name, run)
                     for variant, (name, run) in self.variants.items()}

    def survivors(self, world: World) -> set[str]:
        present = self.listing(world)
        return {variant for variant, made in self.made.items() if made in present}


NAMED_AND_TAGGED = {
    "ours": (f"slb-{A}-x", A), "other run": (f"slb-{B}-x", B),
    "untagged": (f"slb-{A}-untagged", None), "tag without prefix": ("lab-x", A),
    "tags disagree": (f"slb-{A}-disagree", B), "unrelated": ("unrelated", None),
}
NAMED = {"ours": (f"slb-{A}-x", None), "other run": (f"slb-{B}-x", None),
         "seven hex digits": (f"slb-{A}a-x", None), "unrelated": ("unrelated-x", None)}
TAGGED = {"ours": ("ours", A), "other run": ("other", B), "untagged": ("untagged", None),
          "not a run id": ("not-a-run", "lab")}


def _function(w: World, name: str, run: str | None) -> str:
    w.client("lambda").create_function(FunctionName=name, Runtime="python3.12", Role=w.role,
                                       Handler="app.handler", Code=CODE,
                                       **given("Tags", mapping(run)))
    return name


def _functions(w: World) -> set[str]:
    return {f["FunctionName"] for f in w.client("lambda").list_functions()["Functions"]}


def _api(operation: str) -> Callable[[World, str, str | None], str]:
    def create(w: World, name: str, run: str | None) -> str:
        getattr(w.client("apigateway"), operation)(name=name, **given("tags", mapping(run)))
        return name
    return create


def _api_names(operation: str) -> Callable[[World], set[str]]:
    return lambda w: {i["name"] for i in getattr(w.client("apigateway"), operation)()["items"]}


def _state_machine(w: World, name: str, run: str | None) -> str:
    w.client("stepfunctions").create_state_machine(
        name=name, definition=DEFINITION, roleArn=w.role,
        **given("tags", pairs(run, "key", "value")))
    return name


def _rule(w: World, name: str, run: str | None) -> str:
    w.client("events").put_rule(Name=name, ScheduleExpression="rate(1 hour)",
                                **given("Tags", pairs(run)))
    return name


def _log_group(w: World, name: str, run: str | None) -> str:
    w.client("logs").create_log_group(logGroupName=name, **given("tags", mapping(run)))
    return name


def _log_groups(w: World) -> set[str]:
    return {g["logGroupName"] for g in w.client("logs").describe_log_groups()["logGroups"]}


def _queue(w: World, name: str, run: str | None) -> str:
    w.client("sqs").create_queue(QueueName=name, **given("tags", mapping(run)))
    return name


def _topic(w: World, name: str, run: str | None) -> str:
    w.client("sns").create_topic(Name=name, **given("Tags", pairs(run)))
    return name


def _table(w: World, name: str, run: str | None) -> str:
    w.client("dynamodb").create_table(TableName=name, KeySchema=KEY,
                                      AttributeDefinitions=ATTRIBUTES,
                                      BillingMode="PAY_PER_REQUEST", **given("Tags", pairs(run)))
    return name


def _role(w: World, name: str, run: str | None) -> str:
    w.client("iam").create_role(RoleName=name, AssumeRolePolicyDocument=TRUST,
                                **given("Tags", pairs(run)))
    return name


def _policy(w: World, name: str, run: str | None) -> str:
    w.client("iam").create_policy(PolicyName=name, PolicyDocument=POLICY,
                                  **given("Tags", pairs(run)))
    return name


def _bucket(w: World, name: str, run: str | None) -> str:
    w.client("s3").create_bucket(Bucket=name)
    return name


def _layer(w: World, name: str, run: str | None) -> str:
    w.client("lambda").publish_layer_version(LayerName=name, Content=CODE)
    return name


def _file_system(w: World, name: str, run: str | None) -> str:
    return w.client("efs").create_file_system(
        CreationToken=name, **given("Tags", pairs(run)))["FileSystemId"]


def _access_point(w: World, name: str, run: str | None) -> str:
    return w.client("efs").create_access_point(
        FileSystemId=w.file_system, **given("Tags", pairs(run)))["AccessPointId"]


def _vpc(w: World, name: str, run: str | None) -> str:
    cidr = f"10.{next(w.numbers)}.0.0/16"
    return w.client("ec2").create_vpc(CidrBlock=cidr, **ec2_tags("vpc", run))["Vpc"]["VpcId"]


def _subnet(w: World, name: str, run: str | None) -> str:
    return w.client("ec2").create_subnet(
        VpcId=w.vpc, CidrBlock=f"10.200.{next(w.numbers)}.0/24",
        **ec2_tags("subnet", run))["Subnet"]["SubnetId"]


def _group(w: World, name: str, run: str | None) -> str:
    return w.client("ec2").create_security_group(
        VpcId=w.vpc, GroupName=name, Description="test",
        **ec2_tags("security-group", run))["GroupId"]


def _ids(service: str, operation: str, key: str, id_key: str) -> Callable[[World], set[str]]:
    return lambda w: {i[id_key] for i in getattr(w.client(service), operation)()[key]}


def cases() -> list[Case]:
    """Fresh cases (each records what it made)."""
    def named_and_tagged(kind: str, create: Any, listing: Any) -> Case:
        return Case(kind, create, listing, NAMED_AND_TAGGED, id=kind)
    return [
        named_and_tagged("lambda function", _function, _functions),
        named_and_tagged("api gateway usage plan", _api("create_usage_plan"),
                         _api_names("get_usage_plans")),
        named_and_tagged("api gateway api key", _api("create_api_key"),
                         _api_names("get_api_keys")),
        named_and_tagged("api gateway rest api", _api("create_rest_api"),
                         _api_names("get_rest_apis")),
        named_and_tagged("step functions state machine", _state_machine, lambda w: {
            m["name"] for m in w.client("stepfunctions").list_state_machines()["stateMachines"]}),
        named_and_tagged("eventbridge rule", _rule, lambda w: {
            r["Name"] for r in w.client("events").list_rules()["Rules"]}),
        named_and_tagged("cloudwatch log group", _log_group, _log_groups),
        named_and_tagged("sqs queue", _queue, lambda w: {
            url.rsplit("/", 1)[-1] for url in w.client("sqs").list_queues().get("QueueUrls", [])}),
        named_and_tagged("sns topic", _topic, lambda w: {
            t["TopicArn"].rsplit(":", 1)[-1] for t in w.client("sns").list_topics()["Topics"]}),
        named_and_tagged("dynamodb table", _table,
                         lambda w: set(w.client("dynamodb").list_tables()["TableNames"])),
        named_and_tagged("iam role", _role,
                         lambda w: {r["RoleName"] for r in w.client("iam").list_roles()["Roles"]}),
        named_and_tagged("iam policy", _policy, lambda w: {
            p["PolicyName"] for p in w.client("iam").list_policies(Scope="Local")["Policies"]}),
        Case("s3 bucket", _bucket, lambda w: {
            b["Name"] for b in w.client("s3").list_buckets()["Buckets"]}, NAMED, id="s3 bucket"),
        Case("lambda layer version", _layer, lambda w: {
            la["LayerName"] for la in w.client("lambda").list_layers()["Layers"]}, NAMED,
             reported=lambda name: f"{name}:1", id="lambda layer"),
        Case("cloudwatch log group", _log_group, _log_groups,
             {variant: ("/aws/lambda/" + name, run) for variant, (name, run) in NAMED.items()},
             id="log group lambda made"),
        Case("efs file system", _file_system, _ids("efs", "describe_file_systems", "FileSystems",
                                                   "FileSystemId"), TAGGED, id="efs file system"),
        Case("efs access point", _access_point, _ids(
            "efs", "describe_access_points", "AccessPoints", "AccessPointId"), TAGGED,
             id="efs access point"),
        Case("ec2 vpc", _vpc, _ids("ec2", "describe_vpcs", "Vpcs", "VpcId"), TAGGED, id="ec2 vpc"),
        Case("ec2 subnet", _subnet, _ids("ec2", "describe_subnets", "Subnets", "SubnetId"), TAGGED,
             id="ec2 subnet"),
        Case("ec2 security group", _group, _ids(
            "ec2", "describe_security_groups", "SecurityGroups", "GroupId"), TAGGED,
             id="ec2 security group"),
    ]


@pytest.fixture
def world(lab: Any) -> World:
    return World()


def build(world: World) -> list[Case]:
    every = cases()
    for case in every:
        case.build(world)
    return every


def survivors(world: World, every: list[Case]) -> dict[str, set[str]]:
    return {case.id: case.survivors(world) for case in every}


def test_one_run_deletes_its_own_of_each_kind_and_nothing_else(world: World) -> None:
    every = build(world)
    before = survivors(world, every)
    planned = cleanup(A, world.session, dry_run=True)
    assert survivors(world, every) == before
    report = cleanup(A, world.session)
    assert survivors(world, every) == {case.id: set(case.made) - {"ours"} for case in every}
    expected: dict[str, list[str]] = {}
    for case in every:
        expected.setdefault(case.kind, []).append(case.reported(case.made["ours"]))
    assert report.deleted == {kind: sorted(names) for kind, names in expected.items()}
    assert report.failed == {}
    assert planned.deleted == report.deleted and planned.failed == {}
    assert planned.summary() == report.summary().replace("deleted", "would delete", 1)
    assert cleanup(A, world.session).summary() == "nothing to delete"


def test_every_run_deletes_each_runs_own_and_no_lookalike(world: World) -> None:
    every = build(world)
    report = cleanup(None, world.session)
    assert survivors(world, every) == {
        case.id: set(case.made) - {"ours", "other run"} for case in every}
    assert sum(map(len, report.deleted.values())) == 2 * len(every)
    assert report.failed == {}


def test_the_summary_counts_each_kind_in_deletion_order() -> None:
    report = Report(deleted={"iam policy": ["slb-aaaaaa-p", "slb-aaaaaa-q"],
                             "lambda function": ["slb-aaaaaa-hello"],
                             "api gateway api key": ["slb-aaaaaa-k1", "slb-aaaaaa-k2"]})
    assert report.summary() == ("deleted 2 API Gateway API keys, 1 Lambda function, "
                                "2 IAM policies")
    report.failed["sns topic slb-aaaaaa-t"] = "AccessDenied: no"
    assert report.summary().endswith("2 IAM policies; 1 failed")
    assert Report(dry_run=True).summary() == "nothing to delete"


def spy(session: boto3.session.Session) -> list[str]:
    """Every operation the session's clients call, in order."""
    calls: list[str] = []
    session.events.register("before-call", lambda model, **_: calls.append(model.name))
    return calls


def fail(session: boto3.session.Session, event: str, code: str,
         when: Callable[[dict[str, Any]], bool] = lambda params: True) -> list[str]:
    """Make ``event`` answer ``code`` while ``when(params)``; returns the failed calls."""
    failures: list[str] = []

    def handler(params: dict[str, Any], model: Any, **_: Any) -> None:
        if when(params):
            failures.append(model.name)
            raise ClientError({"Error": {"Code": code, "Message": "injected"}}, model.name)
    session.events.register(f"before-parameter-build.{event}", handler)
    return failures


def test_event_source_mappings_of_the_runs_functions_go_first(world: World) -> None:
    sqs = world.client("sqs")
    lam = world.client("lambda")
    queue = sqs.create_queue(QueueName="source")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    uuids = {}
    for run_id in (A, B):
        _function(world, f"slb-{run_id}-fn", run_id)
        uuids[run_id] = lam.create_event_source_mapping(
            EventSourceArn=arn["Attributes"]["QueueArn"], FunctionName=f"slb-{run_id}-fn")["UUID"]
    calls = spy(world.session)
    report = cleanup(A, world.session)
    left = {m["UUID"] for m in lam.list_event_source_mappings()["EventSourceMappings"]}
    assert left == {uuids[B]}
    assert report.deleted["lambda event source mapping"] == [uuids[A]]
    assert calls.index("DeleteEventSourceMapping") < calls.index("DeleteFunction")


def test_execution_logs_go_with_the_runs_apis(world: World) -> None:
    apis = {run: world.client("apigateway").create_rest_api(
        name=f"slb-{run}-api", tags=mapping(run))["id"] for run in (A, B)}
    groups = {run: _log_group(world, f"API-Gateway-Execution-Logs_{api}/prod", None)
              for run, api in apis.items()}
    report = cleanup(A)  # boto3's default session reaches the lab too
    assert groups[A] not in _log_groups(world) and groups[B] in _log_groups(world)
    assert report.deleted["cloudwatch log group"] == [groups[A]]


def test_a_usage_plan_loses_its_keys_and_stages_before_it_is_deleted(world: World) -> None:
    api = world.client("apigateway")
    rest = api.create_rest_api(name=f"slb-{A}-api", tags=mapping(A))["id"]
    root = api.get_resources(restApiId=rest)["items"][0]["id"]
    api.put_method(restApiId=rest, resourceId=root, httpMethod="GET", authorizationType="NONE")
    api.put_integration(restApiId=rest, resourceId=root, httpMethod="GET", type="MOCK")
    api.create_deployment(restApiId=rest, stageName="dev")
    plan = api.create_usage_plan(name=f"slb-{A}-plan", tags=mapping(A),
                                 apiStages=[{"apiId": rest, "stage": "dev"}])["id"]
    key = api.create_api_key(name=f"slb-{A}-key", tags=mapping(A), enabled=True)["id"]
    api.create_usage_plan_key(usagePlanId=plan, keyId=key, keyType="API_KEY")
    calls = spy(world.session)
    report = cleanup(A, world.session)
    # moto deletes a plan that still has stages; AWS refuses, so the order is checked here.
    assert calls.index("DeleteUsagePlanKey") < calls.index("UpdateUsagePlan") < \
        calls.index("DeleteUsagePlan") < calls.index("DeleteRestApi")
    assert not api.get_usage_plans()["items"] and not api.get_api_keys()["items"]
    assert not api.get_rest_apis()["items"] and report.failed == {}


def test_roles_and_policies_are_emptied_and_detached_first(world: World) -> None:
    iam = world.client("iam")
    policy = iam.create_policy(PolicyName=f"slb-{A}-p", PolicyDocument=POLICY,
                               Tags=pairs(A))["Policy"]["Arn"]
    iam.create_policy_version(PolicyArn=policy, PolicyDocument=POLICY, SetAsDefault=True)
    _role(world, f"slb-{A}-role", A)
    for role in (f"slb-{A}-role", world.role.rsplit("/", 1)[-1]):
        iam.attach_role_policy(RoleName=role, PolicyArn=policy)
    iam.put_role_policy(RoleName=f"slb-{A}-role", PolicyName="inline", PolicyDocument=POLICY)
    calls = spy(world.session)
    report = cleanup(A, world.session)
    assert report.deleted == {"iam role": [f"slb-{A}-role"], "iam policy": [f"slb-{A}-p"]}
    assert {r["RoleName"] for r in iam.list_roles()["Roles"]} == {"test-role"}
    assert not iam.list_attached_role_policies(RoleName="test-role")["AttachedPolicies"]
    # moto deletes an attached policy and its versions with it; AWS refuses.
    assert calls.index("DeletePolicyVersion") < calls.index("DeletePolicy")
    assert calls.count("DetachRolePolicy") == 2 and calls.count("DeleteRolePolicy") == 1


def test_a_rule_loses_its_targets_and_a_bucket_every_version(world: World) -> None:
    queue = world.client("sqs").create_queue(QueueName="target")["QueueUrl"]
    arn = world.client("sqs").get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    _rule(world, f"slb-{A}-rule", A)
    world.client("events").put_targets(Rule=f"slb-{A}-rule", Targets=[
        {"Id": str(n), "Arn": arn["Attributes"]["QueueArn"]} for n in range(3)])
    s3 = world.client("s3")
    _bucket(world, f"slb-{A}-data", None)
    s3.put_bucket_versioning(Bucket=f"slb-{A}-data",
                             VersioningConfiguration={"Status": "Enabled"})
    for body in (b"1", b"2"):
        s3.put_object(Bucket=f"slb-{A}-data", Key="k", Body=body)
    s3.delete_object(Bucket=f"slb-{A}-data", Key="k")  # a delete marker
    report = cleanup(A, world.session)
    assert report.failed == {}
    assert report.deleted == {"eventbridge rule": [f"slb-{A}-rule"],
                              "s3 bucket": [f"slb-{A}-data"]}
    assert not s3.list_buckets()["Buckets"]
    assert world.client("sqs").list_queues()["QueueUrls"] == [queue]


def test_a_bucket_in_another_region_is_left_alone(world: World) -> None:
    world.client("s3").create_bucket(
        Bucket=f"slb-{A}-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert cleanup(A, world.session).summary() == "nothing to delete"
    eu = plain_session("eu-west-1")
    assert cleanup(A, eu).deleted == {"s3 bucket": [f"slb-{A}-eu"]}


def storage_lab(world: World) -> dict[str, Any]:
    """Lab 4's network and file system, tagged with run A."""
    ec2, efs = world.client("ec2"), world.client("efs")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", **ec2_tags("vpc", A))["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=zone,
                                 **ec2_tags("subnet", A))["Subnet"]["SubnetId"]
               for n, zone in ((1, "us-east-1a"), (2, "us-east-1b"))]
    groups = [ec2.create_security_group(GroupName=name, VpcId=vpc, Description="d",
                                        **ec2_tags("security-group", A))["GroupId"]
              for name in ("lambda-sg", "efs-sg")]
    ec2.authorize_security_group_ingress(GroupId=groups[1], IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": 2049, "ToPort": 2049,
        "UserIdGroupPairs": [{"GroupId": groups[0]}]}])
    fs = efs.create_file_system(CreationToken="shared", Tags=pairs(A))["FileSystemId"]
    targets = [efs.create_mount_target(FileSystemId=fs, SubnetId=subnet,
                                       SecurityGroups=[groups[1]])["MountTargetId"]
               for subnet in subnets]
    point = efs.create_access_point(FileSystemId=fs, Tags=pairs(A))["AccessPointId"]
    default = ec2.describe_security_groups(Filters=[  # AWS deletes it with the VPC
        {"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}])
    ec2.create_tags(Resources=[default["SecurityGroups"][0]["GroupId"]], Tags=pairs(A))
    return {"vpc": vpc, "subnets": subnets, "groups": groups, "fs": fs, "targets": targets,
            "point": point}


def test_a_file_system_and_its_network_go_in_order(world: World) -> None:
    made = storage_lab(world)
    ec2 = world.client("ec2")
    lambda_sg = made["groups"][0]

    def still_named(params: dict[str, Any]) -> bool:
        """AWS refuses to delete lambda-sg while efs-sg's rule names it (moto does not)."""
        groups = ec2.describe_security_groups(Filters=[
            {"Name": "vpc-id", "Values": [made["vpc"]]}])["SecurityGroups"]
        return params["GroupId"] == lambda_sg and len(groups) == 3
    refused = fail(world.session, "ec2.DeleteSecurityGroup", "DependencyViolation", still_named)
    calls = spy(world.session)
    sleeps: list[float] = []
    report = cleanup(A, world.session, sleep=sleeps.append)
    assert report.failed == {} and sleeps == []
    assert refused == ["DeleteSecurityGroup"]  # first pass; the second pass deletes it
    assert report.deleted == {
        "efs access point": [made["point"]], "efs mount target": sorted(made["targets"]),
        "efs file system": [made["fs"]], "ec2 security group": sorted(made["groups"]),
        "ec2 subnet": sorted(made["subnets"]), "ec2 vpc": [made["vpc"]]}
    assert calls.index("DeleteMountTarget") < calls.index("DeleteFileSystem") < \
        calls.index("DeleteSecurityGroup") < calls.index("DeleteSubnet") < \
        calls.index("DeleteVpc")
    assert made["vpc"] not in {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]}


def deleting_mount_targets(session: boto3.session.Session, answers: int) -> None:
    """After the first DeleteMountTarget, DescribeMountTargets says 'deleting' ``answers``
    times, as on AWS while a mount target goes."""
    state = {"left": 0, "started": False}

    def started(**_: Any) -> None:
        if not state["started"]:
            state["started"], state["left"] = True, answers

    def describe(params: dict[str, Any], **_: Any) -> Any:
        if state["left"]:
            state["left"] -= 1
            return SimpleNamespace(status_code=200, headers={}), {"MountTargets": [
                {"MountTargetId": "fsmt-gone", "LifeCycleState": "deleting"}]}
        return None
    session.events.register("before-call.efs.DeleteMountTarget", started)
    session.events.register("before-call.efs.DescribeMountTargets", describe)


def test_a_file_system_waits_politely_for_its_mount_targets(world: World) -> None:
    made = storage_lab(world)
    deleting_mount_targets(world.session, answers=2)
    sleeps: list[float] = []
    report = cleanup(A, world.session, sleep=sleeps.append)
    assert sleeps == [cleaning.POLL_SECONDS] * 2
    assert report.deleted["efs file system"] == [made["fs"]] and report.failed == {}


def test_the_wait_for_mount_targets_is_bounded(world: World) -> None:
    made = storage_lab(world)
    deleting_mount_targets(world.session, answers=10_000)
    sleeps: list[float] = []
    report = cleanup(A, world.session, sleep=sleeps.append)
    assert len(sleeps) == cleaning.POLLS
    assert report.failed == {f"efs file system {made['fs']}":
                             "its mount targets were still being deleted after 300 s"}
    assert "efs file system" not in report.deleted
    assert report.deleted["ec2 vpc"] == [made["vpc"]]  # moto: mount targets hold no ENIs


def test_a_throttled_delete_waits_and_tries_again(world: World) -> None:
    _api("create_rest_api")(world, f"slb-{A}-api", A)
    _api("create_rest_api")(world, f"slb-{A}-api2", A)
    throttled = fail(world.session, "apigateway.DeleteRestApi", "TooManyRequestsException",
                     lambda params: len(throttled) < 1)
    sleeps: list[float] = []
    report = cleanup(A, world.session, sleep=sleeps.append)
    assert sleeps == [cleaning.RETRY_SECONDS] and report.failed == {}
    assert report.deleted == {"api gateway rest api": [f"slb-{A}-api", f"slb-{A}-api2"]}


def test_a_failure_is_reported_and_the_rest_still_goes(world: World) -> None:
    for create in (_topic, _queue, _role):
        create(world, f"slb-{A}-x", A)
    _topic(world, f"slb-{A}-y", A)
    fail(world.session, "sns.DeleteTopic", "AuthorizationError",
         lambda params: params["TopicArn"].endswith("-x"))
    fail(world.session, "sqs.ListQueues", "AccessDenied")
    report = cleanup(A, world.session)
    assert report.failed == {f"sns topic slb-{A}-x": "AuthorizationError: injected",
                             "sqs queue *": "AccessDenied: injected"}
    assert report.deleted == {"sns topic": [f"slb-{A}-y"], "iam role": [f"slb-{A}-x"]}
    assert report.summary() == "deleted 1 SNS topic, 1 IAM role; 2 failed"
    assert {t["TopicArn"].rsplit(":", 1)[-1] for t in world.client("sns").list_topics()[
        "Topics"]} == {f"slb-{A}-x"}


def test_a_resource_already_gone_counts_as_deleted(world: World) -> None:
    _function(world, f"slb-{A}-x", A)
    fail(world.session, "lambda.DeleteFunction", "ResourceNotFoundException")
    report = cleanup(A, world.session)
    assert report.deleted == {"lambda function": [f"slb-{A}-x"]} and report.failed == {}


def test_a_run_id_is_six_hex_digits(lab: Any) -> None:
    for wrong in ("AAAAAA", "aaaaa", "slb-aaaaaa", "aaaaaaa"):
        with pytest.raises(ValueError):
            cleanup(wrong)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="serverless-lab")
    add_parser(top.add_subparsers(dest="command", required=True))
    return top


def test_the_command_line_says_where_and_what(lab: Any, world: World, capsys: Any) -> None:
    _function(world, f"slb-{A}-hello", A)
    _role(world, f"slb-{A}-role", A)
    common = ["cleanup", "--run", A, "--region", "us-east-1", "--endpoint-url", lab.endpoint_url]
    args = parser().parse_args([*common, "--dry-run"])
    assert args.handler(args) == 0
    where = (f"cleaning up run {A} in account 123456789012, region us-east-1, "
             f"endpoint {lab.endpoint_url}")
    assert capsys.readouterr().out.splitlines() == [
        where, f"  would delete Lambda function slb-{A}-hello",
        f"  would delete IAM role slb-{A}-role",
        "would delete 1 Lambda function, 1 IAM role"]
    assert run(parser().parse_args(common)) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "deleted 1 Lambda function, 1 IAM role"
    assert _functions(world) == set()
    assert run(parser().parse_args(["cleanup"])) == 0
    assert capsys.readouterr().out.splitlines() == [
        where.replace(f"run {A}", "every run"), "nothing to delete"]


def test_the_command_line_fails_when_something_failed(lab: Any, capsys: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    failed = Report(failed={f"sns topic slb-{A}-x": "AuthorizationError: no"})
    monkeypatch.setattr(cleaning, "cleanup", lambda *args, **kwargs: failed)
    assert run(parser().parse_args(["cleanup", "--run", A])) == 1
    assert capsys.readouterr().out.splitlines()[1:] == [
        f"  FAILED sns topic slb-{A}-x: AuthorizationError: no", "nothing to delete; 1 failed"]


def test_the_command_line_refuses_a_bad_run_id(capsys: Any) -> None:
    with pytest.raises(SystemExit) as exit_:
        parser().parse_args(["cleanup", "--run", "xyz123"])
    assert exit_.value.code == 2
    assert "a run id is six hex digits, like 0a1b2c: 'xyz123'" in capsys.readouterr().err
