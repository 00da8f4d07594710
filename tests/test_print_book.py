"""A book of about 300 A5 pages of Arabic text (chapters, sections, page footnotes, a table
of contents), exported once and read back: contents page numbers, notes on their call's
page, folios, bookmarks."""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from exporter import export, parse_article, read_source
from exporter.model import Heading
from tests.longdoc import long_document, note_marker
from tests.pdfread import (
    MARGIN_BAND,
    MM,
    Link,
    PdfReader,
    assert_book_pages,
    assert_folios,
    blank_pages,
    contents_pages,
    heading_tree,
    running_head,
    titles,
)

# Slow tier (make test-fast leaves it out): a 300-page book rendered and read back.
pytestmark = pytest.mark.slow

# The Makefile runs pytest with --dist loadfile: one worker renders the book and runs every
# test of this file on it.
ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


@pytest.fixture(scope="session")
def book_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("book") / "book.md"
    source.write_text(long_document(), encoding="utf-8")
    return source


@pytest.fixture(scope="session")
def book(book_source: Path) -> Iterator[PdfReader]:
    # No time limit: the limit guards against hostile input, and on a busy machine this
    # known, long book may take longer than the default.
    (pdf,) = export(book_source, out_dir=book_source.parent, formats=("pdf",), timeout=0)
    reader = PdfReader(pdf)
    yield reader
    reader.close()


@pytest.fixture(scope="session")
def book_headings(book_source: Path) -> tuple[Heading, ...]:
    return parse_article(read_source(book_source)).headings


def test_the_book_is_about_300_a5_pages(book: PdfReader) -> None:
    assert 260 <= len(book) <= 360
    assert book.size_mm(len(book)) == pytest.approx((148, 210), abs=0.2)


def contents_entries(book: PdfReader, headings: tuple[Heading, ...]) -> dict[str, int]:
    """Each contents entry (the id it links to) and the page number printed at its end,
    read from the page: the number stands at the line's far left, past the leader."""
    pages = contents_pages(book, {heading.id for heading in headings})
    lines: dict[str, list[Link]] = defaultdict(list)
    for link in book.links():
        if not link.target.startswith("fn-") and link.page in pages:
            lines[link.target].append(link)
    printed = {}
    for target, parts in lines.items():
        bottom = min(min(p.rect[1], p.rect[3]) for p in parts)
        top = max(max(p.rect[1], p.rect[3]) for p in parts)
        left = min(min(p.rect[0], p.rect[2]) for p in parts)
        text = book.text_in(parts[0].page, 0, bottom + 1, left + 5 * MM, top - 1)
        digits = re.sub(r"\D", "", text.translate(ARABIC_INDIC))
        printed[target] = int(digits)
    return printed


def test_contents_page_numbers_are_the_pages_the_headings_are_on(
    book: PdfReader, book_headings: tuple[Heading, ...]
) -> None:
    printed = contents_entries(book, book_headings)
    top_two = [h for h in book_headings if h.level <= 2]
    assert sorted(printed) == sorted(h.id for h in top_two)
    where = book.destinations()
    for heading in top_two:
        page = printed[heading.id]
        assert page == where[heading.id], heading.text
        # And the page itself shows the heading: its "(chapter.section)" label is there.
        label = re.search(r"\((\d+(?:\.\d+)?)\)$", heading.text).group(1)
        assert label in book.page_text(page), (heading.text, page)


def test_each_note_is_on_the_page_of_its_call(book: PdfReader) -> None:
    calls = {link.target: link.page for link in book.links() if link.target.startswith("fn-")}
    assert len(calls) > 100
    where = book.destinations()
    for target, page in calls.items():
        number = int(target.removeprefix("fn-"))
        assert note_marker(number) in book.page_text(page), (target, page)
        assert where[target] == page


def test_no_heading_ends_a_page(book: PdfReader, book_headings: tuple[Heading, ...]) -> None:
    """Below each heading, on its own page, at least two lines of text in the body's size."""
    tops = book.heading_tops()
    for heading in book_headings:
        page, top = tops[heading.id]
        lines = book.line_sizes(page, top=top, bottom=MARGIN_BAND)
        body_size = statistics.mode(book.line_sizes(page, top=1e4, bottom=MARGIN_BAND).values())
        below = [size for size in lines.values() if abs(size - body_size) < 0.5]
        assert len(below) >= 2, (heading.text, page)


def test_folios_on_every_page_but_the_first(book: PdfReader) -> None:
    assert_folios(book, "arabic-indic")


def test_running_heads_name_the_current_chapter(
    book: PdfReader, book_headings: tuple[Heading, ...]
) -> None:
    where = book.destinations()
    blank = blank_pages(book)
    chapters = [h for h in book_headings if h.level == 1]
    for chapter, following in zip(chapters, [*chapters[1:], None], strict=True):
        first = where[chapter.id]
        last = where[following.id] - 1 if following else len(book)
        label = re.search(r"\((\d+)\)$", chapter.text).group(1)
        # None on the page where the chapter opens, nor on a page left blank.
        assert running_head(book, first, band=12 * MM) == "", first
        for page in sorted(set(range(first + 1, last + 1)) - blank):
            # PDFium gives RTL text's parentheses mirrored: either way round will do, and a
            # space it may see inside them.
            head = running_head(book, page, band=12 * MM)
            assert re.search(rf"[()]\s*{label}\s*[()]", head), (page, head)


def test_a_title_page_contents_apart_and_chapters_on_rectos(
    book: PdfReader, book_source: Path, book_headings: tuple[Heading, ...]
) -> None:
    title = parse_article(read_source(book_source)).metadata.title
    # A5's top margin is 15 mm; the running head stands in it, above the text.
    assert_book_pages(book, title, book_headings, head_band=12 * MM)


def test_bookmarks_nest_as_the_headings(
    book: PdfReader, book_source: Path, book_headings: tuple[Heading, ...]
) -> None:
    title = parse_article(read_source(book_source)).metadata.title
    assert titles(book.outline()) == heading_tree(title, book_headings)
