"""Technical tokens and numbers inside Arabic, where they are drawn: in the PDF (PDFium's
character boxes of the glyphs), and in the web page and the EPUB (Chromium's character
boxes). Every token reads as written, left to right; every plain number as the bidi
algorithm lays it out between two Arabic words: the same in all three formats.

The article is ``tests/corpus/technical-tokens.md``, one short Arabic sentence per token,
each on a line of its own.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporter import export
from tests.conftest import CORPUS
from tests.readers import NS, EpubPackage
from tests.screenorder import (
    CharBox,
    as_isolate,
    chromium_boxes,
    glyph_lines,
    inside_arabic,
    on_screen,
)
from tests.token_strategy import code_texts, sentences, technical_tokens

STEM = "technical-tokens"
LRE, PDF = "\u202a", "\u202c"  # a token as the bidi pass makes it, in plain text
# As the reader sees them: "\\\\server" in the Markdown is "\\server" on the page.
TOKENS = [
    "C++", "C#", "F#", ".NET", "OPEC+", "Notepad++", ".gitignore", "@Reuters",
    "#OpenSource", "print()",
    "+20 10 1234 5678", "+1 (202) 555-0143", "+44 20 7946 0958", "+971-4-555-0100",
    "+966501234567",
    "2026-11-20T09:30:00+02:00", "2025-03-09T14:05Z", "2024-02-29T23:59:59.500-05:00",
    "/usr/share/fonts/truetype", "C:\\Users\\Sara\\Documents", "~/projects/exporter/",
    "./build/out.pdf", "\\\\server\\share\\reports",
    "https://ar.example.org/wiki/Foo_(bar)",
    "www.example.net/path?q=1&lang=ar", "ftp://files.example.org/pub/",
    "news+ar@example.org", "mailto:info@example.net",
    "3.12.0-rc1", "v2.4.1", "1.0.0+build.5",
    # Inline code: one left-to-right isolate, the Arabic in it read right to left.
    "python -c \"print('مرحبا')\"", 'name = "سارة"', 'git commit -m "إصلاح"', "x = a + b;",
    "ls -la /tmp",
]  # fmt: skip
# Tokens with the sentence's punctuation after them, which stays outside the isolate, on
# its left, read after the token. The last three were found by the property test: the
# full stop or the ellipsis was taken into the path, and ../ was never isolated.
ENDED = [("https://example.com/docs/start", "."), ("sara.ahmad@example.com", "،"),
         ("/srv/data/", "."), ("../", "."), ("~/logs/", "...")]  # fmt: skip
# Latin phrases that end in code or a token: one left-to-right run, in the order typed.
PHRASES = ["Apple iPhone 17", "Python 3.12.1", "macOS 10.15.7"]
NUMBERS = ["2.8%", "+182.4", "-7", "2025-12-31", "1,234.5", "٣٫٥٪", "٢٠٢٦/١١/٢٠", "4.75",
           "20/11/2026"]  # fmt: skip

Outputs = Callable[[str], dict[str, Path]]


def page_text() -> str:
    """The article's Markdown as the page shows its characters."""
    source = (CORPUS / f"{STEM}.md").read_text(encoding="utf-8")
    return source.replace("\\\\", "\\").replace("`", "")


def expected_tokens() -> list[tuple[str, str]]:
    """``(text, drawn)``: each token, phrase or number, and its characters as drawn from left
    to right, in the order the article has them."""
    expected = [(token, as_isolate(token)) for token in TOKENS + PHRASES]
    expected += [(t + end, inside_arabic(f"{LRE}{t}{PDF}{end}")) for t, end in ENDED]
    expected += [(number, inside_arabic(number)) for number in NUMBERS]
    return sorted(expected, key=lambda item: page_text().find(item[0]))


def test_the_article_holds_each_token_once() -> None:
    """Each token can be found by its text alone: once in the article, and drawn right, not
    inside another token drawn right."""
    for token, shown in expected_tokens():
        assert page_text().count(token) == 1, token
        assert not any(shown in seen for other, seen in expected_tokens() if other != token)


@pytest.fixture(scope="module")
def outputs(corpus_outputs: Outputs) -> dict[str, Path]:
    return corpus_outputs(STEM)


def test_pdf_glyphs_read_as_written(outputs: dict[str, Path], tmp_path: Path) -> None:
    lines = glyph_lines(outputs["pdf"], tmp_path / "glyphs.pdf")
    wrong = [
        (token, shown) for token, shown in expected_tokens() if not any(shown in ln for ln in lines)
    ]
    assert not wrong, f"not drawn as expected (token, drawn left to right): {wrong}\n{lines}"


def test_web_page_reads_as_written(outputs: dict[str, Path], tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(outputs["html"].read_bytes())
    assert_read_as_written(chromium_boxes(page))


def test_epub_reads_as_written(outputs: dict[str, Path], tmp_path: Path) -> None:
    package = EpubPackage(outputs["epub"])
    with zipfile.ZipFile(outputs["epub"]) as book:
        book.extractall(tmp_path)
    items = package.manifest()
    spine = [
        tmp_path / package.member(items[ref.get("idref")].get("href"))
        for ref in package.opf.iterfind(".//opf:spine/opf:itemref", NS)
    ]
    [content] = [path for path in spine if TOKENS[0] in path.read_text(encoding="utf-8")]
    assert_read_as_written(chromium_boxes(content))


def assert_read_as_written(
    boxes: list[CharBox], expected: list[tuple[str, str]] | None = None
) -> None:
    """Each token, found in the document's text in logical order, drawn as expected."""
    text = "".join(box.char for box in boxes)
    wrong = []
    start = 0
    for token, shown in expected or expected_tokens():
        start = text.find(token, start)
        assert start >= 0, f"{token!r} is not in the document"
        drawn = on_screen(boxes[start : start + len(token)])
        if drawn != shown:
            wrong.append((token, shown, drawn))
        start += len(token)
    assert not wrong, f"(token, expected, drawn left to right): {wrong}"


# ``make test`` runs a few; TOKEN_ORDER_EXAMPLES=500 runs many more.
EXAMPLES = int(os.environ.get("TOKEN_ORDER_EXAMPLES", "10"))
MARKDOWN_AROUND = [
    ("", ""),
    ("", ""),
    ("**", "**"),
    ("*", "*"),
    ("[", "](https://example.invalid/)"),
]
_token_or_code = st.one_of(
    st.tuples(technical_tokens, st.sampled_from(MARKDOWN_AROUND)),
    st.tuples(code_texts, st.just(("`", "`"))),
)


@st.composite
def paragraphs(draw: st.DrawFn) -> tuple[str, str]:
    """``(markdown, token)``: an Arabic sentence around a technical token or inline code,
    the token as the page shows it; markup around it, or around a part of it."""
    token, (opening, closing) = draw(_token_or_code)
    before, _, after = draw(sentences(st.just(token)))
    cut = draw(st.integers(0, len(token)))
    # Not after a backslash, which would escape the tag's "<" in Markdown.
    if opening == "" and 0 < cut < len(token) and token[cut - 1] != "\\" and draw(st.booleans()):
        # An element that ends, or starts, inside the token.
        tag = draw(st.sampled_from(["b", "i"]))
        head, tail = token[:cut], token[cut:]
        marked = draw(
            st.sampled_from([f"<{tag}>{head}</{tag}>{tail}", f"{head}<{tag}>{tail}</{tag}>"])
        )
        return f"{before}{marked}{after}", token
    return f"{before}{opening}{token}{closing}{after}", token


@pytest.mark.slow  # Chromium for each example
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(paragraphs(), min_size=1, max_size=6))
def test_any_token_reads_as_written_in_chromium(article: list[tuple[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "tokens.md"
        body = "\n\n".join(markdown for markdown, _ in article)
        source.write_text(f"---\ntitle: رموز\nlang: ar\n---\n\n{body}\n", encoding="utf-8")
        [page] = export(source, out_dir=folder, formats="html")
        boxes = chromium_boxes(page)
    assert_read_as_written(boxes, [(token, as_isolate(token)) for _, token in article])
