"""Quizzes in Jupyter: a chapter's quiz (``show``) and the timed mock exam (``exam``).

``show("02_lambda")`` displays the same self-contained HTML quiz the book embeds at the end
of the chapter (no kernel needed once displayed). ``exam()`` runs a DVA-C02-style mock
exam with ipywidgets: 65 questions (or all the bank has), 130 minutes, graded in Python by
``grading.grade`` with a score per domain. A seed draws the same exam as the same seed on the
book's revision page.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import question_bank
from .grading import EXAM_MINUTES, EXAM_QUESTIONS, ExamResult, exam_plan, grade
from .question_bank import Question


def show(chapter: str, directory: Path | None = None) -> Any:
    """The chapter's quiz as an IPython ``HTML`` object (display it, or leave it last)."""
    from IPython.display import HTML

    from .quiz_html import render_quiz

    questions = question_bank.chapter(question_bank.load(directory), chapter)
    if not questions:
        raise ValueError(f"no questions for chapter {chapter!r}")
    return HTML(render_quiz(questions, chapter, base="labs"))


def result_text(result: ExamResult, questions: list[Question]) -> str:
    """The result as plain text: overall, per domain, and the missed questions."""
    lines = [f"Score: {result.right} / {result.total} ({result.percent:.0f} %)"]
    lines += [f"  {d.domain:<16} {d.right:>3} / {d.total:<3} ({d.percent:.0f} %)"
              for d in result.domains]
    by_id = {q.id: q for q in questions}
    if result.missed:
        lines.append("Missed (read these sections again):")
        lines += [f"  {qid}: {by_id[qid].section}" for qid in result.missed]
    return "\n".join(lines)


class Exam:
    """The mock exam's state, separate from its widgets so it can be tested without a UI."""

    def __init__(self, questions: list[Question], minutes: float = EXAM_MINUTES,
                 time_source: Callable[[], float] = time.monotonic) -> None:
        self.questions = questions
        self.answers: dict[str, set[str]] = {}
        self.position = 0
        self._time = time_source
        self._deadline = time_source() + minutes * 60
        self.result: ExamResult | None = None

    @property
    def seconds_left(self) -> float:
        return max(0.0, self._deadline - self._time())

    @property
    def current(self) -> Question:
        return self.questions[self.position]

    def choose(self, keys: set[str]) -> None:
        if self.result is None:
            self.answers[self.current.id] = set(keys)

    def move(self, step: int) -> None:
        self.position = min(max(0, self.position + step), len(self.questions) - 1)

    def finish(self) -> ExamResult:
        """Grade (once); called by the Submit button or when time runs out."""
        if self.result is None:
            self.result = grade(self.questions, self.answers)
        return self.result

    def expired(self) -> bool:
        return self.seconds_left <= 0


def exam(size: int = EXAM_QUESTIONS, minutes: float = EXAM_MINUTES, seed: int | None = None,
         directory: Path | None = None) -> Any:
    """Start a mock exam in JupyterLab; returns the widget (display it, or leave it last)."""
    from .exam_widget import ExamWidget

    seed = seed if seed is not None else int(time.time()) % 100_000
    questions = exam_plan(question_bank.load(directory), seed, size)
    return ExamWidget(Exam(questions, minutes), seed, size).box
