"""Where each word lands on the PDF page: the visual order the Unicode bidi algorithm
gives (python-bidi is the oracle), for every inline-markup case of the corpus."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bidi import get_display
from markdown_it import MarkdownIt

from exporter.bidi.markup import first_strong
from exporter.bidi.tokens import find_tokens
from tests.conftest import CORPUS
from tests.readers import PdfWord, pdf_lines

STEM = "mixed-inline"
LRE, PDF, LRI, PDI = "\u202a", "\u202c", "\u2066", "\u2069"
CONTROLS = frozenset((LRE, PDF, LRI, PDI))


def case_paragraphs() -> list[str]:
    """The corpus file's paragraphs, in Markdown as written."""
    body = (CORPUS / f"{STEM}.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]
    return [block.strip() for block in body.split("\n\n") if block.strip()]


def plain_text(markdown: str) -> str:
    """What a reader sees of one paragraph: the text without its markup, logical order;
    inline code and every technical token laid out left to right on its own, as the
    README's convention makes them: in Arabic text a left-to-right word to the text around
    it (LRE ... PDF in plain text), in English text a neutral object (LRI ... PDI)."""
    rendered = MarkdownIt("commonmark").enable("strikethrough").render(markdown)
    text = html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()
    start, end = (LRE, PDF) if first_strong(text) == "rtl" else (LRI, PDI)
    rendered = rendered.replace("<code>", start).replace("</code>", end)
    text = html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()
    for token in reversed(find_tokens(text)):
        first, last = token.start, token.end
        text = f"{text[:first]}{start}{text[first:last]}{end}{text[last:]}"
    return text


def visual_words(markdown: str) -> list[str]:
    """The paragraph's words from left to right, as python-bidi lays them out."""
    shown = get_display(plain_text(markdown))
    return "".join(char for char in shown if char not in CONTROLS).split()


def letters(word: str) -> str:
    """A word compared by its letters: PDF readers do not agree on the order in which they
    report the letters of an Arabic word, but the word's place on the line is what counts."""
    return "".join(sorted(word))


@pytest.fixture(scope="module")
def page_lines(corpus_outputs: Callable[[str], dict[str, Path]]) -> list[list[PdfWord]]:
    return pdf_lines(corpus_outputs(STEM)["pdf"])


@pytest.mark.parametrize("markdown", case_paragraphs())
def test_words_stand_in_bidi_order(markdown: str, page_lines: list[list[PdfWord]]) -> None:
    # python-bidi: the paragraph's direction from its first strong letter (rule P2), as the
    # corpus writes every Arabic case with an Arabic first word and every English one with
    # an English first word.
    expected = [letters(word) for word in visual_words(markdown)]
    line = next(
        (ln for ln in page_lines if sorted(letters(w.text) for w in ln) == sorted(expected)),
        None,
    )
    assert line is not None, f"no line of the PDF holds exactly the words of {markdown!r}"
    left_to_right = [letters(word.text) for word in sorted(line, key=lambda w: w.left)]
    assert left_to_right == expected
