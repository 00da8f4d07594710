"""A line laid out as Pango lays it out (tests/test_copytext_tjstream.py), rewritten span by
span (``copytext/tjstream.py``) with each reader's replacement text
(``copytext/textorder.py``), read back by a model of each reader (tests/readermodels.py):
every token comes back whole and in order, punctuation, brackets and quotes on their own
side. Real readers on real PDFs: tests/test_text_layer.py and tests/test_text_fuzz.py."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exporter.copytext.textorder import order_for_pdfium, order_for_poppler
from exporter.copytext.tjstream import rewrite_line
from tests.readermodels import pdfium_reads, poppler_reads, same_text
from tests.test_copytext_tjstream import laid_out


class Spans:
    """An opener that records each span's characters, direction and marked ends, in the
    order drawn (left to right)."""

    def __init__(self) -> None:
        self.spans: list[tuple[str, bool, tuple[bool, bool]]] = []

    def __call__(self, characters: str, rtl: bool, marked: tuple[bool, bool]) -> list[bytes]:
        self.spans.append((characters, rtl, marked))
        return [b"/Span <<>> BDC"]


def spans_of(text: str, rtl_document: bool = True) -> list[tuple[str, bool, tuple[bool, bool]]]:
    line = laid_out(text, rtl_document)
    spans = Spans()
    rewrite_line(line.drawn, line.glyphs, line.text, spans, rtl_document)
    return spans.spans


def poppler_text(text: str, rtl_document: bool = True) -> str:
    visual = "".join(
        order_for_poppler(chars, rtl, rtl_document, marked)
        for chars, rtl, marked in spans_of(text, rtl_document)
    )
    return poppler_reads(visual, rtl_document)


def pdfium_text(text: str) -> str:
    spans = spans_of(text)
    objects = [
        (order_for_pdfium(chars, rtl, True), any(_right_to_left(c) for c in chars))
        for chars, rtl, _ in reversed(spans)
    ]
    return pdfium_reads(objects)


def _right_to_left(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


ARABIC_LINES = [
    "قال العقول، ومفتاح الكتاب.",
    "قِيلَ: «مَنْ قرأ» عُمُرِهِ»، فَاقْرَأْ.",
    'و(نص) و«نص» و"نص" انتهى؟ نعم! لا؛ ربما.',
    "في «جُزْءٍ» منه.",
    "[قوسان] و{حاصرة} و'نص' و<وسم>",
    "‹نص› ⟨نص⟩ و≤ص",
    "كتب «رَبَّنَا»، وَشَدَّةٌ «حَقٌّ»، نهاية.",
    "برلين، وقالت: «نعم».",
]


@pytest.mark.parametrize("line", ARABIC_LINES)
def test_poppler_reads_each_token_in_order(line: str) -> None:
    assert same_text(poppler_text(line), line), poppler_text(line)


@pytest.mark.parametrize("line", ARABIC_LINES)
def test_pdfium_reads_each_token_in_order(line: str) -> None:
    assert same_text(pdfium_text(line), line), pdfium_text(line)


@pytest.mark.parametrize(
    "line",
    ["قال Maria Lopez أمس.", "زوروا www.example.org اليوم", "عام 2024، وفي ٢٠٢٥: نعم", "ص١٢"],
)
def test_poppler_reads_runs_against_the_line_in_order(line: str) -> None:
    assert same_text(poppler_text(line), line), poppler_text(line)


@pytest.mark.parametrize("line", ["see في البيت، now", "He said: «مرحبا، عالم» twice."])
def test_poppler_reads_arabic_inside_english_in_order(line: str) -> None:
    assert same_text(poppler_text(line, False), line), poppler_text(line, False)


# --- Lines nobody chose: Arabic words, vocalised or not, with the punctuation around them.

_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
_MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"
_word = st.lists(
    st.tuples(st.sampled_from(_LETTERS), st.sampled_from(["", *_MARKS])), min_size=1, max_size=6
).map(lambda pairs: "".join(letter + mark for letter, mark in pairs))
_before = st.sampled_from(["", "«", "(", "[", '"', "'", "{"])
_after = st.sampled_from(
    ["", "»", ")", "]", '"', "'", "}", "،", "؛", "؟", ".", ":", "!", "»،", ").", '"؟']
)
_token = st.tuples(_before, _word, _after).map("".join)
_lines = st.lists(_token, min_size=1, max_size=8).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(_lines)
def test_any_arabic_line_reads_back_in_order(line: str) -> None:
    assert same_text(poppler_text(line), line), ("poppler", poppler_text(line))
    assert same_text(pdfium_text(line), line), ("pdfium", pdfium_text(line))
