from __future__ import annotations

import pytest

from serverless_lab.exam.mock_exam import Exam, pace, result_text
from serverless_lab.exam.question_bank import TASKS
from tests.exam.test_grading import question


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_exam_records_answers_moves_and_grades_once() -> None:
    qs = [question("d1"), question("s1", "Security", "bc")]
    exam = Exam(qs, minutes=1, time_source=FakeTime())
    exam.choose({"a"})
    exam.move(5)
    assert exam.current.id == "s1"
    exam.choose({"b", "c"})
    exam.move(-9)
    assert exam.position == 0
    result = exam.finish()
    assert (result.right, result.total) == (2, 2)
    exam.choose({"d"})  # after grading, answers are locked
    assert exam.answers["d1"] == {"a"} and exam.finish() is result


def test_exam_time_runs_on_the_injected_clock() -> None:
    clock = FakeTime()
    exam = Exam([question("d1")], minutes=2, time_source=clock)
    assert exam.seconds_left == 120 and not exam.expired()
    clock.now += 121
    assert exam.seconds_left == 0 and exam.expired()


def test_result_text_lists_domains_and_missed_sections() -> None:
    qs = [question("d1"), question("s1", "Security")]
    exam = Exam(qs, time_source=FakeTime())
    exam.choose({"a"})
    text = result_text(exam.finish(), qs)
    assert text.splitlines()[0] == "Score: 1 / 2 (50 %)"
    assert "Development        1 / 1" in text and "s1: book/02_lambda.md#x" in text


def test_review_mode_checks_one_answer_and_locks_it() -> None:
    qs = [question("d1"), question("s1", "Security", "bc")]
    exam = Exam(qs, time_source=FakeTime(), mode="review")
    assert exam.check() is None  # nothing chosen yet: no verdict, not locked
    assert not exam.locked
    exam.choose({"b"})
    assert exam.check() is False and exam.locked
    exam.choose({"a"})  # a checked answer no longer changes
    assert exam.answers["d1"] == {"b"}
    exam.move(1)
    exam.choose({"b", "c"})
    assert exam.check() is True
    assert not exam.timed and not exam.expired() and exam.seconds_left == float("inf")
    assert exam.finish().right == 1


def test_timed_mode_gives_no_feedback_before_the_end() -> None:
    exam = Exam([question("d1")], time_source=FakeTime())
    exam.choose({"a"})
    with pytest.raises(ValueError, match="no feedback"):
        exam.check()
    with pytest.raises(ValueError, match="mode must be one of timed, review"):
        Exam([question("d1")], mode="practice")


def test_flags_and_the_summary_before_submitting() -> None:
    qs = [question(f"d{i}") for i in range(4)]
    exam = Exam(qs, time_source=FakeTime())
    exam.choose({"a"})
    assert exam.toggle_flag() is True
    exam.go(2)
    exam.choose({"b"})
    exam.move(1)
    assert exam.toggle_flag() is True
    exam.go(0)
    assert exam.toggle_flag() is False
    assert exam.summary() == {"answered": [1, 3], "unanswered": [2, 4], "flagged": [4]}


def test_retake_holds_only_the_missed_questions_at_the_exam_pace() -> None:
    clock = FakeTime()
    qs = [question(f"d{i}") for i in range(10)]
    exam = Exam(qs, time_source=clock, mode="timed")
    for i in range(10):
        exam.go(i)
        exam.choose({"a"} if i < 6 else {"b"})
    again = exam.retake()
    assert [q.id for q in again.questions] == ["d6", "d7", "d8", "d9"]
    assert again.mode == "timed" and again.answers == {} and again.result is None
    assert again.seconds_left == pace(4) * 60 == 8 * 60  # 130 min for 65 = 2 min each
    assert pace(65) == 130 and pace(0) == 1


def test_result_text_gives_each_task() -> None:
    qs = [question("d1", task="1.1"), question("d2", task="1.2"), question("s1", "Security")]
    exam = Exam(qs, time_source=FakeTime())
    exam.choose({"a"})
    text = result_text(exam.finish(), qs)
    assert "Per task:" in text
    assert f"  1.1    1 / 1   (100 %)  {TASKS['1.1']}" in text
    assert f"  1.2    0 / 1   (0 %)  {TASKS['1.2']}" in text
