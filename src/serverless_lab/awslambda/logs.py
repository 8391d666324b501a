"""CloudWatch Logs for Lambda: the log group ``/aws/lambda/<function>``, one stream per
execution environment, and the platform lines ``START``, ``END`` and ``REPORT``.

AWS: "Lambda automatically ... sends logs to a log group named /aws/lambda/<function name>
... Each instance of your function has a dedicated log stream." The REPORT line carries
Duration, Billed Duration, Memory Size, Max Memory Used and, on a cold start, Init Duration.
https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html

Entries are written straight into moto's Logs backend, stamped with the virtual clock.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from dataclasses import dataclass

from moto.logs.models import logs_backends

from serverless_lab.awslambda.execution_environment import Outcome


@dataclass(frozen=True)
class LogTarget:
    account_id: str
    region: str
    group: str
    stream: str


def stream_name(version: str, when: float) -> str:
    """``2026/11/27/[$LATEST]<32 hex>``, the shape Lambda gives its log streams."""
    day = time.strftime("%Y/%m/%d", time.gmtime(when))
    return f"{day}/[{version}]{uuid.uuid4().hex}"


def billed_ms(outcome: Outcome) -> int:
    """Duration rounded up to the next millisecond; since 1 August 2025 the Init phase of
    on-demand ZIP functions on managed runtimes is billed too (FACTS.md, section 2)."""
    return math.ceil(outcome.duration_ms + (outcome.init_ms or 0.0))


def report_line(request_id: str, outcome: Outcome, memory_mb: int) -> str:
    parts = [
        f"REPORT RequestId: {request_id}",
        f"Duration: {outcome.duration_ms:.2f} ms",
        f"Billed Duration: {billed_ms(outcome)} ms",
        f"Memory Size: {memory_mb} MB",
        f"Max Memory Used: {outcome.max_memory_mb} MB",
    ]
    if outcome.init_ms is not None:
        parts.append(f"Init Duration: {outcome.init_ms:.2f} ms")
    return "\t".join(parts) + "\t"


def invocation_lines(request_id: str, version: str, outcome: Outcome, memory_mb: int,
                     runtime: str | None = None) -> list[str]:
    """Every line one invocation adds to its stream, in the order Lambda writes them;
    ``runtime`` is given on a cold start, which begins with an INIT_START line."""
    lines = [f"INIT_START Runtime Version: {runtime.replace('python', 'python:')}"] \
        if runtime else []
    lines.append(f"START RequestId: {request_id} Version: {version}")
    lines.extend(line for line in outcome.output.splitlines() if line.strip())
    lines.extend(outcome.log_suffix)
    lines.append(f"END RequestId: {request_id}")
    lines.append(report_line(request_id, outcome, memory_mb))
    return lines


_write_lock = threading.Lock()  # moto's Logs backend is not thread safe


def write(target: LogTarget, lines: list[str], when_ms: int) -> None:
    backend = logs_backends[target.account_id][target.region]
    events = [{"timestamp": when_ms, "message": line} for line in lines]
    with _write_lock:
        backend.ensure_log_group(target.group)
        backend.ensure_log_stream(target.group, target.stream)
        # Straight into the group: moto's PutLogEvents drops events more than 2 hours ahead
        # of the real clock, and the lab's clock may be days ahead after lab.advance.
        backend.groups[target.group].put_log_events(target.stream, events)
