"""The bank's rules, and the real bank: it loads, is big enough, and its links resolve."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from serverless_lab.exam import grading, question_bank
from serverless_lab.exam.question_bank import DOMAIN_TITLES, DOMAINS, TASKS, BankError
from tests.conftest import ROOT

CHAPTERS = sorted(p.stem for p in (ROOT / "book").glob("[0-9][0-9]_*.md") if p.stem != "00_intro")


def good_question(qid: str = "lambda-one") -> dict:
    return {"id": qid, "domain": "Development", "task": "1.2", "section": "book/02_lambda.md#x",
            "source": "https://docs.aws.amazon.com/lambda/", "stem": "A developer needs a thing.",
            "options": [{"text": t, "correct": t == "right", "why": f"Because {t} is {t}."}
                        for t in ("right", "wrong", "other", "fourth")]}


def write_bank(tmp_path: Path, *questions: dict, chapter: str = "02_lambda") -> Path:
    data = {"chapter": chapter, "title": "T", "questions": list(questions)}
    (tmp_path / f"{chapter}.yml").write_text(yaml.safe_dump(data))
    return tmp_path


def problems(tmp_path: Path, *questions: dict) -> str:
    with pytest.raises(BankError) as caught:
        question_bank.load(write_bank(tmp_path, *questions))
    return str(caught.value)


def test_a_good_question_loads(tmp_path: Path) -> None:
    [q] = question_bank.load(write_bank(tmp_path, good_question()))
    assert len(q.answer) == 1 and not q.multiple and q.html_id == "q-lambda-one"
    assert [o.text for o in q.options if o.correct] == ["right"]
    assert [o.key for o in q.options] == ["a", "b", "c", "d"]
    assert q.task == "1.2" and q.task_title == "Develop code for AWS Lambda"


def test_display_order_depends_only_on_the_id(tmp_path: Path) -> None:
    first = question_bank.load(write_bank(tmp_path, good_question("lambda-one")))[0]
    again = question_bank.load(write_bank(tmp_path, good_question("lambda-one")))[0]
    assert first.options == again.options


def test_right_answers_are_spread_over_the_positions(bank) -> None:
    positions = [o.key for q in bank for o in q.options if o.correct]
    for key in "abcd":
        assert positions.count(key) > len(bank) / 10, key


def test_duplicate_ids_fail(tmp_path: Path) -> None:
    assert "duplicate id: lambda-one" in problems(tmp_path, good_question(), good_question())


def test_missing_explanation_fails(tmp_path: Path) -> None:
    q = good_question()
    del q["options"][1]["why"]
    assert "'why' is a required property" in problems(tmp_path, q)


def test_no_correct_option_fails(tmp_path: Path) -> None:
    q = good_question()
    q["options"][0]["correct"] = False
    assert "no correct option" in problems(tmp_path, q)


def test_multiple_answer_stem_must_say_how_many(tmp_path: Path) -> None:
    q = good_question()
    q["options"][1]["correct"] = True
    assert "Choose TWO." in problems(tmp_path, q)


def test_unknown_domain_fails(tmp_path: Path) -> None:
    q = good_question()
    q["domain"] = "Networking"
    assert "'Networking' is not one of" in problems(tmp_path, q)


def test_missing_task_fails(tmp_path: Path) -> None:
    q = good_question()
    del q["task"]
    assert "'task' is a required property" in problems(tmp_path, q)


def test_unknown_task_fails(tmp_path: Path) -> None:
    q = good_question()
    q["task"] = "2.4"
    assert "'2.4' is not one of" in problems(tmp_path, q)


def test_task_must_belong_to_the_domain(tmp_path: Path) -> None:
    q = good_question()
    q["task"] = "3.1"
    assert "task 3.1 belongs to Deployment, not Development" in problems(tmp_path, q)
    q["domain"] = "Deployment"
    assert question_bank.load(write_bank(tmp_path, q))[0].domain == "Deployment"


def test_twelve_tasks_three_per_domain_and_c03_titles() -> None:
    assert len(TASKS) == 12
    for number, domain in enumerate(DOMAINS, start=1):
        tasks = [t for t in TASKS if question_bank.domain_of(t) == domain]
        assert tasks == [f"{number}.{m}" for m in (1, 2, 3)], domain
    assert DOMAIN_TITLES["Deployment"] == "Testing and Deployment"
    assert sum(question_bank.DOMAIN_WEIGHTS.values()) == 100


def test_section_in_another_chapter_fails(tmp_path: Path) -> None:
    q = good_question()
    q["section"] = "book/01_serverless.md#x"
    assert "not in chapter 02_lambda" in problems(tmp_path, q)


# The real bank.

@pytest.fixture(scope="module")
def bank() -> list[question_bank.Question]:
    return question_bank.load()


def test_every_written_chapter_has_at_least_12_questions(bank) -> None:
    for chapter in CHAPTERS:
        assert len(question_bank.chapter(bank, chapter)) >= 12, chapter


def test_bank_holds_two_disjoint_mock_exams(bank) -> None:
    # At least twice each domain's share of 65 (40 / 34 / 28 / 28), so a second exam drawn
    # from what the first left over is complete and shares no question with it.
    counts = {d: sum(q.domain == d for q in bank) for d in DOMAINS}
    for domain, share in grading.allocation().items():
        assert counts[domain] >= 2 * share, (domain, counts[domain], 2 * share)
    first = grading.exam_plan(bank, seed=1)
    second = grading.exam_plan([q for q in bank if q not in first], seed=2)
    assert len(first) == len(second) == grading.EXAM_QUESTIONS
    assert not {q.id for q in first} & {q.id for q in second}


def test_every_option_is_explained(bank) -> None:
    assert all(o.why for q in bank for o in q.options)


def html_ids(html_dir: Path, page: str) -> set[str]:
    return set(re.findall(r'id="([^"]+)"', (html_dir / f"{page}.html").read_text()))


def test_section_and_lab_links_resolve_in_the_built_book(bank, built) -> None:
    _, html = built
    dangling = []
    for q in bank:
        for reference in filter(None, (q.section, q.lab)):
            page, anchor = question_bank.anchor_of(reference)
            if anchor not in html_ids(html, page):
                dangling.append(f"{q.id}: {reference}")
    assert not dangling, "dangling links:\n" + "\n".join(dangling)


def test_question_sources_are_aws_pages(bank) -> None:
    assert all(re.match(r"https://(docs\.)?aws\.amazon\.com/", q.source) for q in bank)


def test_bank_is_json_serialisable_for_the_renderer(bank) -> None:
    json.dumps([q.__dict__ | {"options": [o.__dict__ for o in q.options]} for q in bank])


def test_the_bank_is_parsed_once_per_content(tmp_path: Path) -> None:
    """A second load of the same files answers the same questions; a changed file is read
    again (even of the same size, at once)."""
    first = question_bank.load(write_bank(tmp_path, good_question("lambda-one")))
    assert question_bank.load(tmp_path) == first
    changed = question_bank.load(write_bank(tmp_path, good_question("lambda-two")))
    assert [q.id for q in changed] == ["lambda-two"]
    assert question_bank.load(tmp_path) is not question_bank.load(tmp_path)  # copies


def test_libyaml_reads_the_bank_as_pyyaml_does() -> None:
    for path in sorted(question_bank.default_directory().glob("[0-9][0-9]_*.yml")):
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=question_bank.YAML_LOADER) == yaml.safe_load(text)
