"""Grading and mock-exam plans: pure functions, shared by the Jupyter exam and the tests.

DVA-C02 has 65 questions in 130 minutes, and its content domains are weighted
Development 32 %, Security 26 %, Deployment 24 %, Troubleshooting and Optimization 18 %.
A multiple-answer question counts as right only when exactly the correct options are chosen.
https://docs.aws.amazon.com/aws-certification/latest/developer-associate-02/developer-associate-02.html
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from .question_bank import DOMAIN_WEIGHTS, DOMAINS, Question

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
