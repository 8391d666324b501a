"""Grading and mock-exam plans: pure functions, shared by the Jupyter exam and the tests.

The mock exam follows DVA-C03 (in use since 1 December 2026): 65 questions in 130 minutes,
the format AWS kept from DVA-C02, and content domains weighted Development with AWS Services
30 %, Security 26 %, Testing and Deployment 22 %, Troubleshooting and Optimization 22 %, so
65 questions split 20 / 17 / 14 / 14 by largest remainder. A multiple-answer question counts as
right only when exactly the correct options are chosen. The score report gives each domain and
each task (``question_bank.TASKS``).
Sources (FACTS.md section 0): AWS Certification user guide, "Comparison of DVA-C02 and DVA-C03"
(https://docs.aws.amazon.com/aws-certification/latest/userguide/, page
``developer-associate-03-comparison``) and https://aws.amazon.com/certification/certified-developer-associate/
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from serverless_lab.exam.question_bank import (
    DOMAIN_TITLES,
    DOMAIN_WEIGHTS,
    DOMAINS,
    TASKS,
    Question,
    domain_of,
)

EXAM_QUESTIONS = 65
EXAM_MINUTES = 130
_MASK = 0xFFFFFFFF


@dataclass(frozen=True)
class DomainScore:
    domain: str
    right: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.right / self.total if self.total else 0.0


@dataclass(frozen=True)
class TaskScore:
    task: str
    right: int
    total: int

    @property
    def title(self) -> str:
        return TASKS[self.task]

    @property
    def domain(self) -> str:
        return domain_of(self.task)

    @property
    def percent(self) -> float:
        return 100.0 * self.right / self.total if self.total else 0.0


@dataclass(frozen=True)
class ExamResult:
    right: int
    total: int
    domains: tuple[DomainScore, ...]
    missed: tuple[str, ...]
    tasks: tuple[TaskScore, ...] = ()

    @property
    def percent(self) -> float:
        return 100.0 * self.right / self.total if self.total else 0.0


def is_right(question: Question, selected: Iterable[str]) -> bool:
    """Exactly the correct options, no more and no fewer."""
    return frozenset(selected) == question.answer


def grade(questions: Sequence[Question], answers: Mapping[str, Iterable[str]]) -> ExamResult:
    """Score ``answers`` (question id -> chosen option keys); unanswered counts as wrong."""
    right_ids = {q.id for q in questions if is_right(q, answers.get(q.id, ()))}
    domains = tuple(
        DomainScore(d, sum(q.id in right_ids for q in questions if q.domain == d),
                    sum(q.domain == d for q in questions))
        for d in DOMAINS if any(q.domain == d for q in questions))
    tasks = tuple(
        TaskScore(t, sum(q.id in right_ids for q in questions if q.task == t),
                  sum(q.task == t for q in questions))
        for t in TASKS if any(q.task == t for q in questions))
    missed = tuple(q.id for q in questions if q.id not in right_ids)
    return ExamResult(len(right_ids), len(questions), domains, missed, tasks)


def report(result: ExamResult) -> dict[str, object]:
    """The score report as plain data (JSON-ready) for a renderer: overall, then each domain
    (with its DVA-C03 title and weight) and each task (with its title and domain)."""
    return {
        "right": result.right, "total": result.total, "percent": round(result.percent, 1),
        "domains": [{"domain": d.domain, "title": DOMAIN_TITLES[d.domain],
                     "weight": DOMAIN_WEIGHTS[d.domain], "right": d.right, "total": d.total,
                     "percent": round(d.percent, 1)} for d in result.domains],
        "tasks": [{"task": t.task, "title": t.title, "domain": t.domain, "right": t.right,
                   "total": t.total, "percent": round(t.percent, 1)} for t in result.tasks],
        "missed": list(result.missed),
    }


def allocation(size: int = EXAM_QUESTIONS,
               weights: Mapping[str, int] = DOMAIN_WEIGHTS) -> dict[str, int]:
    """Split ``size`` questions by ``weights`` with the largest-remainder method
    (65 -> Development 20, Security 17, Deployment 14, Troubleshooting 14)."""
    total = sum(weights.values())
    exact = {d: size * w / total for d, w in weights.items()}
    counts = {d: int(x) for d, x in exact.items()}
    by_remainder = sorted(weights, key=lambda d: (-(exact[d] - counts[d]), list(weights).index(d)))
    for domain in by_remainder[: size - sum(counts.values())]:
        counts[domain] += 1
    return counts


def mulberry32(seed: int) -> Callable[[], float]:
    """The seeded generator the book's revision page uses (quiz_assets/quiz.js), bit for bit,
    so a seed shown in the browser replays the same mock exam here and the other way round."""
    state = seed & _MASK

    def next_float() -> float:
        nonlocal state
        state = (state + 0x6D2B79F5) & _MASK
        t = ((state ^ (state >> 15)) * (state | 1)) & _MASK
        t ^= (t + ((t ^ (t >> 7)) * (t | 61))) & _MASK
        return ((t ^ (t >> 14)) & _MASK) / 4294967296

    return next_float


def shuffled(items: Sequence[Question], random: Callable[[], float]) -> list[Question]:
    """Fisher-Yates from the end, as quiz.js shuffles."""
    copy = list(items)
    for i in range(len(copy) - 1, 0, -1):
        j = int(random() * (i + 1))
        copy[i], copy[j] = copy[j], copy[i]
    return copy


def exam_plan(questions: Sequence[Question], seed: int,
              size: int = EXAM_QUESTIONS) -> list[Question]:
    """Draw a mock exam: each domain's share of ``size``, or all of that domain's questions
    while the bank holds fewer; the same seed gives the same exam as the revision page."""
    random = mulberry32(seed)
    drawn: list[Question] = []
    for domain, wanted in allocation(size).items():
        drawn.extend(shuffled([q for q in questions if q.domain == domain], random)[:wanted])
    return shuffled(drawn, random)
