"""EventBridge rules with Lambda and SNS targets.

AWS: EventBridge invokes a Lambda target asynchronously, with the matching event as the
payload; an SNS target receives the event as the message.
https://docs.aws.amazon.com/lambda/latest/dg/lambda-services.html
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html

moto's ``Rule.send_to_targets`` raises ``NotImplementedError`` for both; this seam hands
Lambda targets to the lab's asynchronous queue, publishes to SNS targets, and lets moto
deliver every other target.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from moto.awslambda.models import lambda_backends
from moto.events.models import Rule

from serverless_lab import seams

_lock = threading.Lock()


def _ours(target: dict[str, Any]) -> bool:
    return any(kind in target.get("Arn", "") for kind in (":lambda:", ":sns:"))


def _deliver(arn: str, event: Any) -> None:
    account, region = arn.split(":")[4], arn.split(":")[3]
    if ":lambda:" in arn:
        fn = lambda_backends[account][region].get_function(arn)
        seams.host().async_invoker.accept(fn, json.dumps(event), arn, None)
    else:
        from moto.sns.models import sns_backends

        sns_backends[account][region].publish(message=json.dumps(event), arn=arn)


def send_to_targets(self: Rule, original_event: Any, transform_input: bool = True) -> None:
    ours = [t for t in self.targets if _ours(t)]
    if ours and self.event_pattern.matches_event(original_event):
        for target in ours:
            _deliver(target["Arn"], original_event)
    with _lock:
        everything = self.targets
        self.targets = [t for t in everything if not _ours(t)]
        try:
            seams.original(Rule, "send_to_targets")(self, original_event, transform_input)
        finally:
            self.targets = everything
