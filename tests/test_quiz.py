"""The public Jupyter entry points (quiz.py): ``serverless_lab.quiz.show`` and ``exam``."""

from __future__ import annotations


def test_quiz_module_is_reachable_from_the_package() -> None:
    import serverless_lab

    assert serverless_lab.quiz.exam.__name__ == "exam"
    assert serverless_lab.quiz.Exam.__module__ == "serverless_lab.exam.mock_exam"


def test_show_renders_a_chapter_quiz() -> None:
    from serverless_lab import quiz
    from serverless_lab.exam import question_bank

    chapter = [q for q in question_bank.load() if q.chapter == "02_lambda"]
    html = quiz.show("02_lambda").data
    assert chapter and all(f'data-qid="{q.id}"' in html for q in chapter)
