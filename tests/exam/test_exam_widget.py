from __future__ import annotations

from serverless_lab.quiz import Exam
from tests.exam.test_grading import question
from tests.exam.test_mock_exam import FakeTime


def shown(widget) -> bool:
    return widget.layout.display != "none"


def test_widget_drives_the_exam() -> None:
    from serverless_lab.exam.exam_widget import ExamWidget

    qs = [question("d1"), question("s1", "Security", "bc")]
    widget = ExamWidget(Exam(qs, time_source=FakeTime()), seed=3, size=65)
    assert "Question 1 of 2" in widget.header.value and "seed 3" in widget.header.value
    assert "the bank has 2 questions" in widget.header.value and "time left 130:00" in widget.header.value
    assert "Development with AWS Services · task " in widget.header.value
    assert not shown(widget.check)  # timed: no Check, no feedback
    widget.choices.children[0].value = "a"
    assert widget.feedback.value == ""
    widget.next.click()
    boxes = widget.choices.children
    assert len(boxes) == 5  # a multiple-answer question shows checkboxes
    boxes[1].value = boxes[2].value = True
    widget.submit_button.click()  # all answered: no question asked
    assert "Score: 2 / 2 (100 %)" in widget.result.value
    assert "Per task:" in widget.result.value
    assert widget.choices.children[0].disabled and widget.submit_button.disabled
    assert not shown(widget.retake_button)  # nothing to retake
    assert "Correct." in widget.feedback.value  # after the end, every explanation


def test_widget_flags_reviews_and_asks_before_submitting_unanswered() -> None:
    from serverless_lab.exam.exam_widget import ExamWidget

    qs = [question("d1"), question("d2"), question("s1", "Security")]
    widget = ExamWidget(Exam(qs, time_source=FakeTime()), seed=1, size=3)
    widget.choices.children[0].value = "b"  # wrong
    widget.flag.click()
    assert widget.flag.description == "Unflag" and "flagged" in widget.header.value
    widget.review_button.click()
    assert widget.review.value == ("<b>Unanswered (2)</b>: 2, 3<br>"
                                   "<b>Flagged for review (1)</b>: 1<br><b>Answered (1)</b>: 1")
    widget.submit_button.click()
    assert shown(widget.confirm) and widget.exam.result is None
    assert "2 of 3 questions are unanswered" in widget.confirm.children[0].value
    widget.confirm_no.click()
    assert not shown(widget.confirm) and widget.exam.result is None
    widget.submit_button.click()
    widget.confirm_yes.click()
    assert "Score: 0 / 3 (0 %)" in widget.result.value
    assert shown(widget.retake_button)
    widget.retake_button.click()  # a new exam of the three missed questions
    assert widget.exam.result is None and len(widget.exam.questions) == 3
    assert "Question 1 of 3" in widget.header.value and "time left 6:00" in widget.header.value
    assert widget.result.value == "" and not widget.submit_button.disabled
    widget._stop.set()


def test_widget_review_mode_shows_feedback_after_check() -> None:
    from serverless_lab.exam.exam_widget import ExamWidget

    qs = [question("d1"), question("d2")]
    widget = ExamWidget(Exam(qs, time_source=FakeTime(), mode="review"), seed=1, size=2)
    assert shown(widget.check) and "review mode" in widget.header.value
    widget.check.click()
    assert widget.feedback.value == "<p>Choose an answer first.</p>"
    widget.choices.children[0].value = "c"
    widget.check.click()
    assert widget.feedback.value.startswith("<p><b>Wrong. The correct answer: A.</b></p>")
    assert "<b>A. Correct.</b>" in widget.feedback.value
    assert widget.choices.children[0].disabled and widget.check.disabled
    widget.next.click()
    assert widget.feedback.value == "" and not widget.check.disabled
    widget.choices.children[0].value = "a"
    widget.check.click()
    assert widget.feedback.value.startswith("<p><b>Right!</b></p>")
    widget.submit_button.click()
    assert "Score: 1 / 2 (50 %)" in widget.result.value


def test_clock_rounds_up_like_the_revision_page() -> None:
    from serverless_lab.exam.exam_widget import _clock

    assert [_clock(s) for s in (7800, 7799.2, 61, 0.4, 0)] == [
        "130:00", "130:00", "1:01", "0:01", "0:00"]
