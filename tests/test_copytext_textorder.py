"""``copytext/textorder.py``: the replacement text each PDF reader is given, checked against
a model of what that reader does with it (as the module's docstrings describe it) and
against the Unicode bidi algorithm (python-bidi)."""

from __future__ import annotations

from itertools import groupby

import pytest
from bidi import get_display
from bidi.mirror import MIRRORED

from exporter.copytext.textorder import (
    LEFT_TO_RIGHT_MARK,
    RIGHT_TO_LEFT_MARK,
    order_for_pdfium,
    order_for_poppler,
    pdfium_kind,
)

RLM, LRM = RIGHT_TO_LEFT_MARK, LEFT_TO_RIGHT_MARK
FATHA, KASRA = "\u064e", "\u0650"
BOTH_ENDS = (True, True)


def test_the_marks_are_the_unicode_bidi_controls() -> None:
    assert (RLM, LRM) == ("\u200f", "\u200e")


# How PDFium's CFX_BidiChar files a character; its Unicode bidi class in the comment.
@pytest.mark.parametrize(
    ("char", "kind"),
    [
        ("a", "L"),  # L
        ("\u200e", "L"),  # LRM: L
        ("ب", "R"),  # AL
        ("\u0640", "R"),  # tatweel: AL
        ("؟", "R"),  # Arabic question mark: AL
        ("\u200f", "R"),  # RLM: R
        ("ש", "R"),  # Hebrew: R
        ("7", "W"),  # EN
        ("۷", "W"),  # Persian digit: EN
        ("٧", "W"),  # Arabic-Indic digit: AN
        ("٫", "W"),  # Arabic decimal separator: AN
        (FATHA, "W"),  # NSM
        ("\u0301", "W"),  # combining acute: NSM
        (",", "W"),  # CS
        (".", "W"),  # CS
        ("،", "W"),  # Arabic comma: CS
        ("\u00a0", "W"),  # no-break space: CS, not white space for the bidi algorithm
        ("-", "W"),  # ES
        ("%", "W"),  # ET
        ("٪", "W"),  # Arabic percent sign: ET
        ("\u200d", "W"),  # zero width joiner: BN
        (" ", "N"),  # WS
        ("\u2009", "N"),  # thin space: WS
        ("!", "N"),  # ON
        ("(", "N"),  # ON
        ("«", "N"),  # ON
        ("\n", "N"),  # B
        ("\t", "N"),  # S
    ],
)
def test_pdfium_kind(char: str, kind: str) -> None:
    assert pdfium_kind(char) == kind


# --- poppler -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("characters", "rtl", "rtl_document", "marked", "expected"),
    [
        # A right-to-left word in right-to-left text: reversed code point by code point,
        # marks and digits included.
        ("كتاب", True, True, BOTH_ENDS, "باتك"),
        ("كَتَبَ", True, True, BOTH_ENDS, f"{FATHA}ب{FATHA}ت{FATHA}ك"),
        ("ص١٢", True, True, BOTH_ENDS, "٢١ص"),
        ("و", True, True, BOTH_ENDS, "و"),
        (FATHA + KASRA, True, True, BOTH_ENDS, KASRA + FATHA),  # marks without a base
        ("", True, True, BOTH_ENDS, ""),
        # A left-to-right run in right-to-left text: as written, between right-to-left marks
        # at the ends that are marked.
        ("Markdown", False, True, BOTH_ENDS, f"{RLM}Markdown{RLM}"),
        ("mp3", False, True, BOTH_ENDS, f"{RLM}mp3{RLM}"),
        ("Maria Lopez", False, True, (False, True), f"Maria Lopez{RLM}"),
        ("Maria Lopez", False, True, (True, False), f"{RLM}Maria Lopez"),
        ("Maria Lopez", False, True, (False, False), "Maria Lopez"),
        ("   ", False, True, BOTH_ENDS, f"{RLM}   {RLM}"),  # an all-space run
        # Left-to-right text in a left-to-right document: as written, no mark.
        ("Markdown", False, False, BOTH_ENDS, "Markdown"),
        ("Maria Lopez", False, False, (False, False), "Maria Lopez"),
        # A right-to-left run in left-to-right text: reversed, between left-to-right marks.
        ("في البيت", True, False, BOTH_ENDS, f"{LRM}تيبلا يف{LRM}"),
        ("في البيت", True, False, (True, False), f"{LRM}تيبلا يف"),
        ("في البيت", True, False, (False, False), "تيبلا يف"),
    ],
)
def test_order_for_poppler(
    characters: str, rtl: bool, rtl_document: bool, marked: tuple[bool, bool], expected: str
) -> None:
    assert order_for_poppler(characters, rtl, rtl_document, marked) == expected


# Words of letters and marks only: poppler takes the replacement text as if drawn, left to
# right, so it is given the word's visual order, which is what the bidi algorithm gives.
# (Digits differ: the bidi algorithm keeps "١٢" left to right, poppler reverses them too.)
@pytest.mark.parametrize("word", ["كتاب", "كَتَبَ", "مُحَمَّدٌ", "שלום", "و", FATHA + KASRA])
def test_poppler_text_of_a_word_of_letters_is_its_visual_order(word: str) -> None:
    assert order_for_poppler(word, True, True, BOTH_ENDS) == get_display(word, base_dir="R")


@pytest.mark.parametrize("word", ["كتاب", "كَتَبَ", "ص١٢", "(كتاب)", "في البيت"])
@pytest.mark.parametrize("rtl_document", [True, False])
def test_poppler_reading_the_text_backwards_gets_the_word(word: str, rtl_document: bool) -> None:
    given = order_for_poppler(word, True, rtl_document, BOTH_ENDS)
    assert given[::-1].strip(LRM) == word


# --- PDFium --------------------------------------------------------------------------------


def pdfium_reads(replacement: str) -> str:
    """What PDFium gives back for the replacement text of a text object with a
    right-to-left letter: each segment of one kind reversed, neutral ones mirrored (every
    character Unicode mirrors, not a chosen few)."""
    segments = ["".join(group) for _, group in groupby(replacement, key=pdfium_kind)]
    return "".join(
        "".join(MIRRORED.get(char, char) for char in segment[::-1])
        if pdfium_kind(segment[0]) == "N"
        else segment[::-1]
        for segment in segments
    )


@pytest.mark.parametrize(
    ("characters", "rtl", "rtl_document", "expected"),
    [
        # Left-to-right spans get the empty text: PDFium reads their glyphs.
        ("Markdown", False, True, ""),
        ("Maria Lopez", False, False, ""),
        ("mp3", False, True, ""),
        # Each segment of one kind reversed.
        ("كتاب", True, True, "باتك"),
        ("في البيت", True, True, "يف تيبلا"),
        ("في البيت", True, False, "يف تيبلا"),
        ("ص١٢", True, True, "ص٢١"),
        ("كتاب،", True, True, "باتك،"),
        ("كتاب..", True, True, "باتك.."),
        ("كتاب!؟", True, True, "باتك!؟"),
        # Each letter and each mark is a segment of its own: the word as written.
        ("كَتَبَ", True, True, "كَتَبَ"),
        # Neutral segments are mirrored too.
        ("(كتاب)", True, True, ")باتك("),
        ("«نص»", True, True, "»صن«"),
        ("((كتاب", True, True, "))باتك"),
        # Without a right-to-left letter PDFium reads the text as given.
        ("١٢٣", True, True, "١٢٣"),
        ("(1)", True, True, "(1)"),
        (FATHA + KASRA, True, True, FATHA + KASRA),
        ("", True, True, ""),
    ],
)
def test_order_for_pdfium(characters: str, rtl: bool, rtl_document: bool, expected: str) -> None:
    assert order_for_pdfium(characters, rtl, rtl_document) == expected


MIRRORED_OUTSIDE_THE_TABLE = pytest.mark.xfail(
    strict=True,
    reason="order_for_pdfium mirrors only ()[]{}<>«», PDFium every Bidi_Mirrored character",
)


@pytest.mark.parametrize(
    "word",
    [
        "كتاب",
        "كَتَبَ",
        "ص١٢",
        "(كتاب)",
        "[مرجع]",
        "{ب}",
        "<ب>",
        "«نص»",
        "كتاب،",
        "في البيت (٢٠٢٤)",
        pytest.param("‹نص›", marks=MIRRORED_OUTSIDE_THE_TABLE),
        pytest.param("⟨نص⟩", marks=MIRRORED_OUTSIDE_THE_TABLE),
        pytest.param("س ≤ ص", marks=MIRRORED_OUTSIDE_THE_TABLE),
    ],
)
def test_pdfium_reading_the_text_gets_the_word(word: str) -> None:
    assert pdfium_reads(order_for_pdfium(word, True, True)) == word
