"""Sphinx directives ``quiz`` and ``revision``: the question bank as interactive HTML.

    ```{quiz} 02_lambda
    ```

    ```{revision}
    ```

The bank is ``quizzes/`` beside ``_config.yml``. The directive leaves a placeholder; the HTML is
rendered once every page has been read (``doctree-resolved``), so that each question's
"Read:" and "Lab:" links carry the heading they point to, and a link to a section that does
not exist is a warning (which fails the ``-W`` build).
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from serverless_lab.exam import question_bank, quiz_html

logger = logging.getLogger(__name__)


class quiz_placeholder(nodes.General, nodes.Element):
    """Where a quiz (``chapter`` set) or the revision app (``chapter`` empty) goes."""


def _bank_dir(app: Sphinx) -> Path:
    return Path(app.srcdir) / "quizzes"


def _bank(app: Sphinx) -> list[question_bank.Question]:
    return question_bank.load(_bank_dir(app))


class _BankDirective(SphinxDirective):
    def placeholder(self, chapter: str) -> list[nodes.Node]:
        for path in sorted(_bank_dir(self.env.app).glob("[0-9][0-9]_*.yml")):
            self.env.note_dependency(str(path))
        try:
            questions = _bank(self.env.app)
        except question_bank.BankError as error:
            raise self.error(f"the question bank has problems:\n{error}") from None
        if chapter and not question_bank.chapter(questions, chapter):
            raise self.error(f"no questions for chapter {chapter!r} in quizzes/")
        if not questions:
            raise self.error("the question bank in quizzes/ is empty")
        node = quiz_placeholder(chapter=chapter)
        self.set_source_info(node)
        return [node]


class QuizDirective(_BankDirective):
    """One chapter's quiz: ``{quiz} <chapter>``."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        return self.placeholder(self.arguments[0])


class RevisionDirective(_BankDirective):
    """Spaced-repetition practice and the mock exam over the whole bank."""

    def run(self) -> list[nodes.Node]:
        return self.placeholder("")


def collect_titles(app: Sphinx, doctree: nodes.document) -> None:
    """Remember every section's ids and title, per page."""
    titles: dict[str, str] = {}
    for section in doctree.findall(nodes.section):
        title = section.next_node(nodes.title)
        text = "".join(f"`{part.astext()}`" if isinstance(part, nodes.literal) else part.astext()
                       for part in title.children) if title else ""
        for section_id in section["ids"]:
            titles[section_id] = text or section_id
    _titles(app.env)[app.env.docname] = titles


def _titles(env: BuildEnvironment) -> dict[str, dict[str, str]]:
    if not hasattr(env, "slb_section_titles"):
        env.slb_section_titles = {}  # type: ignore[attr-defined]
    return env.slb_section_titles  # type: ignore[attr-defined]


def purge_titles(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _titles(env).pop(docname, None)


def merge_titles(app: Sphinx, env: BuildEnvironment, docnames: set[str],
                 other: BuildEnvironment) -> None:
    for docname in docnames:
        _titles(env)[docname] = _titles(other).get(docname, {})


def _link_titles(questions: list[question_bank.Question], env: BuildEnvironment,
                 node: quiz_placeholder) -> dict[str, str]:
    found: dict[str, str] = {}
    for question in questions:
        for reference in filter(None, (question.section, question.lab)):
            docname, anchor = question_bank.anchor_of(reference)
            title = _titles(env).get(docname, {}).get(anchor)
            if title is None:
                logger.warning("quiz question %s links to %s, which is no section of the book",
                               question.id, reference, location=node)
            else:
                found[reference] = title
    return found


def render_placeholders(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in list(doctree.findall(quiz_placeholder)):
        questions = _bank(app)
        chapter = node["chapter"]
        if chapter:
            questions = question_bank.chapter(questions, chapter)
        base = posixpath.dirname(docname)
        titles = _link_titles(questions, app.env, node)
        html = (quiz_html.render_quiz(questions, chapter, base=base, titles=titles) if chapter
                else quiz_html.render_revision(questions, base=base, titles=titles))
        node.replace_self(nodes.raw("", html, format="html"))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(quiz_placeholder)
    app.add_directive("quiz", QuizDirective)
    app.add_directive("revision", RevisionDirective)
    app.connect("doctree-read", collect_titles)
    app.connect("env-purge-doc", purge_titles)
    app.connect("env-merge-info", merge_titles)
    app.connect("doctree-resolved", render_placeholders)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 1}
