"""The book builds from stored notebook outputs with zero Sphinx warnings."""

from __future__ import annotations


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
