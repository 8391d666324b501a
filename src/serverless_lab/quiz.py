"""Quizzes in Jupyter: a chapter's quiz (``show``) and the mock exam (``exam``).

``show("02_lambda")`` displays the same self-contained HTML quiz the book embeds at the end
of the chapter (no kernel needed once displayed). ``exam()`` runs a DVA-C03 mock exam with
ipywidgets: 65 questions (or all the bank has) drawn by the domain weights 30/26/22/22
(FACTS.md section 0; AWS Certification user guide, "Comparison of DVA-C02 and DVA-C03"),
graded in Python by ``grading.grade`` with a score per domain and per task. A seed draws the
same exam as the same seed on the book's revision page.

Two modes, as on the revision page: ``"timed"`` (130 minutes, no feedback until you submit)
and ``"review"`` (check each answer and read why, no time limit). Either way questions can be
flagged for review, ``Exam.summary`` lists answered, unanswered and flagged questions before
submitting, and ``Exam.retake`` starts a new exam of only the questions answered wrong.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from serverless_lab.exam import question_bank
from serverless_lab.exam.grading import EXAM_MINUTES, EXAM_QUESTIONS, exam_plan
from serverless_lab.exam.mock_exam import MODES, Exam, pace, result_text

__all__ = ["MODES", "Exam", "exam", "pace", "result_text", "show"]


def show(chapter: str, directory: Path | None = None) -> Any:
    """The chapter's quiz as an IPython ``HTML`` object (display it, or leave it last)."""
    from IPython.display import HTML

    from serverless_lab.exam.quiz_html import render_quiz

    questions = question_bank.chapter(question_bank.load(directory), chapter)
    if not questions:
        raise ValueError(f"no questions for chapter {chapter!r}")
    return HTML(render_quiz(questions, chapter, base="labs"))

def exam(size: int = EXAM_QUESTIONS, minutes: float = EXAM_MINUTES, seed: int | None = None,
         directory: Path | None = None, mode: str = "timed") -> Any:
    """Start a mock exam in JupyterLab (``mode`` "timed" or "review"); returns the widget
    (display it, or leave it last)."""
    from serverless_lab.exam.exam_widget import ExamWidget

    seed = seed if seed is not None else int(time.time()) % 100_000
    questions = exam_plan(question_bank.load(directory), seed, size)
    return ExamWidget(Exam(questions, minutes, mode=mode), seed, size).box
