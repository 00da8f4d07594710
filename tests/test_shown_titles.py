"""Latin tokens in the words shown outside the body (the title block, the table of
contents, the running heads, the EPUB's contents and drawn cover) read left to right as
they do in the body: "C++" is never drawn "++C" in an Arabic title."""

from __future__ import annotations

import itertools
import zipfile
from pathlib import Path

import pypdfium2
import pytest

from exporter import export
from exporter.epub.cover import cover_blocks
from exporter.read.parser import parse_article
from exporter.read.source import read_source
from exporter.render.runningheads import ISOLATES, POP_ISOLATE

# Tokens whose Latin letters appear nowhere else in the article, so that each letter's box
# on a line belongs to the token.
TOKENS = ("C++", "Qt6")
PARAGRAPH = "فقرة طويلة من نص المقال تملأ السطر بعد السطر حتى تنتقل الصفحة. " * 12
ARTICLE = f"""---
title: دليل C++ و Qt6 للمبتدئين
subtitle: مقارنة بين C++ و Qt6
author: كاتب المقال
---

{PARAGRAPH}

# فصل عن C++ و Qt6

{PARAGRAPH * 8}

# فصل ثان

{PARAGRAPH}
"""


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("shown")
    source = folder / "shown.md"
    source.write_text(ARTICLE, encoding="utf-8")
    written = export(source, out_dir=folder / "out", toc=True, paper="A5")
    return {path.suffix[1:]: path for path in written}


def _lines_with_tokens(pdf: Path) -> list[tuple[int, float, dict[str, list[float]]]]:
    """Each line (page, height) that holds a token's letters: every Latin letter's left
    edges on it, letter by letter."""
    lines = []
    document = pypdfium2.PdfDocument(pdf)
    for number in range(len(document)):
        text = document[number].get_textpage()
        found: dict[float, dict[str, list[float]]] = {}
        for index in range(text.count_chars()):
            char = text.get_text_range(index, 1)
            if char.isascii() and char.strip():
                left, bottom, _, _ = text.get_charbox(index)
                found.setdefault(round(bottom), {}).setdefault(char, []).append(left)
        lines += [(number + 1, height, letters) for height, letters in found.items()]
    return lines


def _reads_left_to_right(letters: dict[str, list[float]], token: str) -> bool:
    """Whether the token's letters, each at its own place on the line, go left to right."""
    places = [sorted(letters[char]) for char in dict.fromkeys(token)]
    return all(a[-1] < b[0] for a, b in itertools.pairwise(places))


def test_every_line_of_the_pdf_sets_the_tokens_left_to_right(outputs: dict[str, Path]) -> None:
    lines = _lines_with_tokens(outputs["pdf"])
    # The title, the subtitle, the contents' entry, the chapter's heading, the running heads.
    assert len(lines) >= 6, lines
    for page, height, letters in lines:
        for token in TOKENS:
            if set(token) <= set(letters):
                assert _reads_left_to_right(letters, token), (token, page, height, letters)


def test_the_running_heads_hold_the_tokens(outputs: dict[str, Path]) -> None:
    document = pypdfium2.PdfDocument(outputs["pdf"])
    heads = []
    for page in document:
        width, height = page.get_size()
        heads.append(page.get_textpage().get_text_bounded(0, height - 45, width, height))
    assert any("C++" in head and "Qt6" in head for head in heads), heads


def test_the_epub_contents_and_title_page_isolate_the_tokens(outputs: dict[str, Path]) -> None:
    with zipfile.ZipFile(outputs["epub"]) as book:
        name = next(name for name in book.namelist() if name.endswith("nav.xhtml"))
        nav = book.read(name).decode("utf-8")
    assert '<span dir="ltr">C++</span>' in nav  # Qt6 is ordered right as it is
    html = outputs["html"].read_text(encoding="utf-8")
    title = html[html.index('<h1 class="title"') :].split("</h1>")[0]
    assert '<span dir="ltr">C++</span>' in title


def test_the_drawn_cover_isolates_the_tokens(outputs: dict[str, Path]) -> None:
    article = parse_article(read_source(outputs["pdf"].parent.parent / "shown.md"))
    blocks = dict(cover_blocks(article))
    isolated = f"{ISOLATES['ltr']}C++{POP_ISOLATE}"
    assert isolated in blocks["title"] and isolated in blocks["subtitle"]
