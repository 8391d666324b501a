"""EventBridge rules with Lambda targets.

AWS: EventBridge invokes a Lambda target asynchronously, with the matching event as the
payload. https://docs.aws.amazon.com/lambda/latest/dg/lambda-services.html

moto's ``Rule.send_to_targets`` raises ``NotImplementedError`` for Lambda targets; this seam
hands them to the lab's asynchronous queue and lets moto deliver every other target.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from moto.awslambda.models import lambda_backends
from moto.events.models import Rule

from . import seams

_lock = threading.Lock()


def _is_lambda(target: dict[str, Any]) -> bool:
    return ":lambda:" in target.get("Arn", "")


def send_to_targets(self: Rule, original_event: Any, transform_input: bool = True) -> None:
    functions = [t for t in self.targets if _is_lambda(t)]
    if functions and self.event_pattern.matches_event(original_event):
        for target in functions:
            arn = target["Arn"]
            fn = lambda_backends[arn.split(":")[4]][arn.split(":")[3]].get_function(arn)
            seams.host().async_invoker.accept(fn, json.dumps(original_event), arn, None)
    with _lock:
        everything = self.targets
        self.targets = [t for t in everything if not _is_lambda(t)]
        try:
            seams.original(Rule, "send_to_targets")(self, original_event, transform_input)
        finally:
            self.targets = everything
