"""Where a lab's boto3 calls go: the emulator in this process, another endpoint, or AWS.

One environment variable picks the target, read by ``serverless_lab.start()``:

    SERVERLESS_LAB_TARGET=local      the emulator, inside this process (the default)
    SERVERLESS_LAB_TARGET=endpoint   the AWS-compatible endpoint in AWS_ENDPOINT_URL, e.g. a
                                     `serverless-lab serve` in another terminal
    SERVERLESS_LAB_TARGET=aws        the real AWS account of your own profile or credentials;
                                     needs SERVERLESS_LAB_I_UNDERSTAND_COSTS=1

Whatever the target, every resource a lab creates is named ``lab.name(...)`` (the run's
prefix) and tagged with the run (tagging.py), and ``lab.cleanup()`` deletes exactly those.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from serverless_lab.targets import tagging

TARGET_VARIABLE = "SERVERLESS_LAB_TARGET"
OPT_IN_VARIABLE = "SERVERLESS_LAB_I_UNDERSTAND_COSTS"
KINDS = ("local", "endpoint", "aws")

COST_NOTICE = """\
serverless-lab: target aws. The labs create, in the account and region of your own
credentials: Lambda functions and layers, IAM roles, DynamoDB tables (on-demand), S3 buckets,
SQS queues, SNS topics, EventBridge rules, Step Functions state machines (Standard and
Express), API Gateway REST APIs with a usage plan and API key, CloudWatch log groups, and
(lab 04) a VPC with subnets, security groups and an EFS file system.
Each is named slb-<run>-... and tagged serverless-lab:run=<run>.
Cost: most of this stays within the AWS Free Tier; what does not (EFS storage, API Gateway
calls after your account's first 12 months, CloudWatch Logs beyond the free amount) is billed
per use and is small for a lab run. Prices change: https://aws.amazon.com/pricing/
Delete everything a run created with the lab's last cell, lab.cleanup(), or from a shell:
serverless-lab cleanup"""


class TargetError(ValueError):
    """SERVERLESS_LAB_TARGET names no target, or the target lacks what it needs."""


class CostsNotAcknowledged(RuntimeError):
    """Target ``aws`` was chosen without SERVERLESS_LAB_I_UNDERSTAND_COSTS=1."""


@dataclass(frozen=True)
class Target:
    """A lab's target: ``kind`` is local, endpoint or aws."""

    kind: str = "local"
    endpoint_url: str | None = None

    @property
    def emulated(self) -> bool:
        return self.kind != "aws"


def select(environ: Mapping[str, str] | None = None) -> Target:
    """The target the environment asks for; refuses ``aws`` without the opt-in."""
    env = os.environ if environ is None else environ
    kind = env.get(TARGET_VARIABLE, "local").strip().lower() or "local"
    if kind not in KINDS:
        raise TargetError(f"{TARGET_VARIABLE}={kind!r}: choose one of {', '.join(KINDS)}")
    if kind == "endpoint":
        return Target("endpoint", _endpoint(env))
    if kind == "aws" and env.get(OPT_IN_VARIABLE) != "1":
        raise CostsNotAcknowledged(
            f"{COST_NOTICE}\n\nTo go on, set {OPT_IN_VARIABLE}=1 and start the lab again.")
    return Target(kind)


def _endpoint(env: Mapping[str, str]) -> str:
    url = env.get("AWS_ENDPOINT_URL", "").rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise TargetError(f"{TARGET_VARIABLE}=endpoint needs AWS_ENDPOINT_URL, e.g. "
                          "http://127.0.0.1:4566 (start one with `serverless-lab serve`)")
    return url


class RunNames:
    """Names, tags and clean-up of one lab run, the same on every target."""

    run_id: str
    target: str

    @property
    def prefix(self) -> str:
        return tagging.prefix(self.run_id)

    def name(self, base: str) -> str:
        """The name of a lab resource in this run: ``slb-<run>-<base>``."""
        return f"{self.prefix}{base}"

    @property
    def tags(self) -> dict[str, str]:
        return {tagging.TAG_KEY: self.run_id}

    def cleanup(self, quiet: bool = False) -> None:
        """Delete exactly this run's resources (name prefix and tag); print what went."""
        from serverless_lab.targets.cleanup import cleanup

        report = cleanup(self.run_id)  # boto3's default session: the one the lab set up
        if not quiet:
            print(report.summary())
        for name, error in sorted(report.failed.items()):
            print(f"could not delete {name}: {error}")
