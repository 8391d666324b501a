"""Run tags: every resource a lab creates is named ``slb-<run>-<name>`` and tagged
``serverless-lab:run=<run>``, so a clean-up deletes exactly this run's resources.

The tag is added by a botocore event handler (``before-parameter-build``) on the default
boto3 session, in each service's own tag format, so the labs' boto3 calls stay as they would
be in any project. What this hook does not tag is found by the run's name prefix instead:
Lambda layers (PublishLayerVersion takes no tags), the log groups Lambda creates itself, and
S3 buckets. S3 CreateBucket does accept tags on general purpose buckets now
(``CreateBucketConfiguration.Tags`` in botocore's S3 model; the caller needs
``s3:TagResource``), but the hook does not add the run tag to it.

AWS pages: https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html,
https://docs.aws.amazon.com/AmazonS3/latest/userguide/buckets-tagging.html
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

TAG_KEY = "serverless-lab:run"
RUN_PATTERN = re.compile(r"^[0-9a-f]{6}$")
PREFIXED = re.compile(r"^(?:/aws/lambda/)?slb-([0-9a-f]{6})-")


def prefix(run_id: str) -> str:
    """The name prefix of a run's resources."""
    return f"slb-{run_id}-"


def new_run_id() -> str:
    """A fresh run id for a lab on real AWS: six hex digits."""
    return secrets.token_hex(3)


def seeded_run_id(seed: int) -> str:
    """The run id on the emulator: fixed by the lab's seed, so outputs repeat run after run."""
    return f"{seed & 0xFFFFFF:06x}"


def run_of(name: str) -> str | None:
    """The run id a resource name carries, if it has a run prefix."""
    match = PREFIXED.match(name)
    return match.group(1) if match else None


def _key_value(key: str, value: str) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value}]


def _lower_key_value(key: str, value: str) -> list[dict[str, str]]:
    return [{"key": key, "value": value}]


def _mapping(key: str, value: str) -> dict[str, str]:
    return {key: value}


def _ec2(resource_type: str) -> Callable[[str, str], list[dict[str, Any]]]:
    def spec(key: str, value: str) -> list[dict[str, Any]]:
        return [{"ResourceType": resource_type, "Tags": _key_value(key, value)}]
    return spec


# (service, operation) -> (parameter, builder of that service's tag format)
TAGGED: dict[tuple[str, str], tuple[str, Callable[[str, str], Any]]] = {
    ("lambda", "CreateFunction"): ("Tags", _mapping),
    ("lambda", "CreateEventSourceMapping"): ("Tags", _mapping),
    ("iam", "CreateRole"): ("Tags", _key_value),
    ("iam", "CreatePolicy"): ("Tags", _key_value),
    ("sqs", "CreateQueue"): ("tags", _mapping),
    ("sns", "CreateTopic"): ("Tags", _key_value),
    ("dynamodb", "CreateTable"): ("Tags", _key_value),
    ("stepfunctions", "CreateStateMachine"): ("tags", _lower_key_value),
    ("apigateway", "CreateRestApi"): ("tags", _mapping),
    ("apigateway", "CreateUsagePlan"): ("tags", _mapping),
    ("apigateway", "CreateApiKey"): ("tags", _mapping),
    ("logs", "CreateLogGroup"): ("tags", _mapping),
    ("events", "PutRule"): ("Tags", _key_value),
    ("efs", "CreateFileSystem"): ("Tags", _key_value),
    ("efs", "CreateAccessPoint"): ("Tags", _key_value),
    ("ec2", "CreateVpc"): ("TagSpecifications", _ec2("vpc")),
    ("ec2", "CreateSubnet"): ("TagSpecifications", _ec2("subnet")),
    ("ec2", "CreateSecurityGroup"): ("TagSpecifications", _ec2("security-group")),
}


def _add(params: dict[str, Any], parameter: str, tags: Any) -> None:
    """Add the run tag to a call's parameters, unless the call already carries our key."""
    current = params.get(parameter)
    if current is None:
        params[parameter] = tags
    elif isinstance(current, dict):
        current.setdefault(TAG_KEY, tags[TAG_KEY])
    elif not _carries(current):
        current.extend(tags)


def _carries(items: list[dict[str, Any]]) -> bool:
    """Whether a tag list (or EC2 tag specifications) already holds our key."""
    return any(TAG_KEY in (item.get("Key"), item.get("key")) or _carries(item.get("Tags", []))
               for item in items)


def _tagger(run_id: str) -> Callable[..., None]:
    def add_tag(params: dict[str, Any], model: Any, **_: Any) -> None:
        entry = TAGGED.get((model.service_model.service_name, model.name))
        if entry is not None:
            parameter, build = entry
            _add(params, parameter, build(TAG_KEY, run_id))
    return add_tag


def install(session: Any, run_id: str) -> None:
    """Tag every create call the session's clients make (clients made after this call).

    One handler on botocore's ``before-parameter-build`` event (emitted for every operation
    of every service) looks the operation up in ``TAGGED``; registered with a unique id, so
    installing twice is harmless. (One handler per operation would need each service's
    model to name its event: loading EC2's alone costs a lab start about 0.2 s.)"""
    session.events.register("before-parameter-build", _tagger(run_id),
                            unique_id="serverless-lab:run-tags")
