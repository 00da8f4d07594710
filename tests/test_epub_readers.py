"""The EPUBs read back by the reading systems the EPUB world tests with: Ace by DAISY for
accessibility, Calibre for the words and the metadata. Each runs once per EPUB."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.ebook_readers import calibre_metadata, calibre_text, run_ace
from tests.test_article_words import inline_text, split_front_matter, words

# Slow tier (make test-fast leaves it out): Ace (Chromium) and Calibre read each EPUB.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module", params=["article", "book"])
def epub(request: pytest.FixtureRequest) -> Path:
    if request.param == "article":
        return request.getfixturevalue("article_outputs")["epub"]
    return request.getfixturevalue("book_epub")[0]


def test_ace_reports_no_violation(epub: Path, tmp_path: Path) -> None:
    report = run_ace(epub, tmp_path / "ace")
    assert report.violations == []
    assert report.outcome == "pass"


def _article_words() -> list[str]:
    meta, body = split_front_matter((ROOT / "article.md").read_text(encoding="utf-8"))
    tokens = MarkdownIt("commonmark").parse(body)
    text = " ".join(inline_text(token) for token in tokens if token.type == "inline")
    return words(str(meta["title"])) + words(text)


def test_calibre_reads_the_article_in_order(
    article_outputs: dict[str, Path], tmp_path: Path
) -> None:
    expected = _article_words()
    got = words(calibre_text(article_outputs["epub"], tmp_path))
    # Words in the same order: the longest common subsequence the matcher finds. The
    # output may hold more (the cover's alt text is not read out; the title repeats).
    matcher = difflib.SequenceMatcher(a=expected, b=got, autojunk=False)
    found = sum(block.size for block in matcher.get_matching_blocks())
    assert found / len(expected) >= 0.995, (found, len(expected))


def test_calibre_reads_title_authors_and_language(book_epub: tuple[Path, list[str]]) -> None:
    fields = calibre_metadata(book_epub[0])
    assert fields["Title"] == "رحلة في تاريخ الخط العربي"
    assert fields["Author(s)"] == "سلمى الحداد & يوسف النجار"
    assert fields["Languages"] == "ara"
    assert fields["Publisher"] == "دار المثال للنشر"


def test_calibre_reads_the_article_title_and_language(article_outputs: dict[str, Path]) -> None:
    fields = calibre_metadata(article_outputs["epub"])
    title = split_front_matter((ROOT / "article.md").read_text(encoding="utf-8"))[0]["title"]
    assert fields["Title"] == title
    assert fields["Languages"] == "ara"
