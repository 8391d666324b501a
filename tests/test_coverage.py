"""book/coverage.yml maps every bullet of NOTES.md to a section, a lab cell and questions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from serverless_lab.exam import question_bank
from tests.conftest import DATA, ROOT
from tests.exam.test_question_bank import html_ids

SHARED_NOTES = ROOT.parent / "shared" / "NOTES.md"


def bullets(notes: str) -> list[str]:
    return [re.sub(r"^[-*]\s+", "", line.strip()) for line in notes.splitlines()
            if re.match(r"^\s*[-*]\s+\S", line)]


@pytest.fixture(scope="module")
def coverage() -> list[dict]:
    return yaml.safe_load((ROOT / "book" / "coverage.yml").read_text(encoding="utf-8"))


def test_vendored_notes_match_the_shared_notes() -> None:
    if not SHARED_NOTES.exists():
        pytest.skip("no ../shared/NOTES.md beside this checkout")
    assert (DATA / "NOTES.md").read_text() == SHARED_NOTES.read_text()


def test_every_bullet_is_mapped_in_order(coverage) -> None:
    notes = bullets((DATA / "NOTES.md").read_text(encoding="utf-8"))
    assert [entry["note"] for entry in coverage] == notes


def chapter_exists(entry: dict) -> bool:
    return "chapter" in entry and (ROOT / "book" / f"{entry['chapter']}.md").exists()


def test_written_chapters_cover_their_bullets(coverage, capsys) -> None:
    ids = {q.id for q in question_bank.load()}
    missing, pending = [], []
    for entry in coverage:
        if not chapter_exists(entry):
            pending.append(f"{entry['note'][:60]} ({entry.get('pending', 'no chapter')})")
            continue
        if not entry.get("section"):
            missing.append(f"no section: {entry['note']}")
        if not entry.get("questions") or not set(entry["questions"]) <= ids:
            missing.append(f"no (known) question: {entry['note']} -> {entry.get('questions')}")
    with capsys.disabled():
        print(f"\ncoverage: {len(coverage) - len(pending)} bullets covered, "
              f"{len(pending)} pending their chapter")
    assert not missing, "\n".join(missing)


def test_coverage_links_resolve_in_the_built_book(coverage, built) -> None:
    _, html = built
    dangling = []
    for entry in filter(chapter_exists, coverage):
        for reference in filter(None, (entry.get("section"), entry.get("lab"))):
            page, anchor = question_bank.anchor_of(reference)
            if not Path(html / f"{page}.html").exists() or anchor not in html_ids(html, page):
                dangling.append(f"{entry['note'][:50]}: {reference}")
    assert not dangling, "\n".join(dangling)
