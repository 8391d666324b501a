"""The package as a whole: its import graph has no circles (imports inside functions count),
and ``exam/`` and ``targets/`` never import an emulator wing."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
WINGS = ("awslambda", "stepfunctions", "apigateway", "events")


def _modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / "serverless_lab").rglob("*.py"):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            module = (f"{base}.{node.module}" if node.module else base) if node.level \
                else node.module or ""
            targets |= {f"{module}.{a.name}" if f"{module}.{a.name}" in modules else module
                        for a in node.names}
        elif isinstance(node, ast.Import):
            targets |= {a.name for a in node.names}
    return {t for t in targets if t in modules and t not in (name, "serverless_lab")
            and not name.startswith(t + ".")}


def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def test_the_import_graph_has_no_circles() -> None:
    graphlib.TopologicalSorter(graph()).prepare()  # raises CycleError, naming the circle


def test_a_circle_would_be_found() -> None:
    import pytest

    with pytest.raises(graphlib.CycleError):
        graphlib.TopologicalSorter({"a": {"b"}, "b": {"a"}}).prepare()


def test_exam_and_targets_never_reach_into_a_wing() -> None:
    offending = {(name, target) for name, targets in graph().items()
                 if name.split(".")[1:2] in (["exam"], ["targets"])
                 for target in targets if target.split(".")[1] in WINGS}
    assert offending == set()
