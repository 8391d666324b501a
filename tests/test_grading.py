from __future__ import annotations

from serverless_lab.grading import (
    EXAM_QUESTIONS,
    allocation,
    exam_plan,
    grade,
    is_right,
    mulberry32,
)
from serverless_lab.question_bank import DOMAINS, Option, Question


def question(qid: str, domain: str = "Development", correct: str = "a") -> Question:
    options = tuple(Option(k, f"option {k}", k in correct, f"because {k} is so")
                    for k in "abcde"[: 5 if len(correct) > 1 else 4])
    return Question(qid, "02_lambda", domain, "book/02_lambda.md#x",
                    "https://docs.aws.amazon.com/", f"stem of {qid} long enough", options)


def test_single_answer_is_right_only_with_the_correct_option() -> None:
    q = question("q1", correct="b")
    assert is_right(q, ["b"]) and not is_right(q, ["a"]) and not is_right(q, [])


def test_multiple_answer_needs_exactly_the_correct_options() -> None:
    q = question("q2", correct="ac")
    assert is_right(q, ["c", "a"])
    assert not is_right(q, ["a"]) and not is_right(q, ["a", "c", "d"])


def test_grade_counts_per_domain_and_lists_missed() -> None:
    qs = [question("d1"), question("d2"), question("s1", "Security", "c")]
    result = grade(qs, {"d1": ["a"], "d2": ["b"], "s1": ["c"]})
    assert (result.right, result.total, result.missed) == (2, 3, ("d2",))
    assert [(d.domain, d.right, d.total) for d in result.domains] == [
        ("Development", 1, 2), ("Security", 1, 1)]
    assert round(result.percent, 1) == 66.7 and result.domains[0].percent == 50.0


def test_unanswered_questions_are_wrong() -> None:
    assert grade([question("q")], {}).right == 0


def test_allocation_follows_dva_c02_weights() -> None:
    # 20.8 / 16.9 / 15.6 / 11.7: floors 20/16/15/11, the three largest remainders get one more
    assert allocation() == {"Development": 21, "Security": 17, "Deployment": 15,
                            "Troubleshooting": 12}
    assert sum(allocation(EXAM_QUESTIONS).values()) == 65 and sum(allocation(10).values()) == 10


def test_exam_plan_is_weighted_and_repeatable() -> None:
    bank = [question(f"{d[:3].lower()}-{i}", d) for d in DOMAINS for i in range(30)]
    plan = exam_plan(bank, seed=7)
    assert len(plan) == 65 and len({q.id for q in plan}) == 65
    counts = {d: sum(q.domain == d for q in plan) for d in DOMAINS}
    assert counts == allocation()
    assert [q.id for q in exam_plan(bank, seed=7)] == [q.id for q in plan]
    assert [q.id for q in exam_plan(bank, seed=8)] != [q.id for q in plan]


def test_small_bank_uses_all_it_has() -> None:
    bank = [question(f"d{i}") for i in range(5)] + [question("s0", "Security")]
    plan = exam_plan(bank, seed=1)
    assert sorted(q.id for q in plan) == sorted(q.id for q in bank)


def test_mulberry32_matches_the_browser_generator() -> None:
    # Values printed by quiz.js's mulberry32 under Node.js for the same seeds.
    random = mulberry32(42)
    assert [random() for _ in range(3)] == [
        0.6011037519201636, 0.44829055899754167, 0.8524657934904099]
    random = mulberry32(4_000_000_000)
    assert [random() for _ in range(2)] == [0.6919068221468478, 0.5511944761965424]
