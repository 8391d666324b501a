"""Chapter 10's table of differences (book/_ext/conformance_table.py) lists every case of
the conformance data that has an ``emulator:`` block, so the chapter cannot drift from it."""

from __future__ import annotations

import html
import sys
from pathlib import Path

import pytest

from tests.conformance import runner

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import conformance_table  # noqa: E402

DATA = ROOT / conformance_table.DATA


def documented() -> list[tuple[str, str]]:
    """(service, case id) of every case with an emulator: block, read by the runner."""
    return [(service, case["id"]) for service, cases in runner.all_cases().items()
            for case in cases if "emulator" in case]


def plain(text: str) -> str:
    """Text with Sphinx's typographic quotes and dashes put back (smartquotes)."""
    table = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                           "\u2013": "--", "\u2014": "---"})
    return " ".join(text.translate(table).split())


def test_the_table_lists_every_emulator_block() -> None:
    rows = conformance_table.differences(conformance_table.load(DATA))
    assert [(row.service, row.case) for row in rows] == documented()
    for row in rows:
        assert row.action and row.aws and row.emulator and row.why


def test_answers_are_described_in_words() -> None:
    describe = conformance_table.describe
    assert describe({"error": "ResourceConflictException", "status": 409,
                     "message": "Function already exist: f1"}) == (
        "ResourceConflictException (409): Function already exist: f1")
    assert describe({"error": "InvalidArn", "status": 400, "message_re": "^Invalid"}) == (
        "InvalidArn (400): message like /^Invalid/")
    assert describe({"status": 202, "keys": ["Status", "LastModified"]}) == (
        "202 with Status, LastModified")
    assert describe({"status": 202, "keys": ["Status"], "values": {"Status": "READY"}}) == (
        "202 with Status; Status = READY")


def test_a_difference_without_why_is_refused(tmp_path: Path) -> None:
    (tmp_path / "lambda.yaml").write_text(
        "service: lambda\ncases:\n- id: c1\n  action: GetFunction\n"
        "  aws: {status: 200}\n  emulator: {status: 404}\n")
    with pytest.raises(conformance_table.DataError, match="c1: emulator: has no why"):
        conformance_table.differences(conformance_table.load(tmp_path))


def test_the_counts_name_each_service(tmp_path: Path) -> None:
    (tmp_path / "stepfunctions.yaml").write_text(
        "service: stepfunctions\ncases:\n- id: a\n- id: b\n  emulator: {why: x}\n")
    cases = conformance_table.load(tmp_path)
    assert conformance_table.counts(cases) == (
        "Step Functions: 2 cases, 1 with a known difference")


def test_chapter_10_uses_the_directive_in_its_differences_section() -> None:
    chapter = (ROOT / "book" / "10_real_aws.md").read_text()
    section = chapter.split("## Where the emulator and AWS differ", 1)[1].split("\n## ", 1)[0]
    assert "```{conformance-differences}" in section
    assert "conformance_table: book/_ext" in (ROOT / "_config.yml").read_text()


def test_the_built_chapter_shows_every_difference(built) -> None:
    _, out = built
    page = plain(html.unescape((out / "book" / "10_real_aws.html").read_text()))
    for row in conformance_table.differences(conformance_table.load(DATA)):
        assert plain(row.why) in page, row.case
    assert "Conformance cases:" in page
