"""Grading and mock-exam plans: pure functions, shared by the Jupyter exam and the tests.

DVA-C02 has 65 questions in 130 minutes, and its content domains are weighted
Development 32 %, Security 26 %, Deployment 24 %, Troubleshooting and Optimization 18 %.
A multiple-answer question counts as right only when exactly the correct options are chosen.
https://docs.aws.amazon.com/aws-certification/latest/developer-associate-02/developer-associate-02.html
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .question_bank import DOMAIN_WEIGHTS, DOMAINS, Question

EXAM_QUESTIONS = 65
EXAM_MINUTES = 130


@dataclass(frozen=True)
class DomainScore:
    domain: str
    right: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.right / self.total if self.total else 0.0


@dataclass(frozen=True)
class ExamResult:
    right: int
    total: int
    domains: tuple[DomainScore, ...]
    missed: tuple[str, ...]

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
    missed = tuple(q.id for q in questions if q.id not in right_ids)
    return ExamResult(len(right_ids), len(questions), domains, missed)


def allocation(size: int = EXAM_QUESTIONS,
               weights: Mapping[str, int] = DOMAIN_WEIGHTS) -> dict[str, int]:
    """Split ``size`` questions by ``weights`` with the largest-remainder method
    (65 -> Development 21, Security 17, Deployment 15, Troubleshooting 12)."""
    total = sum(weights.values())
    exact = {d: size * w / total for d, w in weights.items()}
    counts = {d: int(x) for d, x in exact.items()}
    by_remainder = sorted(weights, key=lambda d: (-(exact[d] - counts[d]), list(weights).index(d)))
    for domain in by_remainder[: size - sum(counts.values())]:
        counts[domain] += 1
    return counts


def exam_plan(questions: Sequence[Question], seed: int,
              size: int = EXAM_QUESTIONS) -> list[Question]:
    """Draw a mock exam: each domain's share of ``size``, or all of that domain's questions
    while the bank holds fewer; the same seed gives the same exam."""
    rng = random.Random(seed)
    drawn: list[Question] = []
    for domain, wanted in allocation(size).items():
        pool = [q for q in questions if q.domain == domain]
        drawn.extend(rng.sample(pool, min(wanted, len(pool))))
    rng.shuffle(drawn)
    return drawn
