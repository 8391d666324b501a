"""The book as it is published: repository buttons, phone widths, console errors, search index.

The buttons that link to a repository come from book/_ext/publishing.py: on only when the
build is told its repository (SLB_REPOSITORY_URL, set by .github/workflows/book.yml).
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import serve_directory as serve

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import publishing  # noqa: E402  (book/_ext is no package)

PHONE = {"width": 390, "height": 844}
FAKE = "https://github.com/fake-owner/fake-book"
BUTTONS = ("btn-source-repository-button", "btn-source-edit-button",
           "btn-source-issues-button", "btn-launch-binder")
GITHUB_REPO = re.compile(r"https://github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


def pages(html_dir: Path) -> list[str]:
    """Every page of the built book, as paths relative to the site (index.html redirects)."""
    found = sorted(str(p.relative_to(html_dir)) for p in html_dir.rglob("*.html")
                   if not p.relative_to(html_dir).parts[0].startswith("_"))
    return [page for page in found if page != "index.html"]


def _book_config() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "_config.yml").read_text())


@pytest.fixture(scope="module")
def html_dir(built: tuple[Any, Path]) -> Path:
    result, out = built
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


# ---------- repository buttons ----------


def test_a_local_build_links_to_no_repository(html_dir: Path) -> None:
    given = os.environ.get(publishing.REPOSITORY_ENV, "").rstrip("/")
    sources = "\n".join(path.read_text() for pattern in ("book/*.md", "labs/*.ipynb",
                                                         "quizzes/*.yml")
                        for path in sorted(ROOT.glob(pattern)))
    linked = {page: (html_dir / page).read_text() for page in pages(html_dir)}
    for page, text in linked.items():
        for url in set(GITHUB_REPO.findall(text)):
            assert url in sources or (given and url.startswith(given)), (page, url)
        if not given:
            assert not [b for b in BUTTONS if b in text], page
            assert "mybinder.org" not in text, page
    if given:
        assert f'href="{given}"' in linked["book/02_lambda.html"]


def test_no_invented_repository_in_the_config() -> None:
    config = _book_config()
    assert config["repository"]["url"] == ""
    assert not any(config["html"].get(key) for key in publishing.OFF if key.startswith("use_"))
    assert not config["launch_buttons"].get("binderhub_url")


def test_the_environment_names_the_repository() -> None:
    buttons = _book_config()["sphinx"]["config"]["slb_repository_buttons"]
    current = {"launch_buttons": {"notebook_interface": "jupyterlab"}, "repository_url": "x"}
    options = publishing.repository_options(
        {publishing.REPOSITORY_ENV: FAKE + "/", publishing.BRANCH_ENV: "trunk"}, buttons, current)
    assert options["repository_url"] == FAKE and options["repository_branch"] == "trunk"
    assert options["use_repository_button"] and options["use_issues_button"]
    assert options["launch_buttons"] == {"notebook_interface": "jupyterlab",
                                         "binderhub_url": "https://mybinder.org"}
    off = publishing.repository_options({}, buttons, current)
    assert off["repository_url"] == "" and not off["use_edit_page_button"]
    assert off["launch_buttons"]["binderhub_url"] == ""
    assert off["launch_buttons"]["notebook_interface"] == "jupyterlab"
    with pytest.raises(Exception, match="no repository URL"):
        publishing.repository_options({publishing.REPOSITORY_ENV: "fake-owner/fake-book"},
                                      buttons, current)


CONF = """\
import sys
sys.path.insert(0, {ext!r})
extensions = ["myst_nb", "sphinx_book_theme", "publishing"]
html_theme = "sphinx_book_theme"
html_theme_options = {{"launch_buttons": {{"notebook_interface": "jupyterlab"}}}}
slb_repository_buttons = {buttons!r}
nb_execution_mode = "off"
"""
NOTEBOOK = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# A lab\n"]}],
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                        "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def test_a_build_given_a_repository_points_every_button_at_it(tmp_path: Path) -> None:
    """A small Sphinx project with the book's theme, extension and button settings."""
    src = tmp_path / "src"
    (src / "labs").mkdir(parents=True)
    buttons = _book_config()["sphinx"]["config"]["slb_repository_buttons"]
    (src / "conf.py").write_text(CONF.format(ext=str(ROOT / "book" / "_ext"), buttons=buttons))
    (src / "index.md").write_text("# Home\n\n```{toctree}\nlabs/01_lab\n```\n")
    (src / "labs" / "01_lab.ipynb").write_text(json.dumps(NOTEBOOK))
    env = {**os.environ, publishing.REPOSITORY_ENV: FAKE, publishing.BRANCH_ENV: "trunk"}
    result = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src),
                             str(tmp_path / "out")], capture_output=True, text=True, env=env,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    page = (tmp_path / "out" / "labs" / "01_lab.html").read_text()
    hrefs = set(re.findall(r'href="([^"]*(?:github|mybinder)[^"]*)"', page))
    assert f"{FAKE}" in hrefs
    assert f"{FAKE}/edit/trunk/labs/01_lab.ipynb" in hrefs
    assert any(h.startswith(f"{FAKE}/issues/new") for h in hrefs)
    assert ("https://mybinder.org/v2/gh/fake-owner/fake-book/trunk"
            "?urlpath=lab/tree/labs/01_lab.ipynb") in hrefs
    assert all(h.startswith((FAKE, "https://mybinder.org/v2/gh/fake-owner/fake-book/"))
               for h in hrefs), hrefs


# ---------- the search index ----------


class TextOutsideQuizzes(HTMLParser):
    """The text of a page, without scripts, styles and any ``div.slb-quiz``."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.quiz: list[str] = []
        self.stack: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        kind = "quiz" if "slb-quiz" in classes else "skip" if tag in ("script", "style") else ""
        self.stack.append((tag, kind))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        kinds = {kind for _, kind in self.stack}
        if "quiz" in kinds:
            self.quiz.append(data)
        elif "skip" not in kinds:
            self.text.append(data)


@functools.lru_cache(maxsize=None)
def _english() -> Any:
    from sphinx.search.en import SearchEnglish
    return SearchEnglish({})


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _english().stem(word).lower()


def _words(texts: list[str]) -> set[str]:
    """The words of ``texts`` in every form Sphinx's English index may store them."""
    lang = _english()
    found: set[str] = set()
    # Pieces of text joined as they stand (a highlighted "\\n2024" is two pieces) and apart.
    for word in lang.split("".join(texts)) + lang.split(" ".join(texts)):
        found.update({word, word.lower(), _stem(word)})
    return found


def test_the_search_index_holds_no_quiz(html_dir: Path) -> None:
    """Every word the index lists for a page is in the page outside its quiz."""
    raw = (html_dir / "searchindex.js").read_text()
    index = json.loads(raw[raw.index("(") + 1:raw.rindex(")")])
    terms: dict[int, set[str]] = {}
    for term, docs in index["terms"].items():
        for doc in [docs] if isinstance(docs, int) else docs:
            terms.setdefault(doc, set()).add(term)
    with_quiz = 0
    for number, docname in enumerate(index["docnames"]):
        parser = TextOutsideQuizzes()
        parser.feed((html_dir / f"{docname}.html").read_text())
        if not parser.quiz:
            continue
        with_quiz += 1
        outside = _words(parser.text)
        only_in_quiz = terms.get(number, set()) - outside
        assert not only_in_quiz, (docname, sorted(only_in_quiz)[:20])
    assert with_quiz >= 10


# ---------- a phone, in a real Chromium ----------




# Answer every question of the page's quiz (its first option), so that the verdicts and every
# option's explanation are on the page too.
ANSWER_ALL = """() => {
  let answered = 0;
  for (const question of document.querySelectorAll(".slb-quiz .slb-question")) {
    const option = question.querySelector(".slb-option input");
    const check = question.querySelector(".slb-check");
    if (option && check) { option.click(); check.click(); answered += 1; }
  }
  return answered;
}"""
WIDTH = "document.documentElement.scrollWidth"


def _open(context: Any, url: str) -> tuple[Any, list[str]]:
    """Start loading ``url`` in a new tab; the list collects the errors it logs."""
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    tab.on("console", lambda message: errors.append(f"console: {message.text}")
           if message.type == "error" else None)
    tab.goto(url, wait_until="commit")
    return tab, errors


def test_every_page_fits_a_phone_and_logs_no_error(html_dir: Path, browser: Any) -> None:
    every = pages(html_dir)
    assert {"book/02_lambda.html", "labs/09_api_gateway.html", "book/revision.html"} <= set(every)
    problems = {}
    quizzes = 0
    # One context for the whole site, as a reader's browser; its localStorage starts empty.
    # Pages load a few at a time.
    context = browser.new_context(viewport=PHONE)
    with serve(html_dir) as site:
        for start in range(0, len(every), 4):
            tabs = {page: _open(context, f"{site}/{page}") for page in every[start:start + 4]}
            for page, (tab, errors) in tabs.items():
                tab.wait_for_load_state("load")
                width = tab.evaluate(WIDTH)
                answered = tab.evaluate(ANSWER_ALL)
                answered_width = tab.evaluate(WIDTH)
                if max(width, answered_width) > PHONE["width"] or errors:
                    problems[page] = (width, answered, answered_width, errors)
                quizzes += answered > 0
                tab.close()
    context.close()
    assert problems == {}
    assert quizzes >= 10


def test_search_snippets_leave_the_quiz_out(html_dir: Path, browser: Any) -> None:
    """The search page cuts snippets from the page text, which must not include the quiz."""
    chapter = (html_dir / "book" / "02_lambda.html").read_text()
    whys = re.findall(r'<li class="slb-why[^"]*"[^>]*>(.*?)</li>', chapter, re.S)
    assert whys
    why = html.unescape(re.sub(r"<[^>]+>", "", whys[0])).strip()
    context = browser.new_context(viewport=PHONE)
    tab = context.new_page()
    with serve(html_dir) as site:
        tab.goto(f"{site}/search.html", wait_until="load")
        text = tab.evaluate("html => Search.htmlToText(html)", chapter)
    context.close()
    assert "Learning objectives" in text
    assert why and why[:40] not in text
