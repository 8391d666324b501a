"""The book builds from stored notebook outputs with zero Sphinx warnings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp_path_factory.mktemp("book")
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(ROOT), "--path-output", str(out), "-W", "-n",
         "--keep-going"], capture_output=True, text=True, timeout=600)
    return result, out / "_build" / "html"


def test_book_builds_without_warnings(built) -> None:
    result, _ = built
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "WARNING" not in result.stderr


def test_every_chapter_and_lab_is_rendered(built) -> None:
    _, html = built
    for page in ["book/00_intro", "book/01_serverless", "book/02_lambda",
                 "labs/01_serverless", "labs/02_lambda"]:
        assert (html / f"{page}.html").is_file(), page


def test_labs_render_their_stored_outputs(built) -> None:
    _, html = built
    page = (html / "labs" / "02_lambda.html").read_text()
    assert "cell_output" in page and "StatusCode" in page
