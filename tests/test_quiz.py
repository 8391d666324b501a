from __future__ import annotations

from serverless_lab.quiz import Exam, result_text
from tests.test_grading import question


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


def test_quiz_module_is_reachable_from_the_package() -> None:
    import serverless_lab

    assert serverless_lab.quiz.exam.__name__ == "exam"
