"""Clean-up: delete exactly the resources of one lab run (or of every run), nothing else.

Which resources belong to a run, and how each kind is found: ``run_resources.py``. Plain
boto3 calls: the same code cleans the emulator and a real account. What AWS requires:

* Event source mappings outlive their function; aliases, versions and the URL go with it
  (https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunction.html).
* "Cannot delete Usage Plan ... because there are API Stages associated with it": one
  ``UpdateUsagePlan`` removes them (1 request every 20 s per account). ``DeleteRestApi``
  allows 1 request every 30 s per account: a throttled call waits ``RETRY_SECONDS``
  (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
* "Before you can delete the rule, you must remove all targets"
  (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteRule.html).
* "All objects (including all object versions and delete markers) in the bucket must be
  deleted before the bucket itself can be deleted"
  (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html).
* IAM: a role loses its managed and inline policies first; a policy is detached everywhere
  and loses its non-default versions first
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-delete.html).
* EFS: "if the file system has any mount targets, you must first delete them"; they go
  asynchronously, so ``DescribeMountTargets`` is polled, at most ``POLLS`` times
  (https://docs.aws.amazon.com/efs/latest/ug/API_DeleteFileSystem.html).
* EC2 answers ``DependencyViolation`` while something uses a group, subnet or VPC: failures
  are retried while a pass over the kind makes progress (a group named in another group's
  rule); a VPC function's network interfaces can outlive it by many minutes
  (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html).

One failure never stops the rest (``Report.failed``); a resource already gone counts as
deleted, so a clean-up can run again.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from serverless_lab.targets.run_resources import (
    Context,
    Finder,
    Found,
    Sleep,
    access_points,
    buckets,
    by_name_and_tag,
    ec2,
    error_code,
    error_message,
    file_systems,
    layer_versions,
    log_groups,
    mappings,
    mount_targets,
    own_tags,
    queues,
    tables,
)
from serverless_lab.targets.tagging import RUN_PATTERN, TAG_KEY

THROTTLED = frozenset({"TooManyRequestsException", "ThrottlingException", "Throttling",
                       "RequestLimitExceeded", "SlowDown"})
RETRY_SECONDS, RETRIES = 30.0, 5  # DeleteRestApi: 1 request every 30 seconds per account
POLL_SECONDS, POLLS = 5.0, 60  # EFS mount targets: up to 5 minutes
Deleter = Callable[[Context, Found], object]


class CleanupError(Exception):
    """A resource that did not reach the state the next step needs."""


@dataclass
class Report:
    deleted: dict[str, list[str]] = field(default_factory=dict)  # kind -> sorted names
    failed: dict[str, str] = field(default_factory=dict)  # "kind name" -> error
    dry_run: bool = False

    def summary(self) -> str:
        counts = [kind.count(len(self.deleted[kind.key])) for kind in KINDS
                  if kind.key in self.deleted]
        verb = "would delete" if self.dry_run else "deleted"
        text = f"{verb} {', '.join(counts)}" if counts else "nothing to delete"
        return f"{text}; {len(self.failed)} failed" if self.failed else text


# --- deleting ------------------------------------------------------------------------------

def _delete_usage_plan(ctx: Context, found: Found) -> None:
    api, plan = ctx.client("apigateway"), found.item["id"]
    for key in list(ctx.items("apigateway", "get_usage_plan_keys", "items", usagePlanId=plan)):
        api.delete_usage_plan_key(usagePlanId=plan, keyId=key["id"])
    stages = api.get_usage_plan(usagePlanId=plan).get("apiStages", [])
    if stages:
        api.update_usage_plan(usagePlanId=plan, patchOperations=[
            {"op": "remove", "path": "/apiStages", "value": f"{s['apiId']}:{s['stage']}"}
            for s in stages])
    api.delete_usage_plan(usagePlanId=plan)


def _delete_rule(ctx: Context, found: Found) -> None:
    events, name = ctx.client("events"), found.name
    ids = [t["Id"] for t in ctx.items("events", "list_targets_by_rule", "Targets", Rule=name)]
    for start in range(0, len(ids), 100):  # RemoveTargets takes up to 100 ids
        events.remove_targets(Rule=name, Ids=ids[start:start + 100])
    events.delete_rule(Name=name)


def _delete_bucket(ctx: Context, found: Found) -> None:
    s3 = ctx.client("s3")
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=found.name):
        objects = [{"Key": o["Key"], "VersionId": o["VersionId"]}
                   for o in page.get("Versions", []) + page.get("DeleteMarkers", [])]
        if objects:  # at most 1,000 a page: what DeleteObjects takes
            answer = s3.delete_objects(Bucket=found.name,
                                       Delete={"Objects": objects, "Quiet": True})
            if answer.get("Errors"):
                raise CleanupError(f"could not empty it: {answer['Errors'][0]}")
    s3.delete_bucket(Bucket=found.name)


def _delete_role(ctx: Context, found: Found) -> None:
    iam, role = ctx.client("iam"), found.name
    for policy in list(ctx.items("iam", "list_attached_role_policies", "AttachedPolicies",
                                 RoleName=role)):
        iam.detach_role_policy(RoleName=role, PolicyArn=policy["PolicyArn"])
    for name in list(ctx.items("iam", "list_role_policies", "PolicyNames", RoleName=role)):
        iam.delete_role_policy(RoleName=role, PolicyName=name)
    iam.delete_role(RoleName=role)


ENTITIES = (("PolicyRoles", "RoleName", "detach_role_policy"),
            ("PolicyUsers", "UserName", "detach_user_policy"),
            ("PolicyGroups", "GroupName", "detach_group_policy"))


def _delete_policy(ctx: Context, found: Found) -> None:
    iam, arn = ctx.client("iam"), found.item["Arn"]
    pages = list(iam.get_paginator("list_entities_for_policy").paginate(PolicyArn=arn))
    for key, name, detach in ENTITIES:
        for entity in (e for page in pages for e in page.get(key, [])):
            getattr(iam, detach)(PolicyArn=arn, **{name: entity[name]})
    for version in list(ctx.items("iam", "list_policy_versions", "Versions", PolicyArn=arn)):
        if not version["IsDefaultVersion"]:
            iam.delete_policy_version(PolicyArn=arn, VersionId=version["VersionId"])
    iam.delete_policy(PolicyArn=arn)


def _delete_file_system(ctx: Context, found: Found) -> None:
    """Wait, ``POLL_SECONDS`` at a time, until its mount targets are gone; then delete it."""
    for _ in range(POLLS):
        targets = list(ctx.items("efs", "describe_mount_targets", "MountTargets",
                                 FileSystemId=found.name))
        if not targets:
            ctx.client("efs").delete_file_system(FileSystemId=found.name)
            return
        if any(t["LifeCycleState"] != "deleting" for t in targets):
            raise CleanupError(f"it still has mount target {targets[0]['MountTargetId']}")
        ctx.sleep(POLL_SECONDS)
    raise CleanupError(f"its mount targets were still being deleted after "
                       f"{POLLS * POLL_SECONDS:.0f} s")


@dataclass(frozen=True)
class Kind:
    label: str
    find: Finder
    delete: Deleter

    @property
    def key(self) -> str:
        return self.label.lower()

    def count(self, number: int) -> str:
        consonant_y = self.label.endswith("y") and self.label[-2] not in "aeiou"
        plural = self.label[:-1] + "ies" if consonant_y else self.label + "s"
        return f"{number} {self.label if number == 1 else plural}"


def _call(service: str, operation: str, param: str, field: str = "") -> Deleter:
    """A deleter that is one call; its parameter is the name, or ``field`` of the item."""
    def delete(ctx: Context, found: Found) -> Any:
        value = found.item[field] if field else found.name
        return getattr(ctx.client(service), operation)(**{param: value})
    return delete


NAME = itemgetter("name")


# In an order AWS accepts: what uses a resource goes before the resource.
KINDS: tuple[Kind, ...] = (
    Kind("Lambda event source mapping", mappings,
         _call("lambda", "delete_event_source_mapping", "UUID")),
    Kind("API Gateway usage plan", by_name_and_tag(
        "apigateway", "get_usage_plans", "items", NAME, own_tags), _delete_usage_plan),
    Kind("API Gateway API key", by_name_and_tag(
        "apigateway", "get_api_keys", "items", NAME, own_tags),
         _call("apigateway", "delete_api_key", "apiKey", "id")),
    Kind("API Gateway REST API", by_name_and_tag(
        "apigateway", "get_rest_apis", "items", NAME, own_tags),
         _call("apigateway", "delete_rest_api", "restApiId", "id")),
    Kind("Step Functions state machine", by_name_and_tag(
        "stepfunctions", "list_state_machines", "stateMachines", NAME,
        lambda sfn, m: sfn.list_tags_for_resource(resourceArn=m["stateMachineArn"])["tags"]),
         _call("stepfunctions", "delete_state_machine", "stateMachineArn",
               "stateMachineArn")),
    Kind("EventBridge rule", by_name_and_tag(
        "events", "list_rules", "Rules", itemgetter("Name"),
        lambda events, r: events.list_tags_for_resource(ResourceARN=r["Arn"])["Tags"],
        "NamePrefix"), _delete_rule),
    Kind("Lambda function", by_name_and_tag(
        "lambda", "list_functions", "Functions", itemgetter("FunctionName"),
        lambda fn, f: fn.list_tags(Resource=f["FunctionArn"])["Tags"]),
         _call("lambda", "delete_function", "FunctionName")),
    Kind("Lambda layer version", layer_versions,
         lambda ctx, found: ctx.client("lambda").delete_layer_version(**found.item)),
    Kind("CloudWatch log group", log_groups,
         _call("logs", "delete_log_group", "logGroupName")),
    Kind("SQS queue", queues,
         _call("sqs", "delete_queue", "QueueUrl", "QueueUrl")),
    Kind("SNS topic", by_name_and_tag(
        "sns", "list_topics", "Topics", lambda t: t["TopicArn"].rsplit(":", 1)[-1],
        lambda sns, t: sns.list_tags_for_resource(ResourceArn=t["TopicArn"])["Tags"]),
         _call("sns", "delete_topic", "TopicArn", "TopicArn")),
    Kind("DynamoDB table", tables, _call("dynamodb", "delete_table", "TableName")),
    Kind("S3 bucket", buckets, _delete_bucket),
    Kind("IAM role", by_name_and_tag(
        "iam", "list_roles", "Roles", itemgetter("RoleName"),
        lambda iam, r: iam.list_role_tags(RoleName=r["RoleName"])["Tags"]), _delete_role),
    Kind("IAM policy", by_name_and_tag(
        "iam", "list_policies", "Policies", itemgetter("PolicyName"),
        lambda iam, p: iam.list_policy_tags(PolicyArn=p["Arn"])["Tags"], Scope="Local"),
         _delete_policy),
    Kind("EFS access point", access_points,
         _call("efs", "delete_access_point", "AccessPointId")),
    Kind("EFS mount target", mount_targets,
         _call("efs", "delete_mount_target", "MountTargetId")),
    Kind("EFS file system", file_systems, _delete_file_system),
    Kind("EC2 security group", ec2("describe_security_groups", "SecurityGroups", "GroupId"),
         _call("ec2", "delete_security_group", "GroupId")),
    Kind("EC2 subnet", ec2("describe_subnets", "Subnets", "SubnetId"),
         _call("ec2", "delete_subnet", "SubnetId")),
    Kind("EC2 VPC", ec2("describe_vpcs", "Vpcs", "VpcId"),
         _call("ec2", "delete_vpc", "VpcId")),
)


# --- running -------------------------------------------------------------------------------

def _gone(error: ClientError) -> bool:
    """Nothing to delete: ``ResourceNotFoundException``, ``NoSuchEntity``,
    ``InvalidVpcID.NotFound``, ``AWS.SimpleQueueService.NonExistentQueue`` ..."""
    return any(word in error_code(error) for word in ("NotFound", "NoSuch", "NonExistent"))


def _patiently(call: Callable[[], object], sleep: Sleep) -> None:
    """``call()``, waiting ``RETRY_SECONDS`` after a throttling answer, ``RETRIES`` times."""
    for attempt in range(1, RETRIES + 1):
        try:
            call()
            return
        except ClientError as error:
            if error_code(error) not in THROTTLED or attempt == RETRIES:
                raise
            sleep(RETRY_SECONDS)

def _delete_one(ctx: Context, kind: Kind, found: Found) -> str | None:
    """Delete one resource; its error message, or None."""
    try:
        _patiently(partial(kind.delete, ctx, found), ctx.sleep)
    except ClientError as error:
        return None if _gone(error) else error_message(error)
    except (BotoCoreError, CleanupError) as error:
        return error_message(error)
    return None


def _delete_all(ctx: Context, kind: Kind, found: list[Found]) -> list[str]:
    """Delete what a kind found, again for the failures while a pass makes progress."""
    deleted: list[str] = []
    while found:
        outcomes = [(item, _delete_one(ctx, kind, item)) for item in found]
        deleted += [item.name for item, error in outcomes if error is None]
        failures = [(item, error) for item, error in outcomes if error is not None]
        if len(failures) == len(found):
            ctx.failed.update({f"{kind.key} {item.name}": str(e) for item, e in failures})
            break
        found = [item for item, _ in failures]
    return deleted


def _default_session() -> boto3.session.Session:
    """The session ``boto3.client()`` uses: the one the labs used."""
    if boto3.DEFAULT_SESSION is None:
        boto3.setup_default_session()
    assert boto3.DEFAULT_SESSION is not None
    return boto3.DEFAULT_SESSION


def cleanup(run_id: str | None = None, session: boto3.session.Session | None = None, *,
            dry_run: bool = False, sleep: Sleep = time.sleep,
            endpoint_url: str | None = None) -> Report:
    """Delete the resources of run ``run_id`` (``None``: of every run) that ``session``
    reaches (default: boto3's default session), at ``endpoint_url`` if given. With
    ``dry_run``, delete nothing and report what would be deleted."""
    if run_id is not None and not RUN_PATTERN.match(run_id):
        raise ValueError(f"a run id is six hex digits, not {run_id!r}")
    ctx = Context(session or _default_session(), run_id, sleep, endpoint_url,
                  {kind.key: kind.find for kind in KINDS})
    report = Report(failed=ctx.failed, dry_run=dry_run)
    for kind in KINDS:
        found = ctx.found(kind.key)
        names = [f.name for f in found] if dry_run else _delete_all(ctx, kind, found)
        if names:
            report.deleted[kind.key] = sorted(names)
    return report


# --- command line --------------------------------------------------------------------------

def _run_id(text: str) -> str:
    if not RUN_PATTERN.match(text):
        raise argparse.ArgumentTypeError(f"a run id is six hex digits, like 0a1b2c: {text!r}")
    return text


def add_parser(commands: Any) -> None:
    """Add ``cleanup`` to an argparse sub-parsers object (its handler: ``run``)."""
    parser = commands.add_parser(
        "cleanup", help="delete the resources of one lab run (or of every run)",
        description="Delete what the labs created (named slb-<run>-..., tagged "
                    f"{TAG_KEY}=<run>) in the account, region and endpoint boto3 reaches.")
    parser.add_argument("--run", type=_run_id, help="six hex digits (default: every run)")
    parser.add_argument("--dry-run", action="store_true",
                        help="list what would be deleted, delete nothing")
    parser.add_argument("--region", help="default: boto3's (AWS_REGION, ~/.aws/config)")
    parser.add_argument("--endpoint-url", help="default: boto3's (AWS_ENDPOINT_URL, or AWS)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """``serverless-lab cleanup``: 0 when everything selected is gone, 1 otherwise."""
    session = boto3.session.Session(region_name=args.region)
    try:
        sts = session.client("sts", endpoint_url=args.endpoint_url)
        account = sts.get_caller_identity()["Account"]
    except (ClientError, BotoCoreError) as error:
        print(f"cannot reach AWS: {error_message(error)}")
        return 1
    print(f"cleaning up {'run ' + args.run if args.run else 'every run'} in account {account}, "
          f"region {sts.meta.region_name}, endpoint {sts.meta.endpoint_url}")
    report = cleanup(args.run, session, dry_run=args.dry_run, endpoint_url=args.endpoint_url)
    verb = "would delete" if args.dry_run else "deleted"
    for kind in KINDS:
        for name in report.deleted.get(kind.key, []):
            print(f"  {verb} {kind.label} {name}")
    for what, message in sorted(report.failed.items()):
        print(f"  FAILED {what}: {message}")
    print(report.summary())
    return 1 if report.failed else 0
