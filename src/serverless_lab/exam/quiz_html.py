"""Render the question bank as self-contained HTML: a chapter's quiz and the revision app.

The same fragment works in a static Sphinx page and in a JupyterLab output cell: its CSS and
JavaScript are inlined (``quiz_assets/``: ``quiz_logic.js``, the pure logic, then ``quiz.js``,
the page), the questions travel as JSON in a ``<script type="application/json">``, and nothing
is loaded from elsewhere. Every element id is
derived from a question id (``q-<id>``, ``q-<id>-a``, ``q-<id>-check``, ``q-<id>-feedback``) or
the quiz id (``quiz-<quiz_id>``, ``quiz-<quiz_id>-score``), and the output is byte-for-byte the
same for the same input.

Progress lives in the browser's ``localStorage`` under one key, :data:`STORAGE_KEY`, shared by the
chapter quizzes and the revision page; the Leitner rules and the mock exam's draw are in
``quiz_logic.js`` (``window.SLBQuiz`` re-exports them).

The mock exam follows DVA-C03, the exam since 1 December 2026: 65 questions in 130 minutes,
domains weighted 30/26/22/22 %, split by ``grading.allocation`` (largest remainder:
20/17/14/14). The revision page embeds those weights, the domain and task titles
(``question_bank.TASKS``) and each question's ``task``, and ``quiz.js`` draws the exam with the
same seeded PRNG (mulberry32) as ``grading.exam_plan``, so a seed replays the same exam in the
browser and in Jupyter. Source: FACTS.md section 0, AWS Certification user guide,
"Comparison of DVA-C02 and DVA-C03" (page ``developer-associate-03-comparison``).

The revision page has two modes (timed: no feedback until the end; review: feedback after each
answer), flags, a review screen before submitting, retakes of the missed questions and a
history of attempts with a small SVG plot; the running exam and the history live in
``localStorage`` too (:data:`SESSION_KEY`, :data:`HISTORY_KEY`).
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

from serverless_lab.exam import question_bank
from serverless_lab.exam.grading import EXAM_MINUTES, EXAM_QUESTIONS, allocation
from serverless_lab.exam.question_bank import DOMAIN_WEIGHTS, DOMAINS, Question

STORAGE_KEY = "serverless-lab-book/progress"
SESSION_KEY = "serverless-lab-book/exam"
HISTORY_KEY = "serverless-lab-book/history"
INTERVAL_DAYS = (0, 1, 3, 7, 14)  # Leitner boxes 1..5
_ID = re.compile(r"^[A-Za-z0-9_-]+$")


def _asset(name: str) -> str:
    text = (resources.files("serverless_lab.exam") / "quiz_assets" / name).read_text(encoding="utf-8")
    if "</" in text:  # would end the inline <script>/<style> early
        raise ValueError(f"quiz_assets/{name} must not contain '</'")
    return text


def inline(text: str) -> str:
    """Escape ``text`` for HTML; `code` in backticks becomes ``<code>``."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{inline(part.strip())}</p>"
                   for part in re.split(r"\n\s*\n", text) if part.strip())


def href(reference: str, base: str = "book") -> str:
    """``book/02_lambda.md#x`` as a link from a page in directory ``base``."""
    path, _, anchor = reference.partition("#")
    target = re.sub(r"\.(md|ipynb)$", ".html", path)
    relative = posixpath.relpath(target, base or ".")
    return f"{relative}#{anchor}" if anchor else relative


def _title(reference: str, titles: Mapping[str, str]) -> str:
    anchor = reference.partition("#")[2]
    return titles.get(reference) or anchor.replace("-", " ").capitalize()


def _json(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _links(q: Question, base: str, titles: Mapping[str, str]) -> str:
    links = [f'<a href="{html.escape(href(q.section, base))}">Read: '
             f'{inline(_title(q.section, titles))}</a>']
    if q.lab:
        links.append(f'<a href="{html.escape(href(q.lab, base))}">Lab: '
                     f'{inline(_title(q.lab, titles))}</a>')
    links.append(f'<a href="{html.escape(q.source)}" rel="noopener">AWS documentation</a>')
    return '<p class="slb-links">' + " · ".join(links) + "</p>"


def _domain_title(domain: str) -> str:
    return str(getattr(question_bank, "DOMAIN_TITLES", {}).get(domain, domain))


def task_titles() -> dict[str, str]:
    """DVA-C03's task titles by task (``"3.1"``), as the bank defines them."""
    return {str(k): str(v) for k, v in getattr(question_bank, "TASKS", {}).items()}


def _task(q: Question) -> str:
    return str(getattr(q, "task", None) or "")


def question_html(q: Question, base: str = "book", titles: Mapping[str, str] | None = None) -> str:
    """One question: stem (focusable, so focus can land on it), options as a labelled group,
    Check button and its (hidden) feedback, announced politely when it appears."""
    qid, kind = html.escape(q.html_id), "checkbox" if q.multiple else "radio"
    options = "".join(
        f'<li class="slb-option" data-key="{o.key}"><label><input type="{kind}" name="{qid}" '
        f'id="{qid}-{o.key}" value="{o.key}"> <span class="slb-letter">{o.key.upper()}.</span> '
        f'<span class="slb-text">{inline(o.text)}</span></label></li>' for o in q.options)
    whys = "".join(
        f'<li class="slb-why slb-why-{"correct" if o.correct else "wrong"}" data-key="{o.key}">'
        f'<strong>{o.key.upper()}. {"Correct" if o.correct else "Incorrect"}.</strong> '
        f'{inline(o.why)}</li>' for o in q.options)
    task = html.escape(_task(q))
    task_meta = f'<span class="slb-task">Task {task}</span>' if task else ""
    return (
        f'<form class="slb-question" id="{qid}" data-qid="{html.escape(q.id)}" '
        f'data-domain="{html.escape(q.domain)}" data-task="{task}" autocomplete="off">'
        f'<p class="slb-meta"><span class="slb-domain">{html.escape(_domain_title(q.domain))}'
        f'</span>{task_meta}<span class="slb-badge" hidden></span></p>'
        f'<div class="slb-stem" id="{qid}-stem" tabindex="-1">{_paragraphs(q.stem)}</div>'
        f'<ul class="slb-options" role="group" aria-labelledby="{qid}-stem">{options}</ul>'
        f'<p class="slb-actions"><button type="button" class="slb-check" id="{qid}-check">'
        f'Check</button> <button type="button" class="slb-retry" hidden>Try again</button></p>'
        f'<div class="slb-feedback" id="{qid}-feedback" aria-live="polite" hidden>'
        f'<p class="slb-verdict"></p><ul class="slb-whys">{whys}</ul>'
        f'{_links(q, base, titles or {})}</div></form>')


def _facts(q: Question) -> dict[str, Any]:
    return {"id": q.id, "chapter": q.chapter, "domain": q.domain, "task": _task(q),
            "answer": sorted(q.answer), "multiple": q.multiple}


def exam_config(tasks: Mapping[str, str] | None = None) -> dict[str, Any]:
    """What ``quiz.js`` needs to draw and score the mock exam as ``grading`` does."""
    return {"domains": list(DOMAINS), "weights": dict(DOMAIN_WEIGHTS),
            "titles": {d: _domain_title(d) for d in DOMAINS},
            "tasks": dict(task_titles() if tasks is None else tasks),
            "total": EXAM_QUESTIONS, "minutes": EXAM_MINUTES}


def _wrap(quiz_id: str, body: str, data: Any, extra_class: str = "") -> str:
    if not _ID.match(quiz_id):
        raise ValueError(f"quiz id {quiz_id!r} must be letters, digits, '-' or '_'")
    return (f'<div class="slb-quiz{extra_class}" id="quiz-{quiz_id}" data-quiz="{quiz_id}">\n'
            f"<style>{_asset('quiz.css')}</style>\n"
            f'<script type="application/json" class="slb-quiz-data">{_json(data)}</script>\n'
            f"{body}\n<script>{_asset('quiz_logic.js')}\n{_asset('quiz.js')}</script>\n</div>\n")


def render_quiz(questions: Sequence[Question], quiz_id: str, *, base: str = "book",
                titles: Mapping[str, str] | None = None) -> str:
    """One chapter's quiz. ``base`` is the directory of the page that shows it (for links);
    ``titles`` maps a ``section``/``lab`` reference to its heading."""
    if not questions:
        raise ValueError(f"quiz {quiz_id!r} has no questions")
    items = "".join(f'<li class="slb-item">{question_html(q, base, titles)}</li>\n'
                    for q in questions)
    body = (f'<p class="slb-score" id="quiz-{quiz_id}-score" aria-live="polite">'
            f"Score: 0 / {len(questions)} answered right</p>\n"
            f'<ol class="slb-questions">\n{items}</ol>')
    return _wrap(quiz_id, body, {"kind": "chapter", "questions": [_facts(q) for q in questions]})


def _checkboxes(group: str, values: Sequence[str], counts: Counter[str],
                labels: Mapping[str, str] | None = None) -> str:
    boxes = "".join(f'<label><input type="checkbox" name="{group}" value="{html.escape(v)}" '
                    f'checked> {html.escape((labels or {}).get(v, v))} ({counts[v]})</label> '
                    for v in values)
    return f'<fieldset class="slb-filter" data-filter="{group}"><legend>{group.title()}</legend>' \
           f"{boxes}</fieldset>"


def _boxes_table() -> str:
    rows = "".join(
        f'<tr data-box="{box}"><th scope="row">Box {box}</th><td>'
        f'{"every session" if days == 0 else f"after {days} day" + ("s" if days > 1 else "")}'
        f'</td><td class="slb-box-total">0</td><td class="slb-box-due">0</td></tr>'
        for box, days in enumerate(INTERVAL_DAYS, start=1))
    rows += ('<tr data-box="new"><th scope="row">New</th><td>never answered</td>'
             '<td class="slb-box-total">0</td><td class="slb-box-due">0</td></tr>')
    return ('<table class="slb-boxes"><thead><tr><th>Box</th><th>Comes back</th>'
            f"<th>Questions</th><th>Due now</th></tr></thead><tbody>{rows}</tbody></table>")


def _plan_table(questions: Sequence[Question]) -> str:
    shares, bank = allocation(), Counter(q.domain for q in questions)
    rows = "".join(f'<tr><th scope="row">{html.escape(_domain_title(d))}</th>'
                   f"<td>{DOMAIN_WEIGHTS[d]} %</td><td>{shares[d]}</td><td>{bank[d]}</td></tr>"
                   for d in DOMAINS)
    used = sum(min(shares[d], bank[d]) for d in DOMAINS)
    note = (f'<p class="slb-exam-short">The bank has {len(questions)} questions: this mock exam '
            f"uses {used} of {EXAM_QUESTIONS}.</p>" if used < EXAM_QUESTIONS else "")
    return ('<table class="slb-plan"><thead><tr><th>Domain</th><th>Weight</th>'
            f"<th>In a {EXAM_QUESTIONS}-question exam</th><th>In the bank</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>{note}")


def _practice(questions: Sequence[Question], tasks: Mapping[str, str]) -> str:
    chapters = sorted({q.chapter for q in questions})
    present = sorted({_task(q) for q in questions} - {""},
                     key=lambda t: tuple(int(p) for p in t.split(".") if p.isdigit()))
    task_filter = _checkboxes("tasks", present, Counter(_task(q) for q in questions),
                              {t: f"{t} {tasks[t]}" if t in tasks else t for t in present})
    return (
        '<section class="slb-practice"><p class="slb-heading">Practice</p>'
        f'{_checkboxes("domains", DOMAINS, Counter(q.domain for q in questions), {d: _domain_title(d) for d in DOMAINS})}'
        f'{task_filter if present else ""}'
        f'{_checkboxes("chapters", chapters, Counter(q.chapter for q in questions))}'
        f"{_boxes_table()}"
        '<p class="slb-actions"><button type="button" class="slb-practice-start">'
        'Practise due questions</button> <span class="slb-practice-status" aria-live="polite">'
        '</span></p><div class="slb-practice-area"></div></section>\n')


_MODES = (
    '<fieldset class="slb-mode"><legend>Mode</legend>'
    '<label><input type="radio" name="slb-exam-mode" value="timed" checked> Timed: '
    f"{EXAM_MINUTES} minutes, no feedback until you finish</label> "
    '<label><input type="radio" name="slb-exam-mode" value="review"> Review: the answer and '
    "its explanation after each question, no time limit</label></fieldset>")

_EXAM_AREA = (
    '<div class="slb-exam-run" hidden><p class="slb-exam-status">'
    '<span class="slb-timer" id="quiz-revision-timer" role="timer"></span> '
    '<span class="slb-exam-progress"></span></p><p class="slb-exam-note"></p>'
    '<div class="slb-exam-area"><div class="slb-exam-question"></div>'
    '<p class="slb-actions slb-exam-nav">'
    '<button type="button" class="slb-exam-prev">Previous</button> '
    '<button type="button" class="slb-exam-flag" aria-pressed="false">Flag for review</button> '
    '<button type="button" class="slb-exam-next">Next</button> '
    '<button type="button" class="slb-exam-review-open">Review answers</button> '
    '<button type="button" class="slb-exam-finish">Finish exam</button></p></div>'
    '<div class="slb-exam-review" hidden><p class="slb-heading slb-review-heading" tabindex="-1">'
    'Review before you submit</p><p class="slb-review-summary"></p>'
    '<div class="slb-review-lists"></div><p class="slb-actions slb-exam-nav">'
    '<button type="button" class="slb-review-back">Back to the questions</button> '
    '<button type="button" class="slb-review-submit">Submit exam</button></p></div></div>'
    '<p class="slb-exam-live slb-sr-only" role="status" aria-live="polite"></p>'
    '<div class="slb-exam-result" hidden></div>')


def _history() -> str:
    heads = "".join(f"<th>{html.escape(_domain_title(d))}</th>" for d in DOMAINS)
    return (
        '<section class="slb-history"><p class="slb-heading">Your attempts</p>'
        '<p class="slb-note slb-history-empty">No finished attempt yet in this browser.</p>'
        '<div class="slb-history-plot" hidden></div>'
        '<table class="slb-history-table" hidden><thead><tr><th>#</th><th>Date</th><th>What</th>'
        f"<th>Score</th>{heads}<th></th></tr></thead><tbody></tbody></table>"
        '<p class="slb-actions"><button type="button" class="slb-history-clear" hidden>'
        "Clear history</button></p></section>")


def render_revision(questions: Sequence[Question], *, base: str = "book",
                    titles: Mapping[str, str] | None = None,
                    tasks: Mapping[str, str] | None = None) -> str:
    """The revision app: Leitner practice by domain, task and chapter; the mock exam (timed or
    review mode, flags, review screen, retake of the missed questions); the history of
    attempts. ``tasks`` maps a task to its title (default: the bank's ``TASKS``)."""
    if not questions:
        raise ValueError("the revision app needs at least one question")
    config = exam_config(tasks)
    data = {"kind": "revision", "exam": config, "questions": [
        {**_facts(q), "html": question_html(q, base, titles)} for q in questions]}
    body = (
        f"{_practice(questions, config['tasks'])}"
        '<section class="slb-exam"><p class="slb-heading">Mock exam</p>'
        f"{_plan_table(questions)}{_MODES}"
        '<p class="slb-actions"><label>Seed <input type="text" class="slb-seed" '
        'id="quiz-revision-seed" inputmode="numeric" size="8"></label> '
        '<button type="button" class="slb-new-seed">New seed</button> '
        '<button type="button" class="slb-exam-start">Start mock exam</button></p>'
        f"{_EXAM_AREA}</section>\n{_history()}")
    return _wrap("revision", body, data, " slb-revision")
