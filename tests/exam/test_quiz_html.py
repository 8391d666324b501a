"""The quiz front end: the HTML renderer, and the built book's quizzes in a real Chromium."""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from serverless_lab.exam import question_bank, quiz_html
from serverless_lab.exam.grading import EXAM_MINUTES, EXAM_QUESTIONS, allocation, exam_plan
from serverless_lab.exam.question_bank import DOMAIN_WEIGHTS, Question
from tests.conftest import serve_directory as serve

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "screenshot-quiz.png"
URL = re.compile(r"https?://[^\s\"'<>)\\]+")
PAGE_CONFIG = ("SLBQuiz.examConfig(JSON.parse(document.querySelector("
               "'.slb-revision script.slb-quiz-data').textContent))")

BANK = """\
chapter: 02_lambda
title: "AWS Lambda"
questions:
  - id: lambda-sync-error-status
    domain: Troubleshooting
    task: "4.1"
    section: book/02_lambda.md#when-a-synchronous-invocation-fails
    lab: labs/02_lambda.ipynb#step-7-a-function-error
    source: https://docs.aws.amazon.com/lambda/latest/dg/invocation-retries.html
    stem: >-
      A handler raises <script>alert("x")</script> & fails. What does `Invoke` return
      to the "caller"?
    options:
      - {text: "200 with `FunctionError`", correct: true, why: "The call succeeded & the error is in the payload."}
      - {text: "500 <b>", correct: false, why: "500 is a service error, not a <code> error."}
      - {text: "502", correct: false, why: "502 is an invalid runtime response."}
      - {text: "429", correct: false, why: "429 is throttling: TooManyRequestsException."}
  - id: lambda-invocation-types
    domain: Development
    task: "1.2"
    section: book/02_lambda.md#three-ways-to-be-invoked
    source: https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
    stem: Which status codes go with which invocation types? Choose TWO.
    options:
      - {text: RequestResponse returns 200, correct: true, why: A synchronous call returns 200.}
      - {text: Event returns 202, correct: true, why: An asynchronous call is accepted with 202.}
      - {text: DryRun returns 200, correct: false, why: DryRun returns 204 No Content.}
      - {text: Event returns 200, correct: false, why: "Event is asynchronous, so 202."}
      - {text: RequestResponse returns 204, correct: false, why: 204 is what DryRun returns.}
"""


@pytest.fixture
def bank(tmp_path: Path) -> list[Question]:
    (tmp_path / "02_lambda.yml").write_text(BANK, encoding="utf-8")
    return question_bank.load(tmp_path)


def real_bank() -> list[Question]:
    return question_bank.load(ROOT / "quizzes")


# ---------- the renderer ----------


def test_ids_are_derived_from_question_ids_only(bank: list[Question]) -> None:
    page = quiz_html.render_quiz(bank, "02_lambda")
    assert '<div class="slb-quiz" id="quiz-02_lambda" data-quiz="02_lambda">' in page
    assert 'id="quiz-02_lambda-score"' in page
    for q in bank:
        for suffix in ["", "-check", "-feedback"] + [f"-{o.key}" for o in q.options]:
            assert page.count(f'id="q-{q.id}{suffix}"') == 1, suffix
    every_id = re.findall(r'\bid="([^"]+)"', page)
    allowed = {"quiz-02_lambda", "quiz-02_lambda-score"}
    assert all(i in allowed or any(i.startswith(f"q-{q.id}") for q in bank) for i in every_id)
    # a question's block does not depend on its neighbours
    alone = quiz_html.question_html(bank[1])
    assert alone in page and alone in quiz_html.render_quiz(bank[::-1], "02_lambda")


def test_output_is_deterministic(bank: list[Question], tmp_path: Path) -> None:
    first = quiz_html.render_quiz(bank, "02_lambda")
    assert quiz_html.render_quiz(question_bank.load(tmp_path), "02_lambda") == first
    assert quiz_html.render_revision(bank) == quiz_html.render_revision(list(bank))


def test_text_is_escaped_and_backticks_become_code(bank: list[Question]) -> None:
    page = quiz_html.render_quiz(bank, "02_lambda")
    assert "<script>alert" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; fails" in page
    assert "What does <code>Invoke</code> return" in page
    assert "200 with <code>FunctionError</code>" in page
    assert "not a &lt;code&gt; error" in page
    assert quiz_html.inline("a `<b>` & `c`") == "a <code>&lt;b&gt;</code> &amp; <code>c</code>"


def test_json_data_cannot_close_its_script(bank: list[Question]) -> None:
    for page in (quiz_html.render_quiz(bank, "02_lambda"), quiz_html.render_revision(bank)):
        scripts = re.findall(r'<script type="application/json" class="slb-quiz-data">(.*?)</script>',
                             page, re.S)
        assert len(scripts) == 1 and "<" not in scripts[0]
        data = json.loads(scripts[0])
        assert [q["id"] for q in data["questions"]] == [q.id for q in bank]
        assert data["questions"][1]["answer"] == sorted(bank[1].answer)


def test_no_url_but_the_questions_links(bank: list[Question]) -> None:
    sources = {q.source for q in bank}
    for page in (quiz_html.render_quiz(bank, "02_lambda"), quiz_html.render_revision(bank)):
        assert set(URL.findall(page.replace("\\u0026", "&"))) == sources
        assert "src=" not in page and "<link" not in page and "@import" not in page
    for asset in ("quiz_logic.js", "quiz.js", "quiz.css"):
        assert not URL.search(quiz_html._asset(asset)), asset


def test_single_answer_radios_multiple_answer_checkboxes(bank: list[Question]) -> None:
    page = quiz_html.render_quiz(bank, "02_lambda")
    single, multiple = bank
    assert page.count(f'type="radio" name="q-{single.id}"') == 4
    assert page.count(f'type="checkbox" name="q-{multiple.id}"') == 5
    assert f'type="checkbox" name="q-{single.id}"' not in page


def test_feedback_explains_every_option_and_links(bank: list[Question]) -> None:
    page = quiz_html.render_quiz(bank, "02_lambda")
    for q in bank:
        feedback = page.split(f'id="q-{q.id}-feedback"')[1].split("</form>")[0]
        for o in q.options:
            mark = "Correct" if o.correct else "Incorrect"
            assert (f'<li class="slb-why slb-why-{"correct" if o.correct else "wrong"}" '
                    f'data-key="{o.key}"><strong>{o.key.upper()}. {mark}.</strong> '
                    f"{quiz_html.inline(o.why)}</li>") in feedback
        assert f'href="{html.escape(q.source)}"' in feedback
    assert ('<a href="02_lambda.html#when-a-synchronous-invocation-fails">Read: When a '
            "synchronous invocation fails</a>") in page
    assert '<a href="../labs/02_lambda.html#step-7-a-function-error">Lab: Step 7 a function' in page
    titled = quiz_html.render_quiz(bank, "x", titles={bank[1].section: "Three `ways`"})
    assert ">Read: Three <code>ways</code></a>" in titled
    assert "Score: 0 / 2 answered right" in page


def test_links_are_relative_to_the_page() -> None:
    assert quiz_html.href("book/02_lambda.md#a-b") == "02_lambda.html#a-b"
    assert quiz_html.href("labs/02_lambda.ipynb#step-1") == "../labs/02_lambda.html#step-1"
    assert quiz_html.href("book/02_lambda.md#a", base="labs") == "../book/02_lambda.html#a"
    assert quiz_html.href("book/02_lambda.md#a", base="") == "book/02_lambda.html#a"


C03_WEIGHTS = {"Development": 30, "Security": 26, "Deployment": 22, "Troubleshooting": 22}


def test_mock_exam_table_uses_the_largest_remainder_split(bank: list[Question]) -> None:
    # DVA-C03 (FACTS.md section 0): 65 x (30, 26, 22, 22) % = 19.5, 16.9, 14.3, 14.3: whole
    # parts 63, the 2 left go to the largest fractions .9 (Security) and .5 (Development).
    assert allocation(65, C03_WEIGHTS) == {"Development": 20, "Security": 17, "Deployment": 14,
                                           "Troubleshooting": 14}
    page = quiz_html.render_revision(bank)
    titles = quiz_html.exam_config()["titles"]
    for domain, share in allocation().items():
        assert (f'<th scope="row">{titles[domain]}</th><td>{DOMAIN_WEIGHTS[domain]} %</td>'
                f"<td>{share}</td>") in page


def test_revision_app_holds_every_question(bank: list[Question]) -> None:
    page = quiz_html.render_revision(bank)
    data = json.loads(re.search(r'class="slb-quiz-data">(.*?)</script>', page, re.S)[1])
    assert data["kind"] == "revision"
    assert [q["html"] for q in data["questions"]] == [quiz_html.question_html(q) for q in bank]
    assert "The bank has 2 questions: this mock exam uses 2 of 65." in page
    assert 'id="quiz-revision-timer"' in page and 'value="02_lambda"' in page


def test_bad_input_is_refused(bank: list[Question]) -> None:
    with pytest.raises(ValueError):
        quiz_html.render_quiz([], "02_lambda")
    with pytest.raises(ValueError):
        quiz_html.render_quiz(bank, '02"><script>')


def test_the_real_bank_renders() -> None:
    questions = real_bank()
    for chapter in sorted({q.chapter for q in questions}):
        assert quiz_html.render_quiz(question_bank.chapter(questions, chapter), chapter)
    if questions:
        assert quiz_html.render_revision(questions)


# ---------- the built book in Chromium ----------


@pytest.fixture(scope="module")
def site(built: tuple[Any, Path]) -> Iterator[str]:
    """The built book on http://127.0.0.1:<free port>/."""
    result, html_dir = built
    assert (html_dir / "book" / "revision.html").is_file(), result.stdout[-3000:] + result.stderr[-3000:]
    with serve(html_dir) as url:
        yield url




@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page whose localStorage starts empty; a page error fails the test."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == []


def plain(text: str) -> str:
    return " ".join(text.replace("`", "").split())


def _answer(page: Any, q: Question, keys: list[str]) -> Any:
    for key in keys:
        page.check(f"#q-{q.id}-{key}")
    page.click(f"#q-{q.id}-check")
    return page.locator(f"#q-{q.id}-feedback")


def test_chapter_quiz_in_the_browser(site: str, page: Any) -> None:
    questions = question_bank.chapter(real_bank(), "02_lambda")
    right_q, wrong_q = questions[0], questions[1]
    wrong_key = next(o.key for o in wrong_q.options if not o.correct)
    page.goto(f"{site}/book/02_lambda.html")
    score = page.locator("#quiz-02_lambda-score")
    assert score.inner_text() == f"Score: 0 / {len(questions)} answered right"

    feedback = _answer(page, right_q, sorted(right_q.answer))
    assert feedback.is_visible()
    assert feedback.locator(".slb-verdict").inner_text().startswith("Right!")
    for option, why in zip(right_q.options, feedback.locator(".slb-why").all(), strict=True):
        assert why.is_visible()
        mark = "Correct." if option.correct else "Incorrect."
        assert plain(why.inner_text()) == f"{option.key.upper()}. {mark} {plain(option.why)}"
    assert feedback.locator("a", has_text="Read: ").get_attribute("href").startswith(
        quiz_html.href(right_q.section).split("#")[0])

    feedback = _answer(page, wrong_q, [wrong_key])
    verdict = feedback.locator(".slb-verdict").inner_text()
    assert verdict.startswith("Wrong.") and ", ".join(sorted(wrong_q.answer)).upper() in verdict
    shown = plain(feedback.inner_text())
    assert all(plain(o.why) in shown for o in wrong_q.options)
    assert score.inner_text() == f"Score: 1 / {len(questions)} answered right"
    stored = page.evaluate("JSON.parse(localStorage.getItem('serverless-lab-book/progress'))")
    assert stored[right_q.id]["box"] == 2 and stored[right_q.id]["right"] == 1
    assert stored[wrong_q.id]["box"] == 1 and stored[wrong_q.id]["wrong"] == 1
    if os.environ.get("SLB_SCREENSHOT") == "1":
        page.add_style_tag(content="#pst-back-to-top { display: none !important; }")
        page.evaluate("document.getElementById('quiz').scrollIntoView(); window.scrollBy(0, -64)")
        page.screenshot(path=str(SCREENSHOT))

    page.reload()
    assert score.inner_text() == f"Score: 1 / {len(questions)} answered right"
    assert page.locator(f"#q-{right_q.id} .slb-badge").inner_text() == "✓ answered right before"
    assert page.locator(f"#q-{wrong_q.id} .slb-badge").inner_text() == "✗ missed last time"
    assert not page.locator(f"#q-{questions[2].id} .slb-badge").is_visible()

    # the revision page sees the same progress: the missed question comes first
    page.goto(f"{site}/book/revision.html")
    rows = {box: page.locator(f".slb-boxes tr[data-box='{box}'] .slb-box-total").inner_text()
            for box in ("1", "2", "new")}
    assert rows == {"1": "1", "2": "1", "new": str(len(real_bank()) - 2)}
    page.click(".slb-practice-start")
    assert page.locator(f".slb-practice-area #q-{wrong_q.id}").is_visible()


def test_mock_exam_starts_and_scores(site: str, page: Any) -> None:
    questions = real_bank()
    shares, bank = allocation(), {d: 0 for d in question_bank.DOMAINS}
    for q in questions:
        bank[q.domain] += 1
    used = sum(min(shares[d], bank[d]) for d in shares)
    page.goto(f"{site}/book/revision.html")
    page.fill("#quiz-revision-seed", "42")
    page.click(".slb-exam-start")
    assert re.fullmatch(r"(130:00|12\d:[0-5]\d)", page.locator("#quiz-revision-timer").inner_text())
    assert page.locator(".slb-exam-progress").inner_text().startswith(f"Question 1 of {used}")
    if used < 65:
        assert (f"The bank has {len(questions)} questions: this mock exam uses {used} of 65"
                in page.locator(".slb-exam-note").inner_text())
    plan = page.evaluate(f"data => SLBQuiz.examPlan(data, 42, {PAGE_CONFIG})",
                         [{"id": q.id, "domain": q.domain} for q in questions])
    # quiz.exam() in Jupyter draws the same exam from the same seed.
    assert plan["ids"] == [q.id for q in exam_plan(questions, 42)]
    first = next(q for q in questions if q.id == plan["ids"][0])
    assert page.locator(f".slb-exam-question #q-{first.id}").is_visible()
    assert not page.locator(f"#q-{first.id}-check").is_visible()  # no feedback during the exam
    page.check(f"#q-{first.id}-{sorted(first.answer)[0]}")
    page.once("dialog", lambda dialog: dialog.accept())  # "... are unanswered. Finish anyway?"
    page.click(".slb-exam-finish")
    result = page.locator(".slb-exam-result")
    assert result.is_visible() and not page.locator("#quiz-revision-timer").is_visible()
    right = 1 if not first.multiple else 0
    assert result.locator(".slb-exam-overall").inner_text().startswith(f"Overall: {right} / {used} right")
    assert result.locator("tr[data-domain]").count() == 4
    assert result.locator("form.slb-question").count() == used - right
    assert result.locator(".slb-feedback").first.is_visible()


def test_pure_logic_on_window_slbquiz(site: str, page: Any) -> None:
    page.goto(f"{site}/book/revision.html")
    js = page.evaluate("""() => {
      const Q = window.SLBQuiz, day = 86400000, now = 1e12;
      const bank = [];
      for (const d of Q.DOMAINS) for (let i = 0; i < 40; i++) bank.push({id: d + i, domain: d});
      const plan = Q.examPlan(bank, 7), again = Q.examPlan(bank, 7), other = Q.examPlan(bank, 8);
      const count = {};
      for (const id of plan.ids) { const d = id.replace(/\\d+$/, ''); count[d] = (count[d] || 0) + 1; }
      const progress = {
        missed: {box: 1, right: 0, wrong: 1, last: now},
        due2: {box: 2, right: 1, wrong: 0, last: now - day},
        fresh2: {box: 2, right: 1, wrong: 0, last: now - day + 1},
      };
      const qs = ['fresh2', 'new1', 'due2', 'missed'].map(id => ({id, domain: 'Security'}));
      return {
        constants: [Q.STORAGE_KEY, Q.INTERVAL_DAYS, Q.EXAM_QUESTIONS, Q.EXAM_MINUTES, Q.DOMAIN_WEIGHTS],
        boxes: [Q.nextBox(1, true), Q.nextBox(4, true), Q.nextBox(5, true), Q.nextBox(5, false),
                Q.nextBox(3, false), Q.record(undefined, true, 5).box, Q.record(undefined, false, 5).box],
        record: Q.record({box: 3, right: 2, wrong: 1, last: 0}, false, 99),
        due: [Q.isDue(undefined, now), Q.isDue({box: 1, last: now}, now),
              Q.isDue({box: 2, last: now}, now), Q.isDue({box: 2, last: now - day}, now),
              Q.isDue({box: 3, last: now - 3 * day + 1}, now), Q.isDue({box: 5, last: now - 14 * day}, now)],
        grade: [Q.grade({answer: ['a', 'b']}, ['b', 'a']), Q.grade({answer: ['a', 'b']}, ['a']),
                Q.grade({answer: ['a', 'b']}, ['a', 'b', 'c']), Q.grade({answer: ['c']}, ['c'])],
        count, length: plan.ids.length, unique: new Set(plan.ids).size,
        replay: JSON.stringify(plan) === JSON.stringify(again),
        differs: JSON.stringify(plan.ids) !== JSON.stringify(other.ids),
        small: Q.examPlan(bank.slice(0, 45), 1).used,
        queue: Q.practiceQueue(qs, progress, now, 3),
      };
    }""")
    assert js["constants"] == [quiz_html.STORAGE_KEY, list(quiz_html.INTERVAL_DAYS),
                               EXAM_QUESTIONS, EXAM_MINUTES, DOMAIN_WEIGHTS]
    assert js["boxes"] == [2, 5, 5, 1, 1, 2, 1]
    assert js["record"] == {"box": 1, "right": 2, "wrong": 2, "last": 99}
    assert js["due"] == [True, True, False, True, False, True]
    assert js["grade"] == [True, False, False, True]
    assert js["count"] == allocation() and js["length"] == js["unique"] == 65
    assert js["replay"] and js["differs"]
    assert js["small"] == {"Development": 20, "Security": 5, "Deployment": 0, "Troubleshooting": 0}
    assert js["queue"] == {"due": ["missed", "due2", "new1"], "later": ["fresh2"]}


def test_quiz_links_reach_book_sections(built: tuple[Any, Path]) -> None:
    _, html_dir = built
    for q in real_bank():
        for reference in filter(None, (q.section, q.lab)):
            page, anchor = reference.split("#")
            target = html_dir / re.sub(r"\.(md|ipynb)$", ".html", page)
            assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), (q.id, reference)


# What JupyterLab does with a trusted text/html output: set innerHTML, then replace each
# <script> by a new one so that it runs. Here it happens twice, after the page has loaded.
JUPYTER_INSERT = """html => {
  const cell = document.createElement('div');
  cell.className = 'jp-OutputArea-output';
  document.body.appendChild(cell);
  cell.innerHTML = html;
  for (const old of Array.from(cell.querySelectorAll('script'))) {
    const script = document.createElement('script');
    for (const a of Array.from(old.attributes)) script.setAttribute(a.name, a.value);
    script.textContent = old.textContent;
    old.replaceWith(script);
  }
}"""


def test_fragment_works_in_late_output_cells(bank: list[Question], tmp_path: Path,
                                             page: Any) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>notebook</title><body></body>")
    fragment = quiz_html.render_quiz(bank, "02_lambda")
    with serve(tmp_path) as url:
        page.goto(f"{url}/index.html")
        page.wait_for_load_state("load")
        page.evaluate(JUPYTER_INSERT, fragment)
        page.evaluate(JUPYTER_INSERT, fragment)
        quizzes = page.locator(".slb-quiz")
        assert quizzes.count() == 2
        first, second = quizzes.nth(0), quizzes.nth(1)
        single = bank[0]
        [right] = single.answer
        wrong = next(o.key for o in single.options if not o.correct)
        first.locator(f"#q-{single.id}-{right}").check()
        second.locator(f"#q-{single.id}-{wrong}").check()  # a radio group per form, not page
        assert first.locator(f"#q-{single.id}-{right}").is_checked()
        second.locator(f"#q-{single.id}-check").click()
        assert second.locator(".slb-verdict").first.inner_text().startswith("Wrong.")
        assert first.locator(f"#q-{single.id}-feedback").is_hidden()
        first.locator(f"#q-{single.id}-check").click()
        assert first.locator(".slb-verdict").first.inner_text().startswith("Right!")
        for quiz in (first, second):  # both show the shared progress
            assert quiz.locator(".slb-score").inner_text() == "Score: 1 / 2 answered right"


def test_mock_exam_ends_when_time_runs_out(site: str, page: Any) -> None:
    page.clock.install()
    page.goto(f"{site}/book/revision.html")
    page.click(".slb-exam-start")
    seed = page.input_value("#quiz-revision-seed")
    page.clock.run_for("02:09:59")
    assert page.locator("#quiz-revision-timer").inner_text() == "0:01"
    page.clock.run_for("00:00:02")
    result = page.locator(".slb-exam-result")
    assert result.is_visible() and "Time is up." in result.inner_text()
    assert page.evaluate("localStorage.getItem('serverless-lab-book/exam')") is None
    assert f"Seed {seed}: enter it again to replay this exam." in result.inner_text()


def test_practice_filters_by_domain_and_chapter(site: str, page: Any) -> None:
    questions = real_bank()
    page.goto(f"{site}/book/revision.html")
    new = page.locator(".slb-boxes tr[data-box='new'] .slb-box-due")
    assert new.inner_text() == str(len(questions))
    for chapter in sorted({q.chapter for q in questions} - {"02_lambda"}):
        page.uncheck(f"fieldset[data-filter='chapters'] input[value='{chapter}']")
    lambda_only = question_bank.chapter(questions, "02_lambda")
    assert new.inner_text() == str(len(lambda_only))
    page.uncheck("fieldset[data-filter='domains'] input[value='Security']")
    kept = [q for q in lambda_only if q.domain != "Security"]
    assert new.inner_text() == str(len(kept))
    page.click(".slb-practice-start")
    shown = page.locator(".slb-practice-area form.slb-question").get_attribute("data-qid")
    assert shown in {q.id for q in kept}
    assert page.locator(".slb-practice-area .slb-note").inner_text().startswith(
        f"Question 1 of {len(kept)}")


# ---------- exam modes on a page rendered from a small bank (no book build) ----------

TASK_OF = {"Development": ("1.1", "1.2"), "Security": ("2.1", "2.2"),
           "Deployment": ("3.1", "3.2"), "Troubleshooting": ("4.1", "4.3")}
TASK_TITLES = {t: f"Title of task {t}" for tasks in TASK_OF.values() for t in tasks}


def small_bank_yaml(per_domain: int) -> str:
    lines = ["chapter: 02_lambda", 'title: "Small bank"', "questions:"]
    for domain, tasks in TASK_OF.items():
        for i in range(per_domain):
            lines += [f"  - id: {domain.lower()}-{i}", f"    domain: {domain}",
                      f'    task: "{tasks[i % 2]}"', "    section: book/02_lambda.md#x",
                      "    source: https://docs.aws.amazon.com/lambda/latest/dg/welcome.html",
                      f"    stem: Question {i} of the {domain} domain, which one is right?",
                      "    options:"]
            lines += [f"      - {{text: option {k}, correct: {str(k == 0).lower()}, "
                      f"why: because of reason {k}.}}" for k in range(4)]
    return "\n".join(lines) + "\n"


@pytest.fixture
def small(tmp_path: Path) -> list[Question]:
    """12 single-answer questions, 3 per domain, two tasks per domain."""
    (tmp_path / "bank").mkdir()
    (tmp_path / "bank" / "02_lambda.yml").write_text(small_bank_yaml(3), encoding="utf-8")
    return question_bank.load(tmp_path / "bank")


@pytest.fixture
def revision(small: list[Question], tmp_path: Path) -> Iterator[str]:
    """The revision app over the small bank, served on loopback: its URL."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width, initial-scale=1"><title>revision</title></head><body>'
        + quiz_html.render_revision(small, tasks=TASK_TITLES) + "</body></html>",
        encoding="utf-8")
    (site / "chapter.html").write_text(
        '<!doctype html><html><head><meta charset="utf-8"><title>chapter</title></head><body>'
        + quiz_html.render_quiz(small[:3], "02_lambda") + "</body></html>", encoding="utf-8")
    with serve(site) as url:
        yield url


def by_id(questions: list[Question]) -> dict[str, Question]:
    return {q.id: q for q in questions}


def wrong_key(q: Question) -> str:
    return next(o.key for o in q.options if not o.correct)


def shown_id(page: Any) -> str:
    return page.locator(".slb-exam-question form.slb-question").get_attribute("data-qid")


def focused_id(page: Any) -> str:
    return page.evaluate("document.activeElement && (document.activeElement.id || "
                         "document.activeElement.className)")


def start_exam(page: Any, url: str, mode: str, seed: str = "7") -> None:
    page.goto(url)
    page.check(f"fieldset.slb-mode input[value='{mode}']")
    page.fill("#quiz-revision-seed", seed)
    page.click(".slb-exam-start")


def test_revision_data_carries_tasks_and_the_exam_shape(small: list[Question]) -> None:
    page = quiz_html.render_revision(small, tasks=TASK_TITLES)
    data = json.loads(re.search(r'class="slb-quiz-data">(.*?)</script>', page, re.S)[1])
    assert [q["task"] for q in data["questions"]] == [q.task for q in small]
    assert data["exam"] == {"domains": list(question_bank.DOMAINS),
                            "weights": dict(DOMAIN_WEIGHTS), "tasks": TASK_TITLES,
                            "titles": quiz_html.exam_config()["titles"],
                            "total": EXAM_QUESTIONS, "minutes": EXAM_MINUTES}
    assert data["exam"]["titles"]["Deployment"] == "Testing and Deployment"
    # the practice filter offers the tasks the bank uses, with their titles
    for task, title in TASK_TITLES.items():
        assert f'value="{task}" checked> {task} {title} (' in page
    assert quiz_html.exam_config()["tasks"] == {k: str(v) for k, v in question_bank.TASKS.items()}
    assert 'name="slb-exam-mode" value="timed" checked' in page
    assert 'name="slb-exam-mode" value="review"' in page


def test_sources_of_the_renderer_speak_of_dva_c03() -> None:
    for path in ("src/serverless_lab/exam/quiz_html.py", "src/serverless_lab/quiz.py",
                 "src/serverless_lab/exam/exam_widget.py",
                 "src/serverless_lab/exam/quiz_assets/quiz.js",
                 "src/serverless_lab/exam/quiz_assets/quiz_logic.js",
                 "book/_ext/quiz_directive.py"):
        text = (ROOT / path).read_text(encoding="utf-8")
        assert "DVA-C02-style" not in text and "DVA-C02 exam guide" not in text, path
    assert "DVA-C03" in quiz_html.__doc__


def test_browser_draw_matches_python_for_the_embedded_weights(revision: str, page: Any,
                                                              small: list[Question]) -> None:
    page.goto(revision)
    for seed in (1, 42, 4242):
        plan = page.evaluate(f"([data, seed]) => SLBQuiz.examPlan(data, seed, {PAGE_CONFIG})",
                             [[{"id": q.id, "domain": q.domain} for q in small], seed])
        assert plan["ids"] == [q.id for q in exam_plan(small, seed)]
        assert plan["shares"] == allocation() and plan["minutes"] == EXAM_MINUTES
    c03 = page.evaluate(f"SLBQuiz.shares(65, {json.dumps(C03_WEIGHTS)})")
    assert c03 == {"Development": 20, "Security": 17, "Deployment": 14, "Troubleshooting": 14}


def test_review_mode_gives_feedback_after_each_answer(revision: str, page: Any,
                                                      small: list[Question]) -> None:
    questions = by_id(small)
    start_exam(page, revision, "review")
    assert page.locator("#quiz-revision-timer").inner_text() == "No time limit"
    first = questions[shown_id(page)]
    assert focused_id(page) == f"q-{first.id}-stem"  # focus lands on the question
    page.check(f"#q-{first.id}-{wrong_key(first)}")
    page.click(f"#q-{first.id}-check")
    feedback = page.locator(f"#q-{first.id}-feedback")
    assert feedback.is_visible() and feedback.get_attribute("aria-live") == "polite"
    assert feedback.locator(".slb-verdict").inner_text().startswith("Wrong.")
    assert page.locator(".slb-exam-live").inner_text() == "Wrong."
    assert focused_id(page) == "slb-exam-next"  # not the page body
    page.keyboard.press("Enter")  # Next, from the keyboard
    second = questions[shown_id(page)]
    assert second.id != first.id and focused_id(page) == f"q-{second.id}-stem"
    assert not page.locator(f"#q-{second.id}-feedback").is_visible()
    [right] = second.answer
    page.check(f"#q-{second.id}-{right}")
    page.click(f"#q-{second.id}-check")
    assert page.locator(f"#q-{second.id}-feedback .slb-verdict").inner_text().startswith("Right!")
    page.click(".slb-exam-prev")  # a checked answer stays checked and locked
    assert shown_id(page) == first.id and page.locator(f"#q-{first.id}-feedback").is_visible()
    assert page.locator(f"#q-{first.id}-{wrong_key(first)}").is_disabled()


def test_timed_mode_flag_review_screen_finish_and_report(revision: str, page: Any,
                                                         small: list[Question]) -> None:
    questions = by_id(small)
    start_exam(page, revision, "timed")
    assert page.locator("#quiz-revision-timer").inner_text() == "130:00"
    ids = page.evaluate(f"SLBQuiz.examPlan({json.dumps([{'id': q.id, 'domain': q.domain} for q in small])}"
                        f", 7, {PAGE_CONFIG}).ids")
    assert shown_id(page) == ids[0] and len(ids) == len(small)
    for pos in range(4):  # answer four: 1st and 3rd right, 2nd and 4th wrong
        q = questions[ids[pos]]
        page.check(f"#q-{q.id}-{sorted(q.answer)[0] if pos % 2 == 0 else wrong_key(q)}")
        assert not page.locator(f"#q-{q.id}-check").is_visible()  # no feedback yet
        if pos == 1:
            page.click(".slb-exam-flag")
            assert page.locator(".slb-exam-flag").get_attribute("aria-pressed") == "true"
        page.click(".slb-exam-next")
    page.click(".slb-exam-flag")  # the 5th, unanswered and flagged
    assert page.locator(".slb-exam-progress").inner_text() == (
        f"Question 5 of {len(ids)} · answered 4 · flagged 2")
    page.click(".slb-exam-review-open")
    review = page.locator(".slb-exam-review")
    assert review.is_visible() and not page.locator(".slb-exam-area").is_visible()
    assert focused_id(page) == "slb-heading slb-review-heading"
    assert review.locator(".slb-review-summary").inner_text() == (
        f"{len(ids)} questions: 4 answered, {len(ids) - 4} unanswered, 2 flagged.")
    groups = [g.inner_text() for g in review.locator(".slb-review-title").all()]
    assert groups == [f"Unanswered ({len(ids) - 4})", "Flagged for review (2)", "Answered (4)"]
    flagged = review.locator(".slb-review-group").nth(1).locator("button")
    assert [b.inner_text() for b in flagged.all()] == ["Question 2", "Question 5"]
    flagged.first.click()  # jump back to a flagged question
    assert shown_id(page) == ids[1] and focused_id(page) == f"q-{ids[1]}-stem"

    dialogs: list[str] = []
    page.once("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.click(".slb-exam-finish")  # unanswered questions: it asks, and No keeps the exam
    assert dialogs == [f"{len(ids) - 4} of {len(ids)} questions are unanswered and will count "
                       "as wrong. Finish anyway?"]
    assert page.locator(".slb-exam-area").is_visible()
    page.click(".slb-exam-review-open")
    page.once("dialog", lambda d: d.accept())
    page.click(".slb-review-submit")

    result = page.locator(".slb-exam-result")
    assert result.locator(".slb-exam-overall").inner_text() == f"Overall: 2 / {len(ids)} right (17 %)"
    right_ids = {ids[0], ids[2]}
    for domain in question_bank.DOMAINS:
        row = result.locator(f"tr[data-domain='{domain}'] td")
        in_domain = [i for i in ids if questions[i].domain == domain]
        assert [c.inner_text() for c in row.all()][:2] == [
            str(len(right_ids & set(in_domain))), str(len(in_domain))]
    tasks = result.locator("tr[data-task]")
    assert [t.get_attribute("data-task") for t in tasks.all()] == sorted(TASK_TITLES)
    assert tasks.first.locator("th").inner_text() == "1.1 Title of task 1.1"
    assert result.locator("form.slb-question").count() == len(ids) - 2

    # retake only what I got wrong
    page.click(".slb-exam-retake")
    assert page.locator(".slb-exam-progress").inner_text().startswith(f"Question 1 of {len(ids) - 2}")
    assert "Retake of 10 questions you got wrong." in page.locator(".slb-exam-note").inner_text()
    assert page.locator("#quiz-revision-timer").inner_text() == "20:00"  # the exam's pace
    retake = {shown_id(page)}
    for _ in range(len(ids) - 3):
        page.click(".slb-exam-next")
        retake.add(shown_id(page))
    assert retake == set(ids) - right_ids


def test_history_keeps_attempts_and_plots_them(revision: str, page: Any,
                                               small: list[Question]) -> None:
    page.goto(revision)
    assert page.locator(".slb-history-empty").is_visible()
    for seed in ("1", "2"):
        start_exam(page, revision, "timed", seed)
        q = by_id(small)[shown_id(page)]
        page.check(f"#q-{q.id}-{sorted(q.answer)[0]}")
        page.once("dialog", lambda d: d.accept())
        page.click(".slb-exam-finish")
    page.reload()  # the history lives in localStorage
    rows = page.locator(".slb-history-table tbody tr")
    assert rows.count() == 2
    first = [c.inner_text() for c in rows.first.locator("th, td").all()]
    assert first[2:4] == ["Mock exam, timed", f"1 / {len(small)} (8 %)"]
    svg = page.locator(".slb-history-plot svg.slb-history-svg")
    assert svg.get_attribute("role") == "img"
    assert svg.get_attribute("aria-label") == "Score per attempt: 1: 8 %, 2: 8 %"
    assert page.locator(".slb-history-plot .slb-series-0 circle").count() == 2
    legend = page.locator(".slb-legend li").all_inner_texts()
    assert [t.strip() for t in legend] == ["Overall", "Development with AWS Services", "Security",
                                           "Testing and Deployment",
                                           "Troubleshooting and Optimization"]
    stored = page.evaluate("JSON.parse(localStorage.getItem('serverless-lab-book/history'))")
    assert [a["seed"] for a in stored] == [1, 2] and len(stored[0]["missed"]) == len(small) - 1
    # the markup depends on the attempts only
    markup = page.evaluate("""() => {
      const a = [{right: 13, total: 65, domains: {Development: [5, 20], Security: [0, 17]}},
                 {right: 52, total: 65, domains: {Development: [20, 20]}}];
      return [SLBQuiz.historySvg(a), SLBQuiz.historySvg(JSON.parse(JSON.stringify(a)))];
    }""")
    assert markup[0] == markup[1]
    assert '<g class="slb-series slb-series-0"><polyline fill="none" points="36,118.8 350,37.2">' in markup[0]
    assert '<g class="slb-series slb-series-2"><polyline fill="none" points="36,146"></polyline>' in markup[0]
    rows.nth(1).locator(".slb-history-retake").click()  # retake from the history
    assert page.locator(".slb-exam-progress").inner_text().startswith(f"Question 1 of {len(small) - 1}")
    page.once("dialog", lambda d: d.accept())
    page.click(".slb-history-clear")
    assert page.locator(".slb-history-empty").is_visible()


def test_a_running_mock_survives_a_reload_and_is_not_dropped_silently(
        revision: str, page: Any, small: list[Question]) -> None:
    page.clock.install()
    start_exam(page, revision, "timed")
    first = by_id(small)[shown_id(page)]
    page.check(f"#q-{first.id}-{wrong_key(first)}")
    page.click(".slb-exam-flag")
    page.click(".slb-exam-next")
    second = shown_id(page)
    page.clock.run_for("10:00")
    page.reload()
    assert shown_id(page) == second
    assert page.locator(".slb-exam-progress").inner_text().startswith(
        f"Question 2 of {len(small)} · answered 1 · flagged 1")
    assert page.locator("#quiz-revision-timer").inner_text() == "120:00"
    assert page.locator(".slb-exam-live").inner_text() == (
        f"Your mock exam was restored: question 2 of {len(small)}.")
    page.click(".slb-exam-prev")
    assert page.locator(f"#q-{first.id}-{wrong_key(first)}").is_checked()

    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.click(".slb-exam-start")  # a new mock exam asks before it replaces this one
    assert asked == [f"A mock exam is in progress (question 1 of {len(small)}, 1 answered). "
                     "Starting a new one ends it without a score. End the mock exam?"]
    assert shown_id(page) == first.id
    asked.clear()
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.click(".slb-practice-start")  # starting a practice asks first ...
    assert asked and asked[0].startswith("A mock exam is in progress (question 1 of")
    assert page.locator(".slb-exam-area").is_visible()  # ... and No keeps the exam
    assert page.locator(".slb-practice-area form").count() == 0
    page.once("dialog", lambda d: d.accept())
    page.click(".slb-practice-start")
    assert not page.locator(".slb-exam-area").is_visible()
    assert page.locator(".slb-practice-area form").count() == 1
    assert page.evaluate("localStorage.getItem('serverless-lab-book/exam')") is None
    page.reload()
    assert not page.locator(".slb-exam-area").is_visible()


def test_time_running_out_while_away_ends_the_exam(revision: str, page: Any) -> None:
    page.clock.install()
    start_exam(page, revision, "timed")
    page.goto("about:blank")
    page.clock.run_for("02:11:00")
    page.goto(revision)
    result = page.locator(".slb-exam-result")
    assert result.is_visible() and "Time is up." in result.inner_text()
    assert page.locator(".slb-history-table tbody tr").count() == 1


def test_practice_by_task(revision: str, page: Any, small: list[Question]) -> None:
    page.goto(revision)
    new = page.locator(".slb-boxes tr[data-box='new'] .slb-box-due")
    assert new.inner_text() == str(len(small))
    for task in sorted(TASK_TITLES):
        if task != "2.1":
            page.uncheck(f"fieldset[data-filter='tasks'] input[value='{task}']")
    kept = [q for q in small if q.task == "2.1"]
    assert new.inner_text() == str(len(kept)) and kept
    page.click(".slb-practice-start")
    form = page.locator(".slb-practice-area form.slb-question")
    assert form.get_attribute("data-task") == "2.1"
    q = by_id(small)[form.get_attribute("data-qid")]
    assert focused_id(page) == f"q-{q.id}-stem"
    page.check(f"#q-{q.id}-{sorted(q.answer)[0]}")
    page.click(f"#q-{q.id}-check")
    assert focused_id(page) == "slb-button slb-next"
    page.keyboard.press("Enter")
    assert focused_id(page).endswith("-stem") and focused_id(page) != f"q-{q.id}-stem"


def test_chapter_quiz_check_moves_focus_to_the_next_question(revision: str, page: Any,
                                                             small: list[Question]) -> None:
    page.goto(f"{revision}/chapter.html")
    first, second, third = small[:3]
    page.check(f"#q-{first.id}-{sorted(first.answer)[0]}")
    page.focus(f"#q-{first.id}-check")
    page.keyboard.press("Enter")
    assert focused_id(page) == f"q-{second.id}-stem"
    assert page.locator(f"#q-{first.id}-feedback").is_visible()
    page.check(f"#q-{third.id}-{wrong_key(third)}")
    page.click(f"#q-{third.id}-check")
    assert focused_id(page) == "quiz-02_lambda-score"  # after the last question, the score


def covering(page: Any, selector: str) -> str | None:
    """None when the element is on screen and the topmost element at its centre is the
    element itself; otherwise what is there instead (for the assertion message)."""
    return page.evaluate("""sel => {
      const el = document.querySelector(sel), r = el.getBoundingClientRect();
      const x = r.left + r.width / 2, y = r.top + r.height / 2;
      if (r.width === 0 || y < 0 || y > innerHeight || x < 0 || x > innerWidth) {
        return 'off screen at ' + Math.round(x) + ',' + Math.round(y);
      }
      const top = document.elementFromPoint(x, y);
      if (top === el || el.contains(top)) return null;
      return top.tagName + '#' + top.id + '.' + top.className + ' at ' + Math.round(x) + ',' + Math.round(y);
    }""", selector)


PHONE = {"width": 390, "height": 844}
NAV = (".slb-exam-prev", ".slb-exam-next", ".slb-exam-finish")


def check_phone_nav(page: Any) -> None:
    """At the question's top, its middle and the end of the exam area, the buttons are on
    screen and nothing (theme bars, back-to-top button, the question) lies over them."""
    for where in ("'.slb-exam-question', {block: 'start'}", "'.slb-exam-question', {block: 'center'}",
                  "'.slb-exam-area', {block: 'end'}"):
        selector, options = where.split(", ", 1)
        page.evaluate(f"document.querySelector({selector}).scrollIntoView({options})")
        for button in NAV:
            assert page.locator(button).is_visible(), button
            assert covering(page, button) is None, (button, where, covering(page, button))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_phone_nothing_covers_next_or_finish(revision: str, browser: Any,
                                             small: list[Question]) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True,
                                  has_touch=True)
    phone = context.new_page()
    try:
        start_exam(phone, revision, "review")
        check_phone_nav(phone)
        phone.click(".slb-exam-next")
        assert phone.locator(".slb-exam-progress").inner_text().startswith("Question 2 of")
    finally:
        context.close()


def test_phone_in_the_built_book(site: str, browser: Any) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = context.new_page()
    try:
        phone.goto(f"{site}/book/revision.html")
        phone.click(".slb-exam-start")
        check_phone_nav(phone)
        phone.click(".slb-exam-next")
        assert phone.locator(".slb-exam-progress").inner_text().startswith("Question 2 of")
        phone.once("dialog", lambda d: d.accept())
        phone.click(".slb-exam-finish")
        assert phone.locator(".slb-exam-result").is_visible()
        # the theme's back-to-top pill, hidden during the exam, may come back
        assert not phone.evaluate("document.documentElement.classList.contains('slb-exam-running')")
        # practice: after Check, focus is on Next question, which nothing covers either
        phone.click(".slb-practice-start")
        form = phone.locator(".slb-practice-area form.slb-question")
        qid = form.get_attribute("data-qid")
        q = next(q for q in real_bank() if q.id == qid)
        phone.check(f"#q-{qid}-{sorted(q.answer)[0]}")
        phone.click(f"#q-{qid}-check")
        assert focused_id(phone) == "slb-button slb-next"
        for where in ("'.slb-practice-area .slb-next', {block: 'nearest'}",
                      "'.slb-practice-area .slb-next', {block: 'end'}"):
            selector, options = where.split(", ", 1)
            phone.evaluate(f"document.querySelector({selector}).scrollIntoView({options})")
            assert covering(phone, ".slb-practice-area .slb-next") is None, where
    finally:
        context.close()


A11Y = """root => {
  const inputs = Array.from(root.querySelectorAll('input'));
  const buttons = Array.from(root.querySelectorAll('button'));
  return {
    unlabelled: inputs.filter(i => !i.labels.length && !i.getAttribute('aria-labelledby')).map(i => i.outerHTML),
    untyped: buttons.filter(b => b.type !== 'button').map(b => b.outerHTML),
    nameless: buttons.filter(b => !b.textContent.trim()).map(b => b.outerHTML),
    inputs: inputs.length, buttons: buttons.length,
  };
}"""


def test_controls_are_labelled_buttons_and_inputs(revision: str, page: Any,
                                                  small: list[Question]) -> None:
    start_exam(page, revision, "review")
    q = by_id(small)[shown_id(page)]
    page.check(f"#q-{q.id}-{wrong_key(q)}")
    page.click(f"#q-{q.id}-check")
    page.click(".slb-exam-review-open")
    during = page.eval_on_selector(".slb-revision", A11Y)
    page.once("dialog", lambda d: d.accept())
    page.click(".slb-review-submit")
    after = page.eval_on_selector(".slb-revision", A11Y)
    for found in (during, after):
        assert found["unlabelled"] == found["untyped"] == found["nameless"] == []
        assert found["inputs"] > len(small) and found["buttons"] > 10
    assert page.locator(".slb-exam-live").get_attribute("aria-live") == "polite"
    assert page.locator("#quiz-revision-timer").get_attribute("role") == "timer"
