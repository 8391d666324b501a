"""The quiz front end: the HTML renderer, and the built book's quizzes in a real Chromium."""

from __future__ import annotations

import html
import json
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from serverless_lab import question_bank, quiz_html
from serverless_lab.grading import EXAM_MINUTES, EXAM_QUESTIONS, allocation, exam_plan
from serverless_lab.question_bank import DOMAIN_WEIGHTS, Question

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("SLB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
SCREENSHOT = ROOT / "docs" / "screenshot-quiz.png"
URL = re.compile(r"https?://[^\s\"'<>)\\]+")

BANK = """\
chapter: 02_lambda
title: "AWS Lambda"
questions:
  - id: lambda-sync-error-status
    domain: Troubleshooting
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
    for asset in ("quiz.js", "quiz.css"):
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


def test_mock_exam_table_uses_the_largest_remainder_split(bank: list[Question]) -> None:
    # 65 x (32, 26, 24, 18) % = 20.8, 16.9, 15.6, 11.7: whole parts 62, the 3 left go to
    # the largest fractions .9 (Security), .8 (Development), .7 (Troubleshooting).
    assert allocation() == {"Development": 21, "Security": 17, "Deployment": 15,
                            "Troubleshooting": 12}
    page = quiz_html.render_revision(bank)
    for domain, share in allocation().items():
        assert f'<th scope="row">{domain}</th><td>{DOMAIN_WEIGHTS[domain]} %</td><td>{share}</td>' in page


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


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """``directory`` on http://127.0.0.1:<free port>, in a thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site(built: tuple[Any, Path]) -> Iterator[str]:
    """The built book on http://127.0.0.1:<free port>/."""
    result, html_dir = built
    assert (html_dir / "book" / "revision.html").is_file(), result.stdout[-3000:] + result.stderr[-3000:]
    with serve(html_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is missing: `make test` installs the test extra (pip install -e '.[test]')")
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs it "
                    "(Debian's chromium package), or set SLB_CHROMIUM to a Chromium binary")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page whose localStorage starts empty; a page error fails the test."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    # sphinx-thebe declares THEBE_JS_URL twice on every page of the theme: not ours
    assert [e for e in errors if "THEBE_JS_URL" not in e] == []


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
    plan = page.evaluate("data => SLBQuiz.examPlan(data, 42)",
                         [{"id": q.id, "domain": q.domain} for q in questions])
    # quiz.exam() in Jupyter draws the same exam from the same seed.
    assert plan["ids"] == [q.id for q in exam_plan(questions, 42)]
    first = next(q for q in questions if q.id == plan["ids"][0])
    assert page.locator(f".slb-exam-question #q-{first.id}").is_visible()
    assert not page.locator(f"#q-{first.id}-check").is_visible()  # no feedback during the exam
    page.check(f"#q-{first.id}-{sorted(first.answer)[0]}")
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
    assert js["small"] == {"Development": 21, "Security": 5, "Deployment": 0, "Troubleshooting": 0}
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
    assert result.is_visible() and result.inner_text().startswith("Time is up.")
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
