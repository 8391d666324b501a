"""Sphinx extension: what the published book needs on top of Jupyter Book 1's defaults.

1. Repository buttons only for a repository the book is really published from. The build is
   told its repository by the environment: ``SLB_REPOSITORY_URL`` (``https://github.com/owner/
   name``) and ``SLB_REPOSITORY_BRANCH`` (default ``main``); ``.github/workflows/book.yml``
   sets both from the workflow's own ``github.server_url``, ``github.repository`` and
   ``github.ref_name``. Then the theme options in the ``slb_repository_buttons`` setting
   (``_config.yml``, ``sphinx.config``) are switched on: repository, issue and edit buttons,
   and Binder launch buttons on the labs. Without ``SLB_REPOSITORY_URL`` (a local build) the
   book has no repository, edit, issue or launch button at all, and no repository URL (not
   even Jupyter Book's default one). The options are sphinx-book-theme's ``html_theme_options``
   (https://sphinx-book-theme.readthedocs.io/en/stable/components/source-files.html and
   https://sphinx-book-theme.readthedocs.io/en/stable/content/launch.html), set at
   ``config-inited``, before the builder copies them into its theme options.
2. Each inline script once. Sphinx 7.4 adds a script that has a body and no file twice when
   an extension registers it after the builder started (``None`` and ``""`` compare unequal:
   https://github.com/sphinx-doc/sphinx/pull/13402, merged in March 2025 for a Sphinx after
   7.x; Jupyter Book 1 requires sphinx~=7.0). sphinx-thebe's ``const THEBE_JS_URL = ...`` is such a script, so every
   page threw "Identifier 'THEBE_JS_URL' has already been declared". The duplicates are
   dropped from each page's ``script_files`` (``html-page-context``).
3. Quizzes out of the search index. Sphinx indexes the text of raw HTML nodes (it strips the
   tags), so the index held every option and every explanation of the question bank, and a
   search for an answer's words led straight to it. The quiz HTML (``book/_ext/
   quiz_directive.py`` renders it as a raw node whose root is ``<div class="slb-quiz"``) is
   moved into a node of our own, written out unchanged by the HTML writer and invisible to
   the indexer, which only collects text nodes. ``slb-search.js`` does the same for result
   snippets, which Sphinx's search page cuts from the text of the page itself.
4. The site's own CSS (``slb-site.css``): long inline code, identifiers and quiz options wrap
   on a phone instead of widening the page.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

REPOSITORY_ENV = "SLB_REPOSITORY_URL"
BRANCH_ENV = "SLB_REPOSITORY_BRANCH"
STATIC = Path(__file__).resolve().parents[1] / "_static" / "theme"
REPOSITORY = re.compile(r"https://[A-Za-z0-9.-]+(:[0-9]+)?/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
QUIZ_ROOT = re.compile(r'\s*<div class="slb-quiz[ "]')
# Theme options that make a button or a link to a repository; all off without a repository.
OFF: dict[str, Any] = {
    "repository_url": "",
    "use_repository_button": False,
    "use_issues_button": False,
    "use_edit_page_button": False,
    "use_source_button": False,
}
LAUNCHERS = ("binderhub_url", "jupyterhub_url", "colab_url", "deepnote_url", "jupyterlite_url")


def repository_options(environ: Mapping[str, str], buttons: Mapping[str, Any],
                       current: Mapping[str, Any]) -> dict[str, Any]:
    """The theme options for the repository named in ``environ`` (none: every button off).

    ``buttons`` is ``slb_repository_buttons``; ``current`` the theme options so far (its
    ``launch_buttons`` keep their other keys, such as ``notebook_interface``).
    """
    url = environ.get(REPOSITORY_ENV, "").strip().rstrip("/")
    launch = dict(current.get("launch_buttons") or {})
    if not url:
        return {**OFF, "launch_buttons": {**launch, **dict.fromkeys(LAUNCHERS, ""),
                                          "thebe": False}}
    if not REPOSITORY.fullmatch(url):
        raise ConfigError(f"{REPOSITORY_ENV}={url!r} is no repository URL "
                          "(expected https://<host>/<owner>/<name>)")
    chosen = {key: value for key, value in buttons.items() if key != "launch_buttons"}
    launch.update(buttons.get("launch_buttons") or {})
    branch = environ.get(BRANCH_ENV, "").strip() or "main"
    return {**chosen, "repository_url": url, "repository_branch": branch,
            "launch_buttons": launch}


def apply_repository(app: Sphinx, config: Config) -> None:
    """``config-inited``: point the buttons at the repository, or drop them."""
    options = dict(config.html_theme_options)
    options.update(repository_options(os.environ, config.slb_repository_buttons, options))
    config.html_theme_options = options


def add_static_path(app: Sphinx) -> None:
    """``builder-inited``: serve ``book/_static/theme`` as ``_static``."""
    app.config.html_static_path.append(str(STATIC))


def _script_key(script: Any) -> tuple[Any, ...]:
    attributes = getattr(script, "attributes", {})
    return (getattr(script, "filename", script) or "", getattr(script, "priority", 0),
            tuple(sorted(attributes.items())))


def drop_duplicate_scripts(app: Sphinx, pagename: str, templatename: str,
                           context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``: keep the first of scripts that differ only by None vs ''."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    scripts[:] = kept


class unindexed_html(nodes.General, nodes.Element):
    """Raw HTML that the HTML writer emits as is and the search indexer never sees."""


def visit_unindexed_html(translator: Any, node: unindexed_html) -> None:
    translator.body.append(node["html"])
    raise nodes.SkipNode


def skip_node(translator: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def unindex_quizzes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``, after the quiz directive has rendered its HTML."""
    for raw in list(doctree.findall(nodes.raw)):
        if "html" in raw.get("format", "").split() and QUIZ_ROOT.match(raw.astext()):
            raw.replace_self(unindexed_html(html=raw.astext()))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("slb_repository_buttons", {}, "html", types=[dict])
    app.connect("config-inited", apply_repository)
    app.connect("builder-inited", add_static_path)
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    app.connect("doctree-resolved", unindex_quizzes, priority=900)
    app.add_node(unindexed_html, html=(visit_unindexed_html, None),
                 latex=(skip_node, None), text=(skip_node, None), man=(skip_node, None),
                 texinfo=(skip_node, None))
    app.add_css_file("slb-site.css")
    app.add_js_file("slb-search.js", loading_method="defer")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
