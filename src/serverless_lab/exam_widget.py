"""The ipywidgets front end of ``quiz.exam()``: one question at a time, a countdown, and a
result per domain graded in Python. The exam's state and rules live in ``quiz.Exam``."""

from __future__ import annotations

import html
import threading
from typing import Any

import ipywidgets as widgets

from .quiz import Exam, result_text


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes:d}:{secs:02d}"


class ExamWidget:
    """Widgets bound to an ``Exam``; ``box`` is what the notebook displays."""

    def __init__(self, exam: Exam, seed: int, size: int) -> None:
        self.exam = exam
        self.seed = seed
        self.size = size
        self.header = widgets.HTML()
        self.stem = widgets.HTML()
        self.choices = widgets.VBox()
        self.result = widgets.HTML()
        buttons = [("Previous", lambda _: self._move(-1)), ("Next", lambda _: self._move(1)),
                   ("Submit", lambda _: self.submit())]
        self.buttons = [widgets.Button(description=label) for label, _ in buttons]
        for button, (_, action) in zip(self.buttons, buttons):
            button.on_click(action)
        self.box = widgets.VBox([self.header, self.stem, self.choices,
                                 widgets.HBox(self.buttons), self.result])
        self._stop = threading.Event()
        self._render()
        threading.Thread(target=self._tick, daemon=True).start()

    def submit(self) -> None:
        self._stop.set()
        outcome = self.exam.finish()
        for button in self.buttons[:2]:
            button.disabled = False
        self.buttons[2].disabled = True
        self.result.value = (f"<pre>{html.escape(result_text(outcome, self.exam.questions))}"
                             "</pre>")
        self._render()

    def _move(self, step: int) -> None:
        self.exam.move(step)
        self._render()

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            if self.exam.expired():
                self.submit()
                return
            self._render_header()

    def _render_header(self) -> None:
        exam = self.exam
        note = "" if len(exam.questions) >= self.size else (
            f" · the bank has {len(exam.questions)} questions for this exam, not {self.size}")
        self.header.value = (
            f"<b>Question {exam.position + 1} of {len(exam.questions)}</b> · "
            f"{exam.current.domain} · time left {_clock(exam.seconds_left)} · "
            f"seed {self.seed}{note}")

    def _render(self) -> None:
        self._render_header()
        question = self.exam.current
        self.stem.value = f"<p>{html.escape(question.stem)}</p>"
        chosen = self.exam.answers.get(question.id, set())
        self.choices.children = self._inputs(question, chosen)

    def _inputs(self, question: Any, chosen: set[str]) -> tuple[Any, ...]:
        locked = self.exam.result is not None
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
