"""ExecutionPath.from_history: what one execution did, and its colours on the picture."""

from __future__ import annotations

from typing import Any

from serverless_lab import state_machine_graph as smg
from serverless_lab.execution_history import ExecutionPath
from serverless_lab.state_machine_graph import render
from tests.test_state_machine_graph import (
    EVERY_TYPE,
    LAMBDA_FAIL,
    LAMBDA_FAIL_EVENTS,
    LAMBDA_OK,
    ORDER,
    SVG,
    TASK_FAIL,
    TASK_FAIL_EVENTS,
    history,
    node_fill,
    parse,
    state,
    texts,
)


def test_clean_success() -> None:
    path = ExecutionPath.from_history(history(
        ("ExecutionStarted", None), *state("Pass", "Validate"),
        *state("Task", "Charge", *LAMBDA_OK), *state("Succeed", "Done"),
        ("ExecutionSucceeded", None)))
    assert path.statuses == {"Validate": "succeeded", "Charge": "succeeded",
                             "Done": "succeeded"}
    assert path.edges == {(None, "Validate"), ("Validate", "Charge"), ("Charge", "Done"),
                          ("Done", None)}
    assert path.status("Refund") == "not visited" and path.retries == {}


def test_retried_then_succeeded() -> None:
    path = ExecutionPath.from_history(history(
        ("ExecutionStarted", None), *state("Pass", "Validate"),
        *state("Task", "Charge", *LAMBDA_FAIL, *LAMBDA_FAIL, *LAMBDA_OK),
        *state("Succeed", "Done"), ("ExecutionSucceeded", None)))
    assert path.status("Charge") == "retried" and path.retries == {"Charge": 2}
    assert ("Charge", "Done") in path.edges
    svg = render(ORDER, path).svg
    assert "↻ retried ×2" in texts(svg)
    assert node_fill(svg, "Charge") == smg.STYLES["retried"][0]


def test_caught_failure_goes_to_the_handler_and_the_fail_state() -> None:
    path = ExecutionPath.from_history(history(
        ("ExecutionStarted", None), *state("Pass", "Validate"),
        *state("Task", "Charge", *TASK_FAIL, *TASK_FAIL), *state("Pass", "Refund"),
        ("FailStateEntered", "Failed"), ("ExecutionFailed", None)))
    assert path.statuses == {"Validate": "succeeded", "Charge": "caught",
                             "Refund": "succeeded", "Failed": "failed"}
    assert path.retries == {"Charge": 1}
    assert {("Charge", "Refund"), ("Refund", "Failed"), ("Failed", None)} <= path.edges
    assert ("Charge", "Done") not in path.edges
    svg = render(ORDER, path).svg
    assert node_fill(svg, "Charge") == smg.STYLES["caught"][0]
    assert node_fill(svg, "Failed") == smg.STYLES["failed"][0]
    assert node_fill(svg, "Done") == smg.STYLES["not visited"][0]
    assert {"↪ caught", "✗ failed", "○ not visited"} <= set(texts(svg))


def test_uncaught_failure_fails_the_state_it_happened_in() -> None:
    path = ExecutionPath.from_history(history(
        ("ExecutionStarted", None), *state("Pass", "Validate"),
        ("TaskStateEntered", "Charge"), *LAMBDA_FAIL_EVENTS, ("ExecutionFailed", None)))
    assert path.statuses == {"Validate": "succeeded", "Charge": "failed"}
    assert path.edges == {(None, "Validate"), ("Validate", "Charge")}



def test_a_state_not_yet_exited_is_running() -> None:
    path = ExecutionPath.from_history(history(
        ("ExecutionStarted", None), *state("Pass", "Validate"),
        ("TaskStateEntered", "Charge"), ("TaskScheduled", None), ("TaskStarted", None)))
    assert path.status("Charge") == "running"
    svg = render(ORDER, path).svg
    assert node_fill(svg, "Charge") == smg.STYLES["running"][0]
    assert "▶ running" in texts(svg)


def test_taken_edges_are_thicker_and_the_legend_names_every_status() -> None:
    path = ExecutionPath.from_history(history(
        ("ExecutionStarted", None), *state("Pass", "Validate"),
        *state("Task", "Charge", *LAMBDA_OK), *state("Succeed", "Done"),
        ("ExecutionSucceeded", None)))
    svg = render(ORDER, path).svg
    thick = [p for p in parse(svg).iter(f"{SVG}path") if p.get("stroke-width") == "3"]
    assert len(thick) == 4 + 1  # Start>Validate>Charge>Done>End, and the legend's sample
    words = texts(svg)
    for _, _, _, word in smg.STYLES.values():
        assert word in words
    assert "path taken" in words
    desc = parse(svg).find(f"{SVG}desc")
    assert desc is not None and "Charge succeeded" in (desc.text or "")


def test_parallel_branches_interleaved_by_previous_event_id() -> None:
    events = [
        {"id": 1, "type": "ExecutionStarted", "previousEventId": 0},
        {"id": 2, "type": "ParallelStateEntered", "previousEventId": 0,
         "stateEnteredEventDetails": {"name": "Fulfil"}},
        {"id": 3, "type": "ParallelStateStarted", "previousEventId": 2},
        {"id": 4, "type": "TaskStateEntered", "previousEventId": 3,
         "stateEnteredEventDetails": {"name": "Pack"}},
        {"id": 5, "type": "TaskStateEntered", "previousEventId": 3,
         "stateEnteredEventDetails": {"name": "Email"}},
        {"id": 6, "type": "TaskScheduled", "previousEventId": 4},
        {"id": 7, "type": "TaskScheduled", "previousEventId": 5},
        {"id": 8, "type": "TaskFailed", "previousEventId": 7},
        {"id": 9, "type": "TaskScheduled", "previousEventId": 8},
        {"id": 10, "type": "TaskSucceeded", "previousEventId": 6},
        {"id": 11, "type": "TaskStateExited", "previousEventId": 10,
         "stateExitedEventDetails": {"name": "Pack"}},
        {"id": 12, "type": "TaskSucceeded", "previousEventId": 9},
        {"id": 13, "type": "TaskStateExited", "previousEventId": 12,
         "stateExitedEventDetails": {"name": "Email"}},
        {"id": 14, "type": "PassStateEntered", "previousEventId": 13,
         "stateEnteredEventDetails": {"name": "Log"}},
        {"id": 15, "type": "PassStateExited", "previousEventId": 14,
         "stateExitedEventDetails": {"name": "Log"}},
        {"id": 16, "type": "ParallelStateSucceeded", "previousEventId": 15},
        {"id": 17, "type": "ParallelStateExited", "previousEventId": 16,
         "stateExitedEventDetails": {"name": "Fulfil"}},
        {"id": 18, "type": "MapStateEntered", "previousEventId": 17,
         "stateEnteredEventDetails": {"name": "Ship items"}},
    ]
    path = ExecutionPath.from_history(events)
    assert path.statuses == {"Pack": "succeeded", "Email": "retried", "Log": "succeeded",
                             "Fulfil": "succeeded", "Ship items": "running"}
    assert {(None, "Fulfil"), (None, "Pack"), (None, "Email"), ("Email", "Log"),
            ("Fulfil", "Ship items")} <= path.edges
    assert ("Pack", "Email") not in path.edges


def test_history_without_ids_is_read_in_list_order_and_map_iterations_merge() -> None:
    events: list[dict[str, Any]] = [{"type": "ExecutionStarted"}]
    events += [{"type": "MapStateEntered", "stateEnteredEventDetails": {"name": "Ship items"}},
               {"type": "MapStateStarted"}]
    for outcome in ("TaskSucceeded", "TaskFailed"):
        events += [{"type": "MapIterationStarted"},
                   {"type": "TaskStateEntered", "stateEnteredEventDetails": {"name": "Ship one"}},
                   {"type": "TaskScheduled"}, {"type": outcome}]
        if outcome == "TaskSucceeded":
            events += [{"type": "TaskStateExited", "stateExitedEventDetails": {"name": "Ship one"}},
                       {"type": "MapIterationSucceeded"}]
    events += [{"type": "MapIterationFailed"}, {"type": "MapStateFailed"},
               {"type": "ExecutionFailed"}]
    path = ExecutionPath.from_history(events)
    assert path.statuses == {"Ship one": "failed", "Ship items": "failed"}
    assert (None, "Ship one") in path.edges and (None, "Ship items") in path.edges
    svg = render(EVERY_TYPE, path).svg
    assert node_fill(svg, "Ship one") == smg.STYLES["failed"][0]
    assert node_fill(svg, "Validate") == smg.STYLES["not visited"][0]


def test_caught_parallel_failure() -> None:
    path = ExecutionPath.from_history(history(
        ("ExecutionStarted", None), ("ParallelStateEntered", "Fulfil"),
        ("ParallelStateStarted", None), ("TaskStateEntered", "Pack"), *TASK_FAIL_EVENTS,
        ("ParallelStateFailed", None), ("ParallelStateExited", "Fulfil"),
        ("FailStateEntered", "Rejected"), ("ExecutionFailed", None)))
    assert path.statuses == {"Fulfil": "caught", "Pack": "failed", "Rejected": "failed"}
    assert ("Fulfil", "Rejected") in path.edges
