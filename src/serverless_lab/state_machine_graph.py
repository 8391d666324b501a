"""Step Functions pictures: an Amazon States Language definition as an SVG flow graph,
coloured by one execution's history if given. Pure functions: no AWS calls, no emulator.

AWS: a state machine is "StartAt" plus "States"; states move on with ``Next``, ``End``,
Choice ``Choices[].Next``/``Default`` and ``Catch[].Next``; Parallel ``Branches`` and Map
``ItemProcessor`` (formerly ``Iterator``) hold nested state machines.
https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html
History events (AWS-RESPONSES.md 6e): ``<Type>StateEntered``/``Exited`` name the state, task
events do not, and there is no retry event: a retry is another ``...Scheduled`` in the visit.
https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from serverless_lab.execution_history import ExecutionPath

_START, _END = "\x00start", "\x00end"  # layout keys; ExecutionPath spells both ``None``
NODE_W, NODE_H, PILL_W, PILL_H, HEADER_H = 184.0, 60.0, 76.0, 26.0, 62.0
H_GAP, PAD, TRACK, CHAR_W = 28.0, 12.0, 10.0, 6.2
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"
# status: (fill, stroke, text colour, word shown under the state's name)
STYLES: dict[str, tuple[str, str, str, str]] = {
    "succeeded": ("#e6f4ea", "#1e8e3e", "#0d652d", "✓ succeeded"),
    "failed": ("#fce8e6", "#d93025", "#a50e0e", "✗ failed"),
    "caught": ("#feefe3", "#e8710a", "#a04400", "↪ caught"),
    "retried": ("#fef7e0", "#f9ab00", "#7a4f00", "↻ retried"),
    "running": ("#e8f0fe", "#1a73e8", "#174ea6", "▶ running"),
    "not visited": ("#f1f3f4", "#9aa0a6", "#5f6368", "○ not visited"),
}
_NEUTRAL = ("#ffffff", "#5f6368", "#3c4043", "")
_OPERATORS = {"Equals": "==", "LessThan": "<", "GreaterThan": ">", "LessThanEquals": "<=",
              "GreaterThanEquals": ">=", "Matches": "matches"}


@dataclass(frozen=True)
class Graph:
    """A rendered state machine; Jupyter shows it inline through ``_repr_svg_``."""

    svg: str

    def _repr_svg_(self) -> str:
        return self.svg

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.svg, encoding="utf-8")


@dataclass
class _Block:
    w: float
    h: float
    body: list[str]


@dataclass
class _Node:
    key: str
    spec: Mapping[str, Any]
    w: float
    h: float
    inner: list[_Block] = field(default_factory=list)
    extra: float = 0.0  # room to the right of the box for the retry annotation
    rank: int = 1
    x: float = 0.0
    y: float = 0.0

    @property
    def cx(self) -> float:
        return self.x + self.w / 2


@dataclass
class _Edge:
    src: str
    dst: str
    label: str = ""
    dashed: bool = False
    back: bool = False
    lane: bool = False
    via: float | None = None  # x of the vertical run of an edge that detours


def render(definition: str | Mapping[str, Any], path: ExecutionPath | None = None) -> Graph:
    """Draw ``definition`` top to bottom; with ``path``, colour it by that execution."""
    spec = json.loads(definition) if isinstance(definition, str) else definition
    if "StartAt" not in spec or "States" not in spec:
        raise ValueError("a state machine definition needs StartAt and States")
    block = _flow(spec["States"], spec["StartAt"], path, "Start")
    legend, legend_w, legend_h = _legend(block.w, block.h) if path else ([], 0.0, 0.0)
    width, height = max(block.w, legend_w), block.h + legend_h
    title = f"Step Functions state machine, {len(spec['States'])} states from {spec['StartAt']}"
    if spec.get("Comment"):
        title = f"{title}: {spec['Comment']}"
    desc = "; ".join(f"{name} {status}" for name, status in (path.statuses if path else {}).items())
    return Graph("".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}" height="{_n(height)}" ',
        f'viewBox="0 0 {_n(width)} {_n(height)}" role="img">',
        f"<title>{_esc(title)}</title>",
        f"<desc>{_esc('Execution path: ' + desc)}</desc>" if path else "",
        f'<rect width="{_n(width)}" height="{_n(height)}" fill="#ffffff"/>',
        f'<g font-family="{_esc(FONT)}" font-size="12" fill="#202124">',
        *block.body, *legend, "</g></svg>\n"]))


def _flow(states: Mapping[str, Any], start_at: str, path: ExecutionPath | None,
          caption: str) -> _Block:
    """Longest-path layering from StartAt (back edges ignored), rows in discovery order."""
    nodes = {_START: _Node(_START, {"label": caption}, max(PILL_W, len(caption) * 7 + 24),
                           PILL_H)}
    nodes.update({name: _state_node(name, spec, path) for name, spec in states.items()})
    edges = _edges(states, start_at)
    if any(e.dst == _END for e in edges):
        nodes[_END] = _Node(_END, {"label": "End"}, PILL_W, PILL_H)
    order = _discover(list(nodes), edges)
    _rank(nodes, edges)
    rows: list[list[_Node]] = [[] for _ in range(max(n.rank for n in nodes.values()) + 1)]
    for key in order:
        rows[nodes[key].rank].append(nodes[key])
    width = _place_x(rows)
    tracks, right = _plan(rows, nodes, edges, width)
    gap_tops, height = _place_y(rows, tracks)
    edges.sort(key=lambda e: _taken(e, path))  # taken edges drawn on top
    body = [_edge_svg(e, _points(e, nodes, tracks, gap_tops), path) for e in edges]
    body += [part for key in order for part in _node_svg(nodes[key], path)]
    return _Block(right + 2 * PAD, height + 2 * PAD,
                  [f'<g transform="translate({_n(PAD)},{_n(PAD)})">', *body, "</g>"])


def _state_node(name: str, spec: Mapping[str, Any], path: ExecutionPath | None) -> _Node:
    inner = [_flow(b["States"], b["StartAt"], path, f"branch {i}")
             for i, b in enumerate(spec.get("Branches", []), 1)]
    processor = spec.get("ItemProcessor") or spec.get("Iterator")
    if processor:
        inner.append(_flow(processor["States"], processor["StartAt"], path, "each item"))
    w, h = NODE_W, NODE_H
    if inner:
        w = max(w, 2 * PAD + sum(b.w for b in inner) + PAD * (len(inner) - 1))
        h = HEADER_H + max(b.h for b in inner) + PAD
    retry = _retry_text(spec)
    return _Node(name, spec, w, h, inner, 30 + len(retry) * CHAR_W if retry else 0.0)


def _edges(states: Mapping[str, Any], start_at: str) -> list[_Edge]:
    """Next, Choices[].Next, Default, Catch[].Next, and End / Succeed / Fail to End."""
    edges = [_Edge(_START, start_at)]
    for name, spec in states.items():
        edges += _state_edges(name, spec)
    for edge in edges:
        if edge.dst != _END and edge.dst not in states:
            raise ValueError(f"{edge.dst!r} is a transition target but not a state")
    merged: dict[tuple[str, str, bool], _Edge] = {}
    for edge in edges:  # two rules to the same state become one edge with both labels
        same = merged.setdefault((edge.src, edge.dst, edge.dashed), edge)
        if same is not edge and edge.label:
            same.label = " / ".join(filter(None, (same.label, edge.label)))
    return list(merged.values())


def _state_edges(name: str, spec: Mapping[str, Any]) -> list[_Edge]:
    out = [_Edge(name, rule["Next"], _condition(rule, i))
           for i, rule in enumerate(spec.get("Choices", []), 1) if "Next" in rule]
    if "Default" in spec:
        out.append(_Edge(name, spec["Default"], "default"))
    if "Next" in spec:
        out.append(_Edge(name, spec["Next"]))
    if spec.get("End") or spec.get("Type") in ("Succeed", "Fail"):
        out.append(_Edge(name, _END))
    out += [_Edge(name, c["Next"], _short(", ".join(c.get("ErrorEquals", []))), dashed=True)
            for c in spec.get("Catch", []) if "Next" in c]
    return out


def _condition(rule: Mapping[str, Any], number: int) -> str:
    """``$.amount > 100`` from Variable + operator + value; ``rule N`` for And/Or/Not."""
    if "Condition" in rule:  # JSONata: "{% $states.input.amount > 100 %}"
        return _short(str(rule["Condition"]).strip("{}% "))
    for key, value in rule.items():
        text = _comparison(key, value)
        if text and "Variable" in rule:
            return _short(f"{rule['Variable']} {text}")
    return f"rule {number}"


def _comparison(key: str, value: Any) -> str | None:
    if key.startswith("Is"):  # IsPresent, IsNull, IsNumeric, ...
        return ("is " if value else "is not ") + key[2:].lower()
    for prefix in ("String", "Numeric", "Boolean", "Timestamp"):
        operator = _OPERATORS.get(key.removeprefix(prefix).removesuffix("Path"))
        if key.startswith(prefix) and operator:
            shown = value if key.endswith("Path") else json.dumps(value, ensure_ascii=False)
            return f"{operator} {shown}"
    return None


def _discover(keys: list[str], edges: list[_Edge]) -> list[str]:
    """Depth-first order from Start (then unreachable states); marks loop edges as back."""
    out: dict[str, list[_Edge]] = {key: [] for key in keys}
    for edge in edges:
        out[edge.src].append(edge)
    order: list[str] = []
    for key in keys:
        if key not in order:
            _dfs(key, out, order, set())
    return order


def _dfs(key: str, out: dict[str, list[_Edge]], order: list[str], stack: set[str]) -> None:
    order.append(key)
    stack.add(key)
    for edge in out[key]:
        if edge.dst in stack:
            edge.back = True
        elif edge.dst not in order:
            _dfs(edge.dst, out, order, stack)
    stack.discard(key)


def _rank(nodes: dict[str, _Node], edges: list[_Edge]) -> None:
    """rank = length of the longest path from Start over forward edges; End goes last."""
    nodes[_START].rank = 0
    for _ in nodes:
        moved = False
        for edge in (e for e in edges if not e.back):
            if nodes[edge.dst].rank <= nodes[edge.src].rank:
                nodes[edge.dst].rank, moved = nodes[edge.src].rank + 1, True
        if not moved:
            break
    if _END in nodes:
        nodes[_END].rank = max(n.rank for k, n in nodes.items() if k != _END) + 1


def _place_x(rows: list[list[_Node]]) -> float:
    widths = [sum(n.w + n.extra for n in row) + H_GAP * (len(row) - 1) for row in rows]
    width = max(widths)
    for row, row_w in zip(rows, widths):
        x = (width - row_w) / 2
        for node in row:
            node.x, x = x, x + node.w + node.extra + H_GAP
    return width


def _plan(rows: list[list[_Node]], nodes: dict[str, _Node], edges: list[_Edge],
          width: float) -> tuple[dict[int, list[object]], float]:
    """Horizontal tracks in the gaps between rows. An edge that would cross a state runs
    down at its source's x, or (loops too) up or down a lane right of everything."""
    tracks: dict[int, list[object]] = {}
    right = max([width, *(nodes[e.dst].x + nodes[e.dst].w * 0.75 + 8 + len(e.label) * CHAR_W
                          for e in edges if e.label)])
    lanes = 0
    for edge in edges:
        src, dst = nodes[edge.src], nodes[edge.dst]
        _add(tracks, src.rank, (edge.src, edge.dashed))
        between = rows[src.rank + 1:dst.rank]
        if edge.back or _blocked(between, dst.cx):
            edge.via = _exit_x(edge, src)
            if edge.back or _blocked(between, edge.via):
                edge.via, edge.lane, lanes = right + 14 + TRACK * lanes, True, lanes + 1
            _add(tracks, dst.rank - 1, edge)
    return tracks, right + (14 + TRACK * lanes if lanes else 0)


def _exit_x(edge: _Edge, node: _Node) -> float:
    return node.cx + (node.w / 4 if edge.dashed else 0)


def _add(tracks: dict[int, list[object]], gap: int, key: object) -> None:
    if key not in tracks.setdefault(gap, []):
        tracks[gap].append(key)


def _blocked(rows: list[list[_Node]], x: float) -> bool:
    return any(n.x - 6 <= x <= n.x + n.w + n.extra + 6 for row in rows for n in row)


def _place_y(rows: list[list[_Node]], tracks: dict[int, list[object]]
             ) -> tuple[dict[int, float], float]:
    y, gap_tops = 0.0, {}
    for r, row in enumerate(rows):
        for node in row:
            node.y = y
        y += max(n.h for n in row)
        gap_tops[r] = y
        count = len(tracks.get(r, []))
        y += 14 + TRACK * count + 20 if count else (24 if r < len(rows) - 1 else 0)
    return gap_tops, y


def _points(edge: _Edge, nodes: dict[str, _Node], tracks: dict[int, list[object]],
            gap_tops: dict[int, float]) -> list[tuple[float, float]]:
    """Orthogonal: down to the source's track, across, down into the top of the target
    (loops come back through a lane and enter right of centre)."""
    src, dst = nodes[edge.src], nodes[edge.dst]
    sx, dx = _exit_x(edge, src), dst.cx + (dst.w / 4 if edge.lane else 0)
    out_y = gap_tops[src.rank] + 14 + TRACK * tracks[src.rank].index((edge.src, edge.dashed))
    points = [(sx, src.y + src.h), (sx, out_y)]
    if edge.via is not None:
        in_y = gap_tops[dst.rank - 1] + 14 + TRACK * tracks[dst.rank - 1].index(edge)
        points += [(edge.via, out_y), (edge.via, in_y), (dx, in_y)]
    else:
        points.append((dx, out_y))
    return points + [(dx, dst.y)]


def _taken(edge: _Edge, path: ExecutionPath | None) -> bool:
    public = (None if edge.src == _START else edge.src, None if edge.dst == _END else edge.dst)
    return path is not None and public in path.edges


def _edge_svg(edge: _Edge, points: list[tuple[float, float]], path: ExecutionPath | None
              ) -> str:
    taken = _taken(edge, path)
    colour = "#202124" if taken else ("#bdc1c6" if path else "#5f6368")
    (x, y), dash = points[-1], ' stroke-dasharray="6 4"' if edge.dashed else ""
    line = " L".join(f"{_n(px)},{_n(py)}" for px, py in [*points[:-1], (x, y - 7)])
    out = (f'<path d="M{line}" fill="none" stroke="{colour}" '
           f'stroke-width="{3 if taken else 1.5}"{dash}/>'
           f'<polygon points="{_n(x - 5)},{_n(y - 9)} {_n(x + 5)},{_n(y - 9)} {_n(x)},{_n(y)}" '
           f'fill="{colour}"/>')
    if edge.label:
        out += (f'<text x="{_n(x + 8)}" y="{_n(y - 6)}" font-size="11" fill="#3c4043" '
                f'stroke="#ffffff" stroke-width="3" paint-order="stroke">'
                f"{_esc(edge.label)}</text>")
    return out


def _node_svg(node: _Node, path: ExecutionPath | None) -> list[str]:
    if node.key in (_START, _END):
        return [_rect(node.x, node.y, node.w, node.h, "#3c4043", "#3c4043", 13),
                _text(node.cx, node.y + 17, node.spec["label"], 11, "#ffffff", bold=True)]
    status = path.status(node.key) if path else None
    fill, stroke, ink, word = STYLES[status] if status else _NEUTRAL
    if status == "retried" and path and path.retries.get(node.key):
        word = f"{word} ×{path.retries[node.key]}"
    tip = f"{node.key} ({node.spec.get('Type', '?')})" + (f": {status}" if status else "")
    out = [f"<g><title>{_esc(tip)}</title>",
           _rect(node.x, node.y, node.w, node.h, fill, stroke, 12 if node.inner else 8)]
    y = node.y + (20 if word or node.inner else 26)
    for text, size, colour, bold in ((_short(node.key, 24), 13, "#202124", True),
                                     (_subtitle(node.spec), 11, "#5f6368", False),
                                     (word, 11, ink, True)):
        if text:
            out.append(_text(node.cx, y, text, size, colour, bold))
            y += 16
    return out + _retry_svg(node, ink if status == "retried" else "#5f6368") + \
        _inner_svg(node) + ["</g>"]


def _subtitle(spec: Mapping[str, Any]) -> str:
    kind = str(spec.get("Type", "?"))
    if "Branches" in spec:
        return f"{kind} · {len(spec['Branches'])} branches"
    if "Seconds" in spec:
        return f"{kind} {spec['Seconds']} s"
    return kind


def _retry_text(spec: Mapping[str, Any]) -> str:
    counts = [r.get("MaxAttempts", 3) for r in spec.get("Retry", [])]
    return "retry " + "/".join(f"×{n}" for n in counts if n) if any(counts) else ""


def _retry_svg(node: _Node, colour: str) -> list[str]:
    """The Retry annotation: a small loop on the state's right side and ``retry ×3``."""
    text = _retry_text(node.spec)
    if not text:
        return []
    x, y = node.x + node.w, node.y + (30 if node.inner else node.h / 2)
    return [f'<path d="M{_n(x)},{_n(y - 10)} C{_n(x + 22)},{_n(y - 18)} {_n(x + 22)},'
            f'{_n(y + 18)} {_n(x + 6)},{_n(y + 11)}" fill="none" stroke="{colour}" '
            f'stroke-width="1.5"/><polygon points="{_n(x)},{_n(y + 9)} {_n(x + 8)},'
            f'{_n(y + 6)} {_n(x + 7)},{_n(y + 15)}" fill="{colour}"/>',
            _text(x + 24, y + 4, text, 11, colour, anchor="start")]


def _inner_svg(node: _Node) -> list[str]:
    """Parallel branches and the Map iterator, side by side inside the container."""
    content = sum(b.w for b in node.inner) + PAD * (len(node.inner) - 1)
    x, out = node.x + (node.w - content) / 2, []
    for block in node.inner:
        out += [f'<g transform="translate({_n(x)},{_n(node.y + HEADER_H)})">',
                f'<rect width="{_n(block.w)}" height="{_n(block.h)}" rx="6" fill="none" '
                f'stroke="#9aa0a6" stroke-dasharray="3 3"/>', *block.body, "</g>"]
        x += block.w + PAD
    return out


def _legend(width: float, top: float) -> tuple[list[str], float, float]:
    """Colour is never the only cue: each swatch repeats the word and icon on the states."""
    columns = max(3, min(7, int((width - 2 * PAD) // 112)))
    items = [(s, STYLES[s]) for s in STYLES] + [("path taken", ("", "", "", "path taken"))]
    out = []
    for i, (status, (fill, stroke, ink, word)) in enumerate(items):
        x, y = PAD + 112 * (i % columns), 8 + 22 * (i // columns)
        shape = (_rect(x, y, 16, 14, fill, stroke, 3) if fill else
                 f'<path d="M{_n(x)},{_n(y + 7)} h16" stroke="#202124" stroke-width="3"/>')
        out += [shape, _text(x + 22, y + 11, word, 11, ink or "#202124", anchor="start")]
    rows = (len(items) + columns - 1) // columns
    return ([f'<g class="legend" transform="translate(0,{_n(top)})">'] + out + ["</g>"],
            112 * columns + 2 * PAD, 22 * rows + 12)


def _rect(x: float, y: float, w: float, h: float, fill: str, stroke: str, rx: float) -> str:
    return (f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" rx="{_n(rx)}" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>')


def _text(x: float, y: float, text: str, size: int, colour: str, bold: bool = False,
          anchor: str = "middle") -> str:
    weight = ' font-weight="600"' if bold else ""
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" fill="{colour}" '
            f'text-anchor="{anchor}"{weight}>{_esc(text)}</text>')


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def _n(value: float) -> str:
    """Round to one decimal, and drop a trailing ``.0``: the same input, the same bytes."""
    text = f"{round(value, 1) + 0.0:.1f}"  # + 0.0: no "-0"
    return text[:-2] if text.endswith(".0") else text
