from __future__ import annotations

from serverless_lab.exam.grading import (
    EXAM_QUESTIONS,
    allocation,
    exam_plan,
    grade,
    is_right,
    mulberry32,
    report,
)
from serverless_lab.exam.question_bank import DOMAINS, TASKS, Option, Question

FIRST_TASK = {"Development": "1.1", "Security": "2.1", "Deployment": "3.1",
              "Troubleshooting": "4.1"}


def question(qid: str, domain: str = "Development", correct: str = "a",
             task: str | None = None) -> Question:
    options = tuple(Option(k, f"option {k}", k in correct, f"because {k} is so")
                    for k in "abcde"[: 5 if len(correct) > 1 else 4])
    return Question(qid, "02_lambda", domain, "book/02_lambda.md#x",
                    "https://docs.aws.amazon.com/", f"stem of {qid} long enough", options,
                    task=task or FIRST_TASK[domain])


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


def test_grade_counts_per_task_in_task_order() -> None:
    qs = [question("t12", task="1.2"), question("t11", task="1.1"),
          question("t12b", task="1.2", correct="b"), question("t43", "Troubleshooting", task="4.3")]
    result = grade(qs, {"t12": ["a"], "t11": ["a"], "t12b": ["a"]})
    assert [(t.task, t.right, t.total) for t in result.tasks] == [
        ("1.1", 1, 1), ("1.2", 1, 2), ("4.3", 0, 1)]
    assert result.tasks[1].percent == 50.0 and result.tasks[2].domain == "Troubleshooting"
    assert result.tasks[0].title == TASKS["1.1"]


def test_report_gives_each_domain_and_each_task_as_plain_data() -> None:
    qs = [question("d1", task="1.2"), question("p1", "Deployment", task="3.2"),
          question("p2", "Deployment", task="3.3")]
    data = report(grade(qs, {"d1": ["a"], "p1": ["b"], "p2": ["a"]}))
    assert (data["right"], data["total"], data["percent"], data["missed"]) == (2, 3, 66.7, ["p1"])
    assert [(d["domain"], d["title"], d["weight"], d["right"], d["total"])
            for d in data["domains"]] == [("Development", "Development with AWS Services", 30, 1, 1),
                                          ("Deployment", "Testing and Deployment", 22, 1, 2)]
    assert [(t["task"], t["domain"], t["right"], t["total"], t["percent"])
            for t in data["tasks"]] == [("1.2", "Development", 1, 1, 100.0),
                                        ("3.2", "Deployment", 0, 1, 0.0),
                                        ("3.3", "Deployment", 1, 1, 100.0)]
    assert data["tasks"][1]["title"] == TASKS["3.2"]


def test_allocation_follows_dva_c03_weights() -> None:
    # 19.5 / 16.9 / 14.3 / 14.3: floors 19/16/14/14, the two largest remainders get one more
    assert allocation() == {"Development": 20, "Security": 17, "Deployment": 14,
                            "Troubleshooting": 14}
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
