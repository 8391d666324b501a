"""Which resources belong to a lab run, and how to find each kind of them.

A resource belongs to run ``R`` when its name starts with ``slb-R-`` **and** it carries the
tag ``serverless-lab:run=R`` (``tagging.py``). Where the labs put no tag the name decides
alone (S3 buckets, Lambda layers, the log groups Lambda creates, ``/aws/lambda/slb-R-...``);
EC2 and EFS resources have ids, not names: the tag decides alone; API Gateway execution logs
(``API-Gateway-Execution-Logs_{apiId}/{stage}``) go with their API. Each finder lists one
kind with plain, paginated boto3 calls, so the same code reads the emulator and a real
account (Resource Groups Tagging API would miss IAM and the untagged kinds). ``cleanup.py``
deletes what they find.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from operator import itemgetter
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from serverless_lab.targets.tagging import RUN_PATTERN, TAG_KEY, prefix, run_of

Sleep = Callable[[float], object]
LEGACY_LOCATIONS = {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}
HINTS = {"DependencyViolation": " (network interfaces of deleted Lambda functions or mount "
                                "targets can take many minutes to go: run the clean-up again)"}


@dataclass(frozen=True)
class Found:
    name: str  # what the report shows
    item: Any  # what the listing answered, used to delete it


Finder = Callable[["Context"], list[Found]]


class Context:
    """One clean-up: the run it selects, its clients, what each kind found, what failed."""

    def __init__(self, session: boto3.session.Session, run_id: str | None, sleep: Sleep,
                 endpoint_url: str | None, finders: Mapping[str, Finder]) -> None:
        self.session, self.run_id, self.sleep = session, run_id, sleep
        self.finders = finders
        self.endpoint_url = endpoint_url
        self.name_prefix = prefix(run_id) if run_id else "slb-"
        self.failed: dict[str, str] = {}
        self._clients: dict[str, Any] = {}
        self._found: dict[str, list[Found]] = {}

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self.session.client(service,
                                                         endpoint_url=self.endpoint_url)
        return self._clients[service]

    def items(self, service: str, operation: str, key: str, **params: Any) -> Iterator[Any]:
        for page in self.client(service).get_paginator(operation).paginate(**params):
            yield from page.get(key, [])

    def found(self, key: str) -> list[Found]:
        """What kind ``key`` selects, listed once (a listing failure is reported)."""
        if key not in self._found:
            try:
                self._found[key] = self.finders[key](self)
            except (ClientError, BotoCoreError) as error:
                self.failed[f"{key} *"] = error_message(error)
                self._found[key] = []
        return self._found[key]

    def named(self, name: str) -> bool:
        return run_of(name) is not None and self.run_id in (None, run_of(name))

    def owns(self, name: str, tags: Callable[[], Any]) -> bool:
        """Name and tag name the same selected run (tags are read only for our names)."""
        return self.named(name) and tag_value(tags()) == run_of(name)

    def tagged(self, tags: Any) -> bool:
        value = tag_value(tags)
        return value is not None and bool(RUN_PATTERN.match(value)) and \
            self.run_id in (None, value)


def tag_value(tags: Any) -> str | None:
    """Our tag's value, from ``{k: v}`` or ``[{"Key"|"key": k, "Value"|"value": v}]``."""
    if isinstance(tags, Mapping):
        return tags.get(TAG_KEY)
    pairs = ((t.get("Key", t.get("key")), t.get("Value", t.get("value"))) for t in tags or [])
    return next((value for key, value in pairs if key == TAG_KEY), None)


def owned(ctx: Context, items: Iterable[Any], name: Callable[[Any], str],
           tags: Callable[[Any], Any]) -> list[Found]:
    return [Found(name(i), i) for i in items if ctx.owns(name(i), partial(tags, i))]


# --- finding -------------------------------------------------------------------------------



def by_name_and_tag(service: str, operation: str, key: str, name: Callable[[Any], str],
                     tags: Callable[[Any, Any], Any], prefix_param: str = "",
                     **params: Any) -> Finder:
    """Listed items whose name and tag (``tags(client, item)``) name a selected run."""
    def find(ctx: Context) -> list[Found]:
        narrowed = {prefix_param: ctx.name_prefix} if prefix_param else {}
        items = ctx.items(service, operation, key, **params, **narrowed)
        return owned(ctx, items, name, partial(tags, ctx.client(service)))
    return find


def tagged(ctx: Context, items: Iterable[dict[str, Any]], id_key: str) -> list[Found]:
    """EC2/EFS items tagged with a selected run; never a VPC's ``default`` group, nothing
    already being deleted."""
    return [Found(i[id_key], i) for i in items if ctx.tagged(i.get("Tags", []))
            and i.get("GroupName") != "default"
            and i.get("LifeCycleState") not in ("deleting", "deleted")]


def ec2(operation: str, key: str, id_key: str) -> Finder:
    tag_key = [{"Name": "tag-key", "Values": [TAG_KEY]}]
    return lambda ctx: tagged(ctx, ctx.items("ec2", operation, key, Filters=tag_key), id_key)


def file_systems(ctx: Context) -> list[Found]:
    return tagged(ctx, ctx.items("efs", "describe_file_systems", "FileSystems"),
                   "FileSystemId")


def access_points(ctx: Context) -> list[Found]:
    """Per file system: ``DescribeAccessPoints`` documents a file system or an access point
    id, not neither."""
    systems = ctx.items("efs", "describe_file_systems", "FileSystems")
    return tagged(ctx, (p for fs in systems for p in ctx.items(
        "efs", "describe_access_points", "AccessPoints", FileSystemId=fs["FileSystemId"])),
        "AccessPointId")


def own_tags(_: Any, item: dict[str, Any]) -> Any:
    return item.get("tags", {})


def mappings(ctx: Context) -> list[Found]:
    """Event source mappings of the functions being deleted."""
    functions = {found.name for found in ctx.found("lambda function")}
    return [Found(m["UUID"], m) for m in
            ctx.items("lambda", "list_event_source_mappings", "EventSourceMappings")
            if m["FunctionArn"].split(":")[6] in functions and m.get("State") != "Deleting"]


def layer_versions(ctx: Context) -> list[Found]:
    names = [layer["LayerName"] for layer in ctx.items("lambda", "list_layers", "Layers")
             if ctx.named(layer["LayerName"])]
    return [Found(f"{name}:{v['Version']}", {"LayerName": name, "VersionNumber": v["Version"]})
            for name in names
            for v in ctx.items("lambda", "list_layer_versions", "LayerVersions", LayerName=name)]


def log_groups(ctx: Context) -> list[Found]:
    """``slb-R-...`` by name and tag, ``/aws/lambda/slb-R-...`` by name, execution logs of
    the APIs being deleted."""
    def groups(start: str) -> Iterator[dict[str, Any]]:
        return ctx.items("logs", "describe_log_groups", "logGroups", logGroupNamePrefix=start)

    logs, name = ctx.client("logs"), itemgetter("logGroupName")
    tagged = owned(ctx, groups(ctx.name_prefix), name, lambda g: logs.list_tags_for_resource(
        resourceArn=g["arn"].removesuffix(":*"))["tags"])
    by_lambda = [Found(name(g), g) for g in groups("/aws/lambda/" + ctx.name_prefix)
                 if ctx.named(name(g))]
    execution = [Found(name(g), g) for api in ctx.found("api gateway rest api")
                 for g in groups(f"API-Gateway-Execution-Logs_{api.item['id']}/")]
    return tagged + by_lambda + execution


def queues(ctx: Context) -> list[Found]:
    sqs = ctx.client("sqs")
    urls = ctx.items("sqs", "list_queues", "QueueUrls", QueueNamePrefix=ctx.name_prefix)
    return owned(ctx, ({"QueueUrl": url} for url in urls),
                  lambda q: q["QueueUrl"].rsplit("/", 1)[-1],
                  lambda q: sqs.list_queue_tags(QueueUrl=q["QueueUrl"]).get("Tags", {}))


def tables(ctx: Context) -> list[Found]:
    ddb = ctx.client("dynamodb")
    tables = (ddb.describe_table(TableName=name)["Table"]
              for name in ctx.items("dynamodb", "list_tables", "TableNames") if ctx.named(name))
    return owned(ctx, (t for t in tables if t["TableStatus"] != "DELETING"),
                  itemgetter("TableName"), lambda t: list(ctx.items(
                      "dynamodb", "list_tags_of_resource", "Tags", ResourceArn=t["TableArn"])))


def buckets(ctx: Context) -> list[Found]:
    """Buckets by name, in this client's region (``ListBuckets`` lists every region)."""
    s3 = ctx.client("s3")
    names = [b["Name"] for b in ctx.items("s3", "list_buckets", "Buckets",
                                          Prefix=ctx.name_prefix) if ctx.named(b["Name"])]
    return [Found(name, name) for name in names if region(s3, name) == s3.meta.region_name]


def region(s3: Any, bucket: str) -> str:
    location = s3.get_bucket_location(Bucket=bucket).get("LocationConstraint")
    return LEGACY_LOCATIONS.get(location, location)


def mount_targets(ctx: Context) -> list[Found]:
    return [Found(t["MountTargetId"], t) for fs in ctx.found("efs file system")
            for t in ctx.items("efs", "describe_mount_targets", "MountTargets",
                               FileSystemId=fs.name) if t["LifeCycleState"] != "deleting"]


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def error_message(error: Exception) -> str:
    if not isinstance(error, ClientError):
        return str(error) or type(error).__name__
    text = error.response.get("Error", {}).get("Message", "") or str(error)
    return f"{error_code(error)}: {text}{HINTS.get(error_code(error), '')}"
