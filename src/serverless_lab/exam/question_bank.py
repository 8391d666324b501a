"""The exam question bank: ``quizzes/<chapter>.yml``, one file per chapter.

Each question is written for the AWS Certified Developer - Associate exam **DVA-C03**, in use
since 1 December 2026 (DVA-C02 was in use until 30 November 2026). Its four content domains
are weighted 30 %, 26 %, 22 % and 22 % of the scored questions: Development with AWS Services,
Security, Testing and Deployment (renamed from "Deployment"), and Troubleshooting and
Optimization. Each domain has three tasks (``TASKS``, 1.1-4.3), and every question names one:
a task belongs to the domain with its first digit. The task titles keep the wording of the C02
guide pages, merged and moved as the comparison page says (SAM unit tests 1.1 -> 3.2, Lambda
performance tuning 1.2 -> 4.3, API Gateway stages and custom domains 3.4 -> 3.1; C02 tasks 3.2
and 3.3 became 3.2, C02 2.2 and 2.3 became 2.2; 2.3 security of AI services is new).
Sources (FACTS.md section 0): AWS Certification user guide, "Comparison of DVA-C02 and DVA-C03"
(https://docs.aws.amazon.com/aws-certification/latest/userguide/, page
``developer-associate-03-comparison``), https://aws.amazon.com/certification/certified-developer-associate/
and the C02 task pages
https://docs.aws.amazon.com/aws-certification/latest/developer-associate-02/developer-associate-02-domain3.html
(and ...-domain1, -domain2, -domain4).

A file looks like this::

    chapter: 02_lambda
    title: "AWS Lambda: functions, handlers, invocations"
    questions:
      - id: lambda-sync-error-status          # stable, unique across the bank
        domain: Troubleshooting               # Development | Security | Deployment | Troubleshooting
        task: "4.1"                           # a DVA-C03 task of that domain (TASKS)
        section: book/02_lambda.md#when-a-synchronous-invocation-fails
        lab: labs/02_lambda.ipynb#step-7-a-function-error   # optional
        source: https://docs.aws.amazon.com/lambda/latest/dg/invocation-retries.html
        stem: A developer ...
        options:                              # 4 for one answer, 5 for "Choose TWO."
          - {text: ..., correct: true, why: ...}
          - {text: ..., correct: false, why: ...}

Questions with two or more correct options are multiple-answer questions; their stem says
how many to choose ("Choose TWO."). Options are shown in an order fixed by the question's id
(see ``_display_order``), so the file may list the right answer anywhere.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml

DOMAINS = ("Development", "Security", "Deployment", "Troubleshooting")
DOMAIN_WEIGHTS = {"Development": 30, "Security": 26, "Deployment": 22, "Troubleshooting": 22}
DOMAIN_TITLES = {
    "Development": "Development with AWS Services",
    "Security": "Security",
    "Deployment": "Testing and Deployment",
    "Troubleshooting": "Troubleshooting and Optimization",
}
TASKS = {
    "1.1": "Develop code for applications hosted on AWS",
    "1.2": "Develop code for AWS Lambda",
    "1.3": "Use data stores in application development",
    "2.1": "Implement authentication and/or authorization for applications and AWS services",
    "2.2": "Implement encryption and manage sensitive data in application code",
    "2.3": "Secure AI services in applications",
    "3.1": "Prepare application artifacts to be deployed to AWS",
    "3.2": "Test applications in development environments and automate deployment testing",
    "3.3": "Deploy code by using AWS CI/CD services",
    "4.1": "Assist in a root cause analysis",
    "4.2": "Instrument code for observability",
    "4.3": "Optimize applications by using AWS services and features",
}
OPTION_LETTERS = "abcdefgh"
CHOOSE_WORDS = {2: "TWO", 3: "THREE"}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["chapter", "title", "questions"],
    "additionalProperties": False,
    "properties": {
        "chapter": {"type": "string", "pattern": r"^\d\d_[a-z0-9_]+$"},
        "title": {"type": "string", "minLength": 1},
        "questions": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["id", "domain", "task", "section", "source", "stem", "options"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"},
                "domain": {"enum": list(DOMAINS)},
                "task": {"enum": list(TASKS)},
                "section": {"type": "string", "pattern": r"^book/[\w-]+\.md#[\w-]+$"},
                "lab": {"type": "string", "pattern": r"^labs/[\w-]+\.ipynb#[\w-]+$"},
                "source": {"type": "string", "pattern": r"^https://"},
                "stem": {"type": "string", "minLength": 20},
                "options": {"type": "array", "minItems": 3, "maxItems": 6, "items": {
                    "type": "object",
                    "required": ["text", "correct", "why"],
                    "additionalProperties": False,
                    "properties": {
                        "text": {"type": "string", "minLength": 1},
                        "correct": {"type": "boolean"},
                        "why": {"type": "string", "minLength": 10},
                    },
                }},
            },
        }},
    },
}


class BankError(ValueError):
    """The bank breaks a rule; the message lists every problem found."""


@dataclass(frozen=True)
class Option:
    key: str
    text: str
    correct: bool
    why: str


@dataclass(frozen=True)
class Question:
    id: str
    chapter: str
    domain: str
    section: str
    source: str
    stem: str
    options: tuple[Option, ...]
    lab: str | None = None
    task: str | None = None

    @property
    def answer(self) -> frozenset[str]:
        """The keys of the correct options."""
        return frozenset(o.key for o in self.options if o.correct)

    @property
    def multiple(self) -> bool:
        return len(self.answer) > 1

    @property
    def task_title(self) -> str:
        return TASKS.get(self.task or "", "")

    @property
    def html_id(self) -> str:
        """A stable element id, derived from the question id only."""
        return "q-" + self.id


def domain_of(task: str) -> str:
    """The domain a task belongs to: its first digit counts the domains (``"3.1"`` ->
    ``Deployment``, shown as Testing and Deployment)."""
    return DOMAINS[int(task.split(".")[0]) - 1]


def default_directory() -> Path:
    """``quizzes/`` of the checkout this package is installed from."""
    return Path(__file__).resolve().parents[3] / "quizzes"


def _problems(path: Path, data: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    found = [f"{path.name}: {'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
             for e in validator.iter_errors(data)]
    if found:
        return found
    if data["chapter"] != path.stem:
        found.append(f"{path.name}: chapter is {data['chapter']!r}, not {path.stem!r}")
    for item in data["questions"]:
        found.extend(_question_problems(path, item))
    return found


def _question_problems(path: Path, item: dict[str, Any]) -> list[str]:
    where = f"{path.name}: {item['id']}"
    correct = sum(o["correct"] for o in item["options"])
    found = []
    if correct == 0:
        found.append(f"{where}: no correct option")
    if correct > 1 and f"Choose {CHOOSE_WORDS.get(correct, correct)}." not in item["stem"]:
        found.append(f"{where}: a multiple-answer stem must say 'Choose "
                     f"{CHOOSE_WORDS.get(correct, correct)}.'")
    texts = [o["text"].strip().lower() for o in item["options"]]
    if len(set(texts)) != len(texts):
        found.append(f"{where}: two options have the same text")
    if domain_of(item["task"]) != item["domain"]:
        found.append(f"{where}: task {item['task']} belongs to {domain_of(item['task'])}, "
                     f"not {item['domain']}")
    if not item["section"].startswith(f"book/{path.stem}.md#") and path.stem != "revision":
        found.append(f"{where}: section {item['section']} is not in chapter {path.stem}")
    return found


def _display_order(qid: str, options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Options in a fixed order that depends only on the question's id: authors may list the
    right answer first, readers must not be able to rely on where it is."""
    shuffled = list(options)
    random.Random(hashlib.sha256(qid.encode()).hexdigest()).shuffle(shuffled)
    return shuffled


def _question(chapter: str, item: dict[str, Any]) -> Question:
    options = tuple(Option(OPTION_LETTERS[i], o["text"].strip(), o["correct"], o["why"].strip())
                    for i, o in enumerate(_display_order(item["id"], item["options"])))
    return Question(item["id"], chapter, item["domain"], item["section"], item["source"],
                    item["stem"].strip(), options, item.get("lab"), item["task"])


# libyaml's parser where PyYAML has it (ten times faster; the same safe constructor)
YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_loaded: dict[tuple[Any, ...], list[Question]] = {}


def load(directory: Path | None = None) -> list[Question]:
    """Every question of every chapter, in file then bank order; raise ``BankError``
    listing all problems (schema, duplicate ids, missing explanations ...) at once.

    Parsed once per process for the same file contents (the book's build asks for the bank
    once per quiz, a lab once per quiz cell)."""
    paths = sorted((directory or default_directory()).glob("[0-9][0-9]_*.yml"))
    texts = {path: path.read_bytes() for path in paths}
    key = tuple((str(path), hashlib.sha256(text).digest()) for path, text in texts.items())
    if key not in _loaded:
        _loaded[key] = _read(texts)
    return list(_loaded[key])


def _read(texts: dict[Path, bytes]) -> list[Question]:
    problems: list[str] = []
    questions: list[Question] = []
    for path, text in texts.items():
        data = yaml.load(text.decode("utf-8"), Loader=YAML_LOADER)
        found = _problems(path, data)
        problems.extend(found)
        if not found:
            questions.extend(_question(data["chapter"], q) for q in data["questions"])
    seen: dict[str, int] = {}
    for question in questions:
        seen[question.id] = seen.get(question.id, 0) + 1
    problems.extend(f"duplicate id: {qid}" for qid, n in seen.items() if n > 1)
    if problems:
        raise BankError("\n".join(problems))
    return questions


def chapter(questions: list[Question], name: str) -> list[Question]:
    return [q for q in questions if q.chapter == name]


def anchor_of(reference: str) -> tuple[str, str]:
    """``book/02_lambda.md#x`` -> (``book/02_lambda``, ``x``)."""
    path, _, anchor = reference.partition("#")
    return re.sub(r"\.(md|ipynb)$", "", path), anchor
