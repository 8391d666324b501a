"""A function's output is read while it runs and capped per invocation (function_output.py)."""

from __future__ import annotations

import os
import time

import boto3

from serverless_lab.awslambda.function_output import FunctionOutput, OutputLimits
from tests.conftest import invoke


def test_output_is_kept_up_to_the_cap_and_the_rest_counted() -> None:
    read, write = os.pipe()
    output = FunctionOutput(read, OutputLimits(kept_bytes=10, line_bytes=4))
    os.write(write, b"abcdefgh\nijklmnop")
    text = output.take()
    assert text.split("\n") == [
        "abcd", "i", "[serverless-lab] output truncated: 7 bytes dropped (the emulator keeps "
        "10 bytes per invocation)"]
    os.write(write, b"next\n")
    assert output.take() == "next\n"  # each invocation starts again
    os.close(write)
    output.read_available()
    assert output.closed
    output.close()


def _resident_mb() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def test_a_function_printing_forever_costs_its_timeout_and_little_memory(make_function) -> None:
    make_function("chatty", "def handler(e, c):\n    while e.get('forever'):\n"
                  "        print('all work and no play ' * 4)\n    return 'warm'\n", Timeout=3)
    assert invoke("chatty")[1] == "warm"  # the environment is up: time the invocation alone
    before = _resident_mb()
    started = time.monotonic()
    response, payload = invoke("chatty", {"forever": True})
    took = time.monotonic() - started
    assert payload["errorType"] == "Sandbox.Timedout"
    assert took < 3 + 1.0, took  # its timeout, plus a second at most
    assert _resident_mb() - before < 100
    pages = boto3.client("logs").get_paginator("filter_log_events").paginate(
        logGroupName="/aws/lambda/chatty")
    messages = [e["message"] for page in pages for e in page["events"]]
    assert sum(len(m) for m in messages) < 2 * OutputLimits().kept_bytes
    assert any(m.startswith("[serverless-lab] output truncated") for m in messages)
