"""One mock exam in Jupyter: its questions, answers, flags, clock, mode and result.

The widget (``exam_widget.py``) shows it; ``serverless_lab.quiz.exam()`` starts one. The
rules match the book's revision page: ``"timed"`` (no feedback until you submit) and
``"review"`` (check each answer and read why), flags, a summary before submitting, and a
retake of only the questions answered wrong.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from serverless_lab.exam.grading import EXAM_MINUTES, EXAM_QUESTIONS, ExamResult, grade, is_right
from serverless_lab.exam.question_bank import Question

MODES = ("timed", "review")


def result_text(result: ExamResult, questions: list[Question]) -> str:
    """The result as plain text: overall, per domain, per task, and the missed questions."""
    lines = [f"Score: {result.right} / {result.total} ({result.percent:.0f} %)"]
    lines += [f"  {d.domain:<16} {d.right:>3} / {d.total:<3} ({d.percent:.0f} %)"
              for d in result.domains]
    tasks = getattr(result, "tasks", ())
    if tasks:
        lines.append("Per task:")
        lines += [f"  {t.task:<4} {t.right:>3} / {t.total:<3} ({t.percent:.0f} %)  "
                  f"{getattr(t, 'title', '')}".rstrip() for t in tasks]
    by_id = {q.id: q for q in questions}
    if result.missed:
        lines.append("Missed (read these sections again):")
        lines += [f"  {qid}: {by_id[qid].section}" for qid in result.missed]
    return "\n".join(lines)


def pace(count: int) -> float:
    """Minutes for ``count`` questions at the exam's pace (130 minutes for 65), at least 1."""
    return max(1, round(EXAM_MINUTES * count / EXAM_QUESTIONS))


class Exam:
    """The mock exam's state, separate from its widgets so it can be tested without a UI.

    In ``"timed"`` mode the clock runs and nothing is graded before ``finish``; in
    ``"review"`` mode there is no time limit and ``check`` grades (and locks) one answer."""

    def __init__(self, questions: list[Question], minutes: float = EXAM_MINUTES,
                 time_source: Callable[[], float] = time.monotonic, mode: str = "timed") -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        if not questions:
            raise ValueError("an exam needs at least one question")
        self.questions = questions
        self.mode = mode
        self.answers: dict[str, set[str]] = {}
        self.flags: set[str] = set()
        self.checked: set[str] = set()
        self.position = 0
        self._time = time_source
        self._deadline = time_source() + minutes * 60
        self.result: ExamResult | None = None

    @property
    def timed(self) -> bool:
        return self.mode == "timed"

    @property
    def seconds_left(self) -> float:
        return max(0.0, self._deadline - self._time()) if self.timed else float("inf")

    @property
    def current(self) -> Question:
        return self.questions[self.position]

    @property
    def locked(self) -> bool:
        """Whether the current answer can no longer change (graded or checked)."""
        return self.result is not None or self.current.id in self.checked

    def choose(self, keys: set[str]) -> None:
        if not self.locked:
            self.answers[self.current.id] = set(keys)

    def move(self, step: int) -> None:
        self.position = min(max(0, self.position + step), len(self.questions) - 1)

    def go(self, position: int) -> None:
        self.move(position - self.position)

    def check(self) -> bool | None:
        """Review mode: grade the current answer and lock it; None while nothing is chosen."""
        if self.timed:
            raise ValueError("a timed exam gives no feedback before it is submitted")
        question = self.current
        if not self.answers.get(question.id):
            return None
        self.checked.add(question.id)
        return is_right(question, self.answers[question.id])

    def toggle_flag(self) -> bool:
        """Flag the current question for review, or unflag it; returns the new state."""
        qid = self.current.id
        self.flags.symmetric_difference_update({qid})
        return qid in self.flags

    def summary(self) -> dict[str, list[int]]:
        """Question numbers (from 1) answered, unanswered and flagged: the review screen."""
        numbered = list(enumerate(self.questions, start=1))
        return {"answered": [n for n, q in numbered if self.answers.get(q.id)],
                "unanswered": [n for n, q in numbered if not self.answers.get(q.id)],
                "flagged": [n for n, q in numbered if q.id in self.flags]}

    def finish(self) -> ExamResult:
        """Grade (once); called by the Submit button or when time runs out."""
        if self.result is None:
            self.result = grade(self.questions, self.answers)
        return self.result

    def expired(self) -> bool:
        return self.timed and self.seconds_left <= 0

    def retake(self) -> Exam:
        """A new exam of the questions this one got wrong (same mode, the exam's pace)."""
        missed = set(self.finish().missed)
        questions = [q for q in self.questions if q.id in missed]
        return Exam(questions, pace(len(questions)), self._time, self.mode)
