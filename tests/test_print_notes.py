"""A short chaptered document with page footnotes, read back: the title block, the notes
and their rule, clickable calls, the contents that chapters bring, bookmarks."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from exporter import export, parse_article, read_source
from tests.pdfread import (
    MM,
    PdfReader,
    assert_book_pages,
    contents_pages,
    heading_tree,
    titles,
    visible,
)

SENTENCE = "يتزامن الاتصال الروسي الفنزويلي مع حملة ضغط أمريكية متزايدة في البحر الكاريبي"


def notes_document() -> str:
    """Two chapters, a section, paragraphs long enough to fill pages, a note called in
    every other paragraph (each note tagged NOTEA, NOTEB... to be found on its page)."""
    notes = itertools.count(1)

    def paragraphs(count: int = 5) -> str:
        texts = []
        for index in range(count):
            call = f"[^{next(notes)}]" if index % 2 == 0 else ""
            texts.append(f"{SENTENCE}. {SENTENCE}{call} {SENTENCE}. " + f"{SENTENCE}. " * 3)
        return "\n\n".join(texts)

    body = f"""---
title: دفتر الحواشي
subtitle: مقالة قصيرة في فصلين
author: [سلمى يوسف, خالد عمر]
date: 2026-11-28
description: نص تجريبي فيه حواش في أسفل الصفحات.
---

# الفصل الأول

{paragraphs()}

## مسألة فرعية

{paragraphs()}

# الفصل الثاني

{paragraphs()}

"""
    called = next(notes) - 1
    return body + "\n".join(
        f"[^{n}]: حاشية قصيرة تشرح ما سبق NOTE{chr(64 + n)}." for n in range(1, called + 1)
    ) + "\n"  # fmt: skip


@pytest.fixture(scope="module")
def notes_pdf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PdfReader]:
    source = tmp_path_factory.mktemp("notes") / "notes.md"
    source.write_text(notes_document(), encoding="utf-8")
    (pdf,) = export(source, out_dir=source.parent, formats=("pdf",))
    reader = PdfReader(pdf)
    reader.source = source  # type: ignore[attr-defined]
    yield reader
    reader.close()


def test_title_block_has_subtitle_authors_date_and_standfirst(notes_pdf: PdfReader) -> None:
    lines = notes_pdf.page_text(1).splitlines()
    assert lines[:5] == [
        "دفتر الحواشي",
        "مقالة قصيرة في فصلين",
        "بقلم سلمى يوسف، خالد عمر",
        "٢٨ نوفمبر ٢٠٢٦",
        "نص تجريبي فيه حواش في أسفل الصفحات.",
    ]


def test_two_chapters_bring_a_table_of_contents(notes_pdf: PdfReader) -> None:
    article = parse_article(read_source(notes_pdf.source))  # type: ignore[attr-defined]
    (page,) = contents_pages(notes_pdf, {heading.id for heading in article.headings})
    entries = [line for line in visible(notes_pdf.page_text(page)).splitlines() if "....." in line]
    assert len(entries) == 3  # two chapters and the section between them


def test_a_title_page_then_each_chapter_on_a_recto_without_running_head(
    notes_pdf: PdfReader,
) -> None:
    article = parse_article(read_source(notes_pdf.source))  # type: ignore[attr-defined]
    # A4's top margin is 20 mm; the running head stands in it, above the text.
    assert_book_pages(notes_pdf, article.metadata.title, article.headings, head_band=18 * MM)


def test_each_note_is_set_on_the_page_of_its_call(notes_pdf: PdfReader) -> None:
    calls = [link for link in notes_pdf.links() if link.target.startswith("fn-")]
    assert len(calls) >= 4
    where = notes_pdf.destinations()
    for call in calls:
        number = int(call.target.removeprefix("fn-"))
        assert f"NOTE{chr(64 + number)}" in notes_pdf.page_text(call.page)
        assert where[call.target] == call.page  # and the call's link leads there


def test_the_rule_above_the_notes_starts_on_the_right(notes_pdf: PdfReader) -> None:
    """A short rule, a third of the text block wide, flush with the text's right edge."""
    dpi = 200
    page = next(link.page for link in notes_pdf.links() if link.target == "fn-1")
    image = notes_pdf.render(page, dpi=dpi)
    extent = notes_pdf.text_extent(page)
    left, right = (round(x * dpi / 72) for x in (extent.left, extent.right))
    rule = longest_dark_run(image, top=image.height // 2)  # type: ignore[arg-type]
    width = right - left
    assert 0.2 * width < rule[1] - rule[0] < 0.45 * width, (rule, left, right)
    assert abs(rule[1] - right) <= 3, (rule, right)


def longest_dark_run(image: object, top: int) -> tuple[int, int]:
    """The longest horizontal run of dark pixels below ``top``: (first x, last x + 1)."""
    pixels = image.load()  # type: ignore[attr-defined]
    best = (0, 0)
    for y in range(top, image.height):  # type: ignore[attr-defined]
        start = None
        for x in range(image.width + 1):  # type: ignore[attr-defined]
            dark = x < image.width and pixels[x, y] < 160  # type: ignore[attr-defined]
            if dark and start is None:
                start = x
            elif not dark and start is not None:
                if x - start > best[1] - best[0]:
                    best = (start, x)
                start = None
    return best


def test_bookmarks_nest_the_chapters_under_the_title(notes_pdf: PdfReader) -> None:
    article = parse_article(read_source(notes_pdf.source))  # type: ignore[attr-defined]
    expected = heading_tree(article.metadata.title, article.headings)
    assert titles(notes_pdf.outline()) == expected
    assert [len(children) for _, children in expected] == [2]  # two chapters under the title


def test_article_bookmarks_nest_its_sections_under_the_title(
    article_outputs: dict[str, Path],
) -> None:
    reader = PdfReader(article_outputs["pdf"])
    article = parse_article(read_source(Path(__file__).resolve().parents[1] / "article.md"))
    assert titles(reader.outline()) == heading_tree(article.metadata.title, article.headings)
    reader.close()
