from __future__ import annotations

import re

from serverless_lab.awslambda import logs
from serverless_lab.awslambda.execution_environment import Outcome
from tests.conftest import invoke, log_messages


def test_report_line_fields_and_billing() -> None:
    outcome = Outcome(b"null", duration_ms=12.3456, init_ms=100.1, max_memory_mb=40)
    line = logs.report_line("abc", outcome, 128)
    assert line == ("REPORT RequestId: abc\tDuration: 12.35 ms\tBilled Duration: 113 ms\t"
                    "Memory Size: 128 MB\tMax Memory Used: 40 MB\tInit Duration: 100.10 ms\t")


def test_warm_report_has_no_init_duration_and_rounds_up() -> None:
    outcome = Outcome(b"null", duration_ms=1.01)
    assert logs.billed_ms(outcome) == 2
    assert "Init Duration" not in logs.report_line("abc", outcome, 128)


def test_invocation_lines_order() -> None:
    outcome = Outcome(b"null", output="hello\n\nworld\n", duration_ms=1)
    lines = logs.invocation_lines("r1", "3", outcome, 128, runtime="python3.12")
    assert lines[:5] == ["INIT_START Runtime Version: python:3.12",
                         "START RequestId: r1 Version: 3", "hello", "world", "END RequestId: r1"]
    assert lines[5].startswith("REPORT RequestId: r1")


def test_stream_name_shape() -> None:
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}",
                        logs.stream_name("$LATEST", 0))


def test_invocations_are_logged_to_cloudwatch(make_function) -> None:
    make_function("logged", "def handler(e, c):\n    print('inside')\n")
    response, _ = invoke("logged")
    request_id = response["ResponseMetadata"]["RequestId"]
    messages = log_messages("logged")
    assert messages[1:4] == [f"START RequestId: {request_id} Version: $LATEST", "inside",
                             f"END RequestId: {request_id}"]
    assert re.match(rf"REPORT RequestId: {request_id}\tDuration: [\d.]+ ms\tBilled Duration: "
                    r"\d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration",
                    messages[4])


def test_logs_are_kept_after_the_clock_jumps_days_ahead(lab, make_function) -> None:
    make_function("later", "def handler(e, c):\n    print('still logged')\n")
    lab.advance(days=3)
    invoke("later")
    assert "still logged" in log_messages("later")
