"""state_machine_graph: ASL definitions drawn as SVG, execution histories read into a path.

Pure functions: hand-written definitions and histories, no lab, no AWS.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from serverless_lab import state_machine_graph as smg
from serverless_lab.state_machine_graph import ExecutionPath, render

SVG = "{http://www.w3.org/2000/svg}"
CHARGE = 'Charge <card> & "ship"'

EVERY_TYPE: dict[str, Any] = {
    "Comment": "one of each state type",
    "StartAt": "Validate",
    "States": {
        "Validate": {"Type": "Pass", "Next": "Check amount"},
        "Check amount": {"Type": "Choice", "Choices": [
            {"Variable": "$.amount", "NumericGreaterThan": 100, "Next": "Hold"},
            {"Variable": "$.tier", "StringEquals": "gold", "Next": CHARGE},
            {"And": [{"Variable": "$.a", "IsPresent": True}], "Next": "Rejected"}],
            "Default": CHARGE},
        "Hold": {"Type": "Wait", "Seconds": 60, "Next": CHARGE},
        CHARGE: {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                 "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 3}],
                 "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Rejected"}],
                 "Next": "Fulfil"},
        "Fulfil": {"Type": "Parallel", "Next": "Ship items", "Branches": [
            {"StartAt": "Pack", "States": {"Pack": {"Type": "Task", "Resource": "r",
                                                    "End": True}}},
            {"StartAt": "Email", "States": {
                "Email": {"Type": "Task", "Resource": "r", "Next": "Log"},
                "Log": {"Type": "Pass", "End": True}}}]},
        "Ship items": {"Type": "Map", "Next": "Done", "ItemProcessor": {
            "StartAt": "Ship one",
            "States": {"Ship one": {"Type": "Task", "Resource": "r", "End": True}}}},
        "Done": {"Type": "Succeed"},
        "Rejected": {"Type": "Fail", "Error": "OrderRejected"},
    },
}

LOOP: dict[str, Any] = {
    "StartAt": "Start job",
    "States": {
        "Start job": {"Type": "Task", "Resource": "r", "Next": "Wait a bit"},
        "Wait a bit": {"Type": "Wait", "Seconds": 5, "Next": "Get status"},
        "Get status": {"Type": "Task", "Resource": "r", "Next": "Done?"},
        "Done?": {"Type": "Choice", "Choices": [
            {"Variable": "$.status", "StringEquals": "DONE", "Next": "Finished"}],
            "Default": "Wait a bit"},
        "Finished": {"Type": "Succeed"},
    },
}

ORDER: dict[str, Any] = {
    "StartAt": "Validate",
    "States": {
        "Validate": {"Type": "Pass", "Next": "Charge"},
        "Charge": {"Type": "Task", "Resource": "r", "Next": "Done",
                   "Retry": [{"ErrorEquals": ["States.ALL"]}],
                   "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Refund"}]},
        "Done": {"Type": "Succeed"},
        "Refund": {"Type": "Pass", "Next": "Failed"},
        "Failed": {"Type": "Fail"},
    },
}


def history(*steps: tuple[str, str | None]) -> list[dict[str, Any]]:
    """Events numbered from 1, each pointing at the one before (the first state at 0)."""
    events = []
    for i, (kind, name) in enumerate(steps, 1):
        event: dict[str, Any] = {"id": i, "type": kind, "timestamp": "2025-01-01T00:00:00Z",
                                 "previousEventId": 0 if i == 2 else i - 1}
        if kind.endswith("StateEntered"):
            event["stateEnteredEventDetails"] = {"name": name, "input": "{}"}
        elif kind.endswith("StateExited"):
            event["stateExitedEventDetails"] = {"name": name, "output": "{}"}
        events.append(event)
    return events


def state(kind: str, name: str, *middle: str) -> list[tuple[str, str | None]]:
    return [(f"{kind}StateEntered", name), *((m, None) for m in middle),
            (f"{kind}StateExited", name)]


LAMBDA_OK = ("LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded")
LAMBDA_FAIL = ("LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionFailed")
TASK_FAIL = ("TaskScheduled", "TaskStarted", "TaskFailed")
TASK_FAIL_EVENTS = [(kind, None) for kind in TASK_FAIL]
LAMBDA_FAIL_EVENTS = [(kind, None) for kind in (*LAMBDA_FAIL, "LambdaFunctionScheduled",
                                                "LambdaFunctionStarted",
                                                "LambdaFunctionTimedOut")]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in parse(svg).iter(f"{SVG}text")]


def node_fill(svg: str, name: str) -> str:
    for group in parse(svg).iter(f"{SVG}g"):
        title = group.find(f"{SVG}title")
        rect = group.find(f"{SVG}rect")
        if title is not None and rect is not None and (title.text or "").startswith(f"{name} ("):
            return rect.get("fill", "")
    raise AssertionError(f"no node {name!r}")


# ------------------------------------------------------------------------- rendering


def test_every_state_type_is_drawn_with_its_name_and_type() -> None:
    svg = render(EVERY_TYPE).svg
    root = parse(svg)
    titles = [t.text for t in root.iter(f"{SVG}title")]
    for name, spec in [*EVERY_TYPE["States"].items(), ("Pack", {"Type": "Task"}),
                       ("Email", {"Type": "Task"}), ("Log", {"Type": "Pass"}),
                       ("Ship one", {"Type": "Task"})]:
        assert f"{name} ({spec['Type']})" in titles
    words = texts(svg)
    assert {"Start", "End", "branch 1", "branch 2", "each item", "Wait 60 s",
            "Parallel · 2 branches", "Map", "Succeed", "Fail", "Choice"} <= set(words)


def test_document_has_viewbox_size_title_and_a_white_background() -> None:
    root = parse(render(EVERY_TYPE).svg)
    width, height = float(root.get("width", 0)), float(root.get("height", 0))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert width > 300 and height > 600
    assert root[0].tag == f"{SVG}title" and "Validate" in (root[0].text or "")
    background = root.find(f"{SVG}rect")
    assert background is not None and background.get("fill") == "#ffffff"
    assert background.get("width") == root.get("width")


def test_parallel_and_map_hold_their_branches_side_by_side() -> None:
    root = parse(render(EVERY_TYPE).svg)
    containers = {}
    for group in root.iter(f"{SVG}g"):
        title = group.find(f"{SVG}title")
        if title is not None:
            containers[(title.text or "").split(" (")[0]] = group
    fulfil = containers["Fulfil"]
    branches = [g for g in fulfil if g.tag == f"{SVG}g" and "translate" in g.get("transform", "")]
    assert len(branches) == 2
    xs = [float(g.get("transform", "")[10:-1].split(",")[0]) for g in branches]
    ys = {g.get("transform", "").split(",")[1] for g in branches}
    assert xs[0] < xs[1] and len(ys) == 1  # side by side, same top
    nested = {t.text.split(" (")[0] for t in fulfil.iter(f"{SVG}title") if t.text}
    assert {"Pack", "Email", "Log"} <= nested
    assert "Ship one (Task)" in [t.text for t in containers["Ship items"].iter(f"{SVG}title")]


def test_legacy_map_iterator_is_drawn_too() -> None:
    definition = {"StartAt": "M", "States": {"M": {"Type": "Map", "End": True, "Iterator": {
        "StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "End": True}}}}}}
    assert "Inner (Pass)" in [t.text for t in parse(render(definition).svg).iter(f"{SVG}title")]


def test_choice_edges_are_labelled_with_their_condition() -> None:
    words = texts(render(EVERY_TYPE).svg)
    assert "$.amount > 100" in words
    assert '$.tier == "gold" / default' in words  # two edges to one state share a line
    assert "rule 3" in words  # an And rule has no single condition to show


@pytest.mark.parametrize("rule,label", [
    ({"Variable": "$.n", "NumericLessThanEquals": 5}, "$.n <= 5"),
    ({"Variable": "$.n", "NumericGreaterThanEqualsPath": "$.max"}, "$.n >= $.max"),
    ({"Variable": "$.ok", "BooleanEquals": False}, "$.ok == false"),
    ({"Variable": "$.x", "IsPresent": False}, "$.x is not present"),
    ({"Variable": "$.name", "StringMatches": "log-*"}, '$.name matches "log-*"'),
    ({"Condition": "{% $states.input.amount > 100 %}"}, "$states.input.amount > 100"),
    ({"Not": {"Variable": "$.x", "IsNull": True}}, "rule 1"),
])
def test_condition_text(rule: dict[str, Any], label: str) -> None:
    assert smg._condition(rule, 1) == label


def test_retry_is_a_self_loop_annotation_and_catch_a_dashed_labelled_edge() -> None:
    svg = render(EVERY_TYPE).svg
    assert "retry ×3" in texts(svg)
    dashed = [p for p in parse(svg).iter(f"{SVG}path") if p.get("stroke-dasharray") == "6 4"]
    assert len(dashed) == 1
    assert "States.ALL" in texts(svg)
    no_retry = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "r", "End": True,
                                                 "Retry": [{"ErrorEquals": ["X"],
                                                            "MaxAttempts": 0}]}}}
    assert not any(w.startswith("retry") for w in texts(render(no_retry).svg))
    assert "retry ×3/×5" in texts(render({"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "r", "End": True,
        "Retry": [{"ErrorEquals": ["A"]}, {"ErrorEquals": ["B"], "MaxAttempts": 5}]}}}).svg)


def test_layers_are_longest_paths_from_start_and_a_loop_is_a_back_edge() -> None:
    nodes = {key: smg._Node(key, {}, 10, 10) for key in [smg._START, *LOOP["States"]]}
    nodes[smg._END] = smg._Node(smg._END, {}, 10, 10)
    edges = smg._edges(LOOP["States"], LOOP["StartAt"])
    order = smg._discover(list(nodes), edges)
    smg._rank(nodes, edges)
    assert order[:6] == [smg._START, "Start job", "Wait a bit", "Get status", "Done?",
                         "Finished"]
    assert [(e.src, e.dst) for e in edges if e.back] == [("Done?", "Wait a bit")]
    assert {k: n.rank for k, n in nodes.items()} == {
        smg._START: 0, "Start job": 1, "Wait a bit": 2, "Get status": 3, "Done?": 4,
        "Finished": 5, smg._END: 6}


def test_longest_path_puts_a_join_below_both_of_its_parents() -> None:
    definition: dict[str, Any] = {"StartAt": "A", "States": {
        "A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": True, "Next": "B"}],
              "Default": "C"},
        "B": {"Type": "Pass", "Next": "C"},
        "C": {"Type": "Succeed"}}}
    nodes = {key: smg._Node(key, {}, 10, 10) for key in [smg._START, "A", "B", "C", smg._END]}
    edges = smg._edges(definition["States"], "A")
    smg._discover(list(nodes), edges)
    smg._rank(nodes, edges)
    assert (nodes["A"].rank, nodes["B"].rank, nodes["C"].rank) == (1, 2, 3)


def test_loop_edge_runs_up_a_lane_right_of_every_state() -> None:
    root = parse(render(LOOP).svg)
    rights = [float(r.get("x", 0)) + float(r.get("width", 0)) for r in root.iter(f"{SVG}rect")
              if r.get("rx") == "8"]
    lanes = [p for p in root.iter(f"{SVG}path") if len(p.get("d", "").split(" L")) == 6]
    assert len(lanes) == 1
    xs = [float(point.split(",")[0]) for point in lanes[0].get("d", "")[1:].split(" L")]
    assert max(xs) > max(rights)


def test_rendering_is_deterministic_and_rounded() -> None:
    first, second = render(EVERY_TYPE).svg, render(json.dumps(EVERY_TYPE)).svg
    assert first == second
    path = ExecutionPath.from_history(history(("ExecutionStarted", None),
                                              *state("Pass", "Validate")))
    assert render(EVERY_TYPE, path).svg == render(EVERY_TYPE, path).svg
    assert not re.search(r"\d\.\d\d", first)
    assert "id=" not in first


def test_names_are_escaped() -> None:
    svg = render(EVERY_TYPE).svg
    assert "<card>" not in svg and "&lt;card&gt; &amp; &quot;ship&quot;" in svg
    assert CHARGE in texts(svg)
    assert f"{CHARGE} (Task)" in [t.text for t in parse(svg).iter(f"{SVG}title")]


def test_long_names_are_shortened_with_the_full_name_in_the_tooltip() -> None:
    name = "A very long state name that does not fit in the box"
    svg = render({"StartAt": name, "States": {name: {"Type": "Pass", "End": True}}}).svg
    assert any(w.endswith("…") and len(w) == 24 for w in texts(svg))
    assert f"{name} (Pass)" in [t.text for t in parse(svg).iter(f"{SVG}title")]


def test_repr_svg_is_the_svg() -> None:
    graph = render(LOOP)
    assert graph._repr_svg_() == graph.svg
    assert graph.svg.startswith("<svg ")


@pytest.mark.parametrize("definition,message", [
    ({"States": {}}, "StartAt and States"),
    ({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}, "'Nowhere'"),
])
def test_bad_definitions_are_refused(definition: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render(definition)


# ---------------------------------------------------------------------- execution path
