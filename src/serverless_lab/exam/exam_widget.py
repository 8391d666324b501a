"""The ipywidgets front end of ``quiz.exam()``: one question at a time, a countdown (timed
mode) or feedback after each answer (review mode), flags, a review list before submitting,
and a result per domain and per task graded in Python, with a retake of the missed questions.
The exam's state and rules live in ``mock_exam.Exam``; the same modes as the book's revision page
(DVA-C03: 65 questions, 130 minutes; FACTS.md section 0)."""

from __future__ import annotations

import html
import math
import threading
from typing import Any

import ipywidgets as widgets

from serverless_lab.exam.grading import is_right
from serverless_lab.exam.mock_exam import Exam, result_text
from serverless_lab.exam.question_bank import DOMAIN_TITLES, Question


def _clock(seconds: float) -> str:
    """Whole seconds left, rounded up as the revision page shows them (130:00 at the start)."""
    minutes, secs = divmod(math.ceil(seconds), 60)
    return f"{minutes:d}:{secs:02d}"


def _numbers(label: str, numbers: list[int]) -> str:
    return f"<b>{label} ({len(numbers)})</b>: {', '.join(map(str, numbers)) or '-'}"


def feedback_html(question: Question, keys: set[str]) -> str:
    """The verdict and why each option is right or wrong, as the book shows them."""
    right = is_right(question, keys)
    answer = ", ".join(sorted(k.upper() for k in question.answer))
    verdict = "Right!" if right else f"Wrong. The correct answer: {answer}."
    whys = "".join(
        f"<li><b>{o.key.upper()}. {'Correct' if o.correct else 'Incorrect'}.</b> "
        f"{html.escape(o.why)}</li>" for o in question.options)
    return f"<p><b>{verdict}</b></p><ul>{whys}</ul>"


class ExamWidget:
    """Widgets bound to an ``Exam``; ``box`` is what the notebook displays."""

    def __init__(self, exam: Exam, seed: int, size: int) -> None:
        self.exam = exam
        self.seed = seed
        self.size = size
        self.header = widgets.HTML()
        self.stem = widgets.HTML()
        self.choices = widgets.VBox()
        self.feedback = widgets.HTML()
        self.review = widgets.HTML()
        self.result = widgets.HTML()
        self.prev = self._button("Previous", lambda: self._move(-1))
        self.next = self._button("Next", lambda: self._move(1))
        self.flag = self._button("Flag for review", self._toggle_flag)
        self.check = self._button("Check", self._check)
        self.review_button = self._button("Review answers", self._show_review)
        self.submit_button = self._button("Submit", self.request_submit)
        self.confirm_yes = self._button("Submit anyway", self.submit)
        self.confirm_no = self._button("Keep answering", self._cancel_submit)
        self.retake_button = self._button("Retake the questions I got wrong", self.retake)
        self.confirm = widgets.HBox([widgets.HTML(), self.confirm_yes, self.confirm_no])
        self.nav = widgets.HBox([self.prev, self.flag, self.check, self.next,
                                 self.review_button, self.submit_button])
        self.box = widgets.VBox([self.header, self.stem, self.choices, self.feedback, self.nav,
                                 self.confirm, self.review, self.result, self.retake_button])
        self._stop = threading.Event()
        self._start()

    @staticmethod
    def _button(label: str, action: Any) -> widgets.Button:
        button = widgets.Button(description=label)
        button.on_click(lambda _: action())
        return button

    def _start(self) -> None:
        self._stop = threading.Event()
        self.check.layout.display = None if not self.exam.timed else "none"
        self.confirm.layout.display = self.retake_button.layout.display = "none"
        self.result.value = self.review.value = ""
        self.submit_button.disabled = False
        self._render()
        if self.exam.timed:
            threading.Thread(target=self._tick, daemon=True).start()

    def request_submit(self) -> None:
        """Submit, but ask first while questions are unanswered."""
        unanswered = self.exam.summary()["unanswered"]
        if not unanswered or self.exam.result is not None:
            self.submit()
            return
        self.confirm.children[0].value = (
            f"<b>{len(unanswered)} of {len(self.exam.questions)} questions are unanswered</b> "
            "and count as wrong. Submit anyway?")
        self.confirm.layout.display = None

    def _cancel_submit(self) -> None:
        self.confirm.layout.display = "none"

    def submit(self) -> None:
        self._stop.set()
        self.confirm.layout.display = "none"
        outcome = self.exam.finish()
        self.submit_button.disabled = True
        self.check.layout.display = "none"
        self.review.value = ""
        self.result.value = (f"<pre>{html.escape(result_text(outcome, self.exam.questions))}"
                             "</pre>")
        self.retake_button.layout.display = None if outcome.missed else "none"
        self._render()

    def retake(self) -> None:
        """Replace the finished exam by one of the questions it got wrong."""
        if self.exam.result is None or not self.exam.result.missed:
            return
        self.exam = self.exam.retake()
        self._start()

    def _move(self, step: int) -> None:
        self.exam.move(step)
        self._render()

    def _toggle_flag(self) -> None:
        self.exam.toggle_flag()
        self._render()

    def _check(self) -> None:
        if self.exam.check() is None:
            self.feedback.value = "<p>Choose an answer first.</p>"
            return
        self._render()

    def _show_review(self) -> None:
        summary = self.exam.summary()
        self.review.value = "<br>".join([
            _numbers("Unanswered", summary["unanswered"]),
            _numbers("Flagged for review", summary["flagged"]),
            _numbers("Answered", summary["answered"])])

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            if self.exam.expired():
                self.submit()
                return
            self._render_header()

    def _render_header(self) -> None:
        exam = self.exam
        question = exam.current
        note = "" if len(exam.questions) >= self.size else (
            f" · the bank has {len(exam.questions)} questions for this exam, not {self.size}")
        clock = f"time left {_clock(exam.seconds_left)}" if exam.timed else "review mode"
        task = f" · task {question.task}" if getattr(question, "task", None) else ""
        flagged = " · flagged" if question.id in exam.flags else ""
        self.header.value = (
            f"<b>Question {exam.position + 1} of {len(exam.questions)}</b>{flagged} · "
            f"{DOMAIN_TITLES.get(question.domain, question.domain)}{task} · {clock} · "
            f"seed {self.seed}{note}")

    def _render(self) -> None:
        self._render_header()
        exam = self.exam
        question = exam.current
        self.stem.value = f"<p>{html.escape(question.stem)}</p>"
        chosen = exam.answers.get(question.id, set())
        self.choices.children = self._inputs(question, chosen)
        shown = question.id in exam.checked or exam.result is not None
        self.feedback.value = feedback_html(question, chosen) if shown else ""
        self.flag.description = "Unflag" if question.id in exam.flags else "Flag for review"
        self.check.disabled = exam.locked
        self.prev.disabled = exam.position == 0
        self.next.disabled = exam.position == len(exam.questions) - 1

    def _inputs(self, question: Any, chosen: set[str]) -> tuple[Any, ...]:
        locked = self.exam.locked
        if question.multiple:
            boxes = [widgets.Checkbox(value=o.key in chosen, description=f"{o.key}. {o.text}",
                                      disabled=locked, indent=False) for o in question.options]

            def changed(_: Any) -> None:
                keys = {o.key for o, b in zip(question.options, boxes) if b.value}
                self.exam.choose(keys)

            for box in boxes:
                box.observe(changed, names="value")
            return tuple(boxes)
        radio = widgets.RadioButtons(
            options=[(f"{o.key}. {o.text}", o.key) for o in question.options],
            value=next(iter(chosen), None), disabled=locked)
        radio.observe(lambda change: self.exam.choose({change["new"]}), names="value")
        return (radio,)
