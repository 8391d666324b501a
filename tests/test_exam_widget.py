from __future__ import annotations

from serverless_lab.quiz import Exam
from tests.test_grading import question
from tests.test_quiz import FakeTime


def test_widget_drives_the_exam(monkeypatch) -> None:
    from serverless_lab.exam_widget import ExamWidget

    qs = [question("d1"), question("s1", "Security", "bc")]
    widget = ExamWidget(Exam(qs, time_source=FakeTime()), seed=3, size=65)
    assert "Question 1 of 2" in widget.header.value and "seed 3" in widget.header.value
    assert "the bank has 2 questions" in widget.header.value
    widget.choices.children[0].value = "a"
    widget.buttons[1].click()  # Next
    boxes = widget.choices.children
    assert len(boxes) == 5  # a multiple-answer question shows checkboxes
    boxes[1].value = boxes[2].value = True
    widget.buttons[2].click()  # Submit
    assert "Score: 2 / 2 (100 %)" in widget.result.value
    assert widget.choices.children[0].disabled
