"""Sphinx directive ``conformance-differences``: chapter 10's table of the emulator's known
control-plane differences, generated from the conformance data so that it cannot drift.

    ```{conformance-differences}
    ```

It reads ``tests/data/conformance/*.yaml`` beside ``_config.yml`` (the case format is in
``tests/conformance/runner.py``) and renders one row per case that has an ``emulator:``
block: service, action, what AWS answers, what the emulator answers instead, and why. A line
under the table counts the cases per service. A case file that cannot be read, or an
``emulator:`` block without ``why:``, fails the build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

DATA = Path("tests") / "data" / "conformance"
HEADERS = ("Service", "Action", "On AWS", "In the emulator", "Why")
SERVICE_TITLES = {"lambda": "Lambda", "stepfunctions": "Step Functions",
                  "apigateway": "API Gateway", "apigatewayv2": "API Gateway v2"}


class DataError(ValueError):
    """A conformance data file the table cannot use."""


@dataclass(frozen=True)
class Difference:
    service: str
    case: str
    action: str
    aws: str
    emulator: str
    why: str


def describe(answer: dict[str, Any]) -> str:
    """An ``aws:`` or ``emulator:`` block in words: ``Code (400): message`` for an error,
    ``200 with Keys, ...`` for a success, and the values it checks (``Status = READY``)."""
    status = answer.get("status")
    if answer.get("error"):
        text = f"{answer['error']} ({status})" if status else str(answer["error"])
        message = answer.get("message") or (
            f"message like /{answer['message_re']}/" if answer.get("message_re") else "")
        return f"{text}: {message}" if message else text
    keys = answer.get("keys") or []
    text = f"{status or 'success'}" + (f" with {', '.join(keys)}" if keys else "")
    values = answer.get("values") or {}
    checked = "; ".join(f"{path} = {value}" for path, value in values.items())
    return f"{text}; {checked}" if checked else text


def load(directory: Path) -> dict[str, list[dict[str, Any]]]:
    """Each data file's cases, by its ``service:``."""
    cases: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            document = yaml.safe_load(path.read_text())
            cases[document["service"]] = list(document["cases"] or [])
        except (yaml.YAMLError, KeyError, TypeError) as error:
            raise DataError(f"{path.name}: {error}") from None
    return cases


def differences(cases: dict[str, list[dict[str, Any]]]) -> list[Difference]:
    """One row per case with an ``emulator:`` block, in file order."""
    rows = []
    for service, service_cases in cases.items():
        for case in service_cases:
            block = case.get("emulator")
            if block is None:
                continue
            if not block.get("why"):
                raise DataError(f"{service} case {case.get('id')}: emulator: has no why:")
            rows.append(Difference(service, case["id"], case.get("action", ""),
                                   describe(case.get("aws") or {}), describe(block),
                                   " ".join(str(block["why"]).split())))
    return rows


def counts(cases: dict[str, list[dict[str, Any]]]) -> str:
    """'Lambda 120 cases (3 differ), ...' for the line under the table."""
    parts = []
    for service, service_cases in cases.items():
        differ = sum(1 for case in service_cases if "emulator" in case)
        parts.append(f"{SERVICE_TITLES.get(service, service)}: {len(service_cases)} cases, "
                     f"{differ} with a known difference")
    return "; ".join(parts)


def _cell(text: str, literal: bool = False) -> nodes.entry:
    entry = nodes.entry()
    entry += nodes.paragraph("", "", nodes.literal(text, text) if literal else nodes.Text(text))
    return entry


def table(rows: list[Difference]) -> nodes.table:
    """A docutils table: a header row and one row per difference."""
    node = nodes.table(classes=["conformance-differences"])
    group = nodes.tgroup(cols=len(HEADERS))
    node += group
    for _ in HEADERS:
        group += nodes.colspec(colwidth=1)
    head, body = nodes.thead(), nodes.tbody()
    head += nodes.row("", *(_cell(title) for title in HEADERS))
    for row in rows:
        body += nodes.row("", _cell(SERVICE_TITLES.get(row.service, row.service)),
                          _cell(row.action, literal=True), _cell(row.aws), _cell(row.emulator),
                          _cell(row.why))
    group += head
    group += body
    return node


class ConformanceDifferences(SphinxDirective):
    """The table and the case counts (the data files are dependencies of the page)."""

    def run(self) -> list[nodes.Node]:
        directory = Path(self.env.app.srcdir) / DATA
        for path in sorted(directory.glob("*.yaml")):
            self.env.note_dependency(str(path))
        try:
            cases = load(directory)
            rows = differences(cases)
        except DataError as error:
            raise self.error(f"conformance data: {error}") from None
        if not cases:
            raise self.error(f"no conformance data in {directory}")
        found: list[nodes.Node] = [table(rows)] if rows else [
            nodes.paragraph("", "No control-plane case differs from AWS's answer.")]
        found.append(nodes.paragraph("", f"Conformance cases: {counts(cases)}."))
        return found


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("conformance-differences", ConformanceDifferences)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
