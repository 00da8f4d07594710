"""``copytext/textorder.py``: the replacement text each PDF reader is given, checked against
a model of what that reader does with it (tests/readermodels.py, as the module's
docstrings describe it) and against the Unicode bidi algorithm (python-bidi)."""

from __future__ import annotations

import pytest
from bidi import get_display
from bidi.mirror import MIRRORED

from exporter.copytext.textorder import (
    LEFT_TO_RIGHT_MARK,
    RIGHT_TO_LEFT_MARK,
    mirror,
    order_for_pdfium,
    order_for_poppler,
    pdfium_kind,
    poppler_class,
)
from tests.readermodels import pdfium_reads, poppler_reads, without_controls

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


# How poppler files a character (UnicodeTypeTable.cc): by its bidi class.
@pytest.mark.parametrize(
    ("char", "poppler"),
    [("a", "L"), ("\u200e", "L"), ("ب", "R"), ("؟", "R"), ("\u200f", "R"), ("7", "#"),
     ("٧", "#"), ("،", "#"), (",", "#"), (".", "#"), (":", "#"), ("%", "#"), ("+", "#"),
     ("-", "#"), ("/", "#"), (" ", "N"), ("!", "N"), ("«", "N"), ("(", "N"), (FATHA, "N"),
     ("\u200c", "N")],
)  # fmt: skip
def test_poppler_class(char: str, poppler: str) -> None:
    assert poppler_class(char) == poppler


# --- poppler -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("characters", "rtl", "rtl_document", "marked", "expected"),
    [
        # A right-to-left word in right-to-left text: reversed, code point by code point,
        # marks included; a run of digits and number signs as written, with the mark that
        # ends poppler's section after it.
        ("كتاب", True, True, BOTH_ENDS, "باتك"),
        ("كَتَبَ", True, True, BOTH_ENDS, f"{FATHA}ب{FATHA}ت{FATHA}ك"),
        ("كتاب،", True, True, BOTH_ENDS, f"{RLM}،باتك"),
        ("ص١٢", True, True, BOTH_ENDS, f"{RLM}١٢ص"),
        ("(كتاب)", True, True, BOTH_ENDS, ")باتك("),
        ("و", True, True, BOTH_ENDS, "و"),
        (FATHA + KASRA, True, True, BOTH_ENDS, KASRA + FATHA),  # marks without a base
        ("", True, True, BOTH_ENDS, ""),
        # A left-to-right run in right-to-left text: as written with a left-to-right mark
        # after it, between right-to-left marks at the ends that are marked.
        ("Markdown", False, True, BOTH_ENDS, f"{RLM}Markdown{LRM}{RLM}"),
        ("mp3", False, True, BOTH_ENDS, f"{RLM}mp3{LRM}{RLM}"),
        ("print()", False, True, BOTH_ENDS, f"{RLM}print(){LRM}{RLM}"),
        ("Maria Lopez", False, True, (False, True), f"Maria Lopez{LRM}{RLM}"),
        ("Maria Lopez", False, True, (True, False), f"{RLM}Maria Lopez{LRM}"),
        ("Maria Lopez", False, True, (False, False), f"Maria Lopez{LRM}"),
        ("   ", False, True, BOTH_ENDS, f"{RLM}   {LRM}{RLM}"),  # an all-space run
        # Left-to-right text in a left-to-right document: as written, no mark.
        ("Markdown", False, False, BOTH_ENDS, "Markdown"),
        ("Maria Lopez", False, False, (False, False), "Maria Lopez"),
        # A right-to-left run in left-to-right text: reversed, between right-to-left marks
        # (a bracket or a haraka at an end stays in the run) and left-to-right marks; a
        # number sign as written, a right-to-left mark after it.
        ("في البيت", True, False, BOTH_ENDS, f"{LRM}{RLM}تيبلا يف{RLM}{LRM}"),
        ("في البيت", True, False, (True, False), f"{LRM}{RLM}تيبلا يف{RLM}"),
        ("في البيت", True, False, (False, False), f"{RLM}تيبلا يف{RLM}"),
        ("مرحبا، عالم", True, False, (False, False), f"{RLM}ابحرم،{RLM}ملاع {RLM}"),
    ],
)
def test_order_for_poppler(
    characters: str, rtl: bool, rtl_document: bool, marked: tuple[bool, bool], expected: str
) -> None:
    assert order_for_poppler(characters, rtl, rtl_document, marked) == expected


# Words of letters and marks only: poppler takes the replacement text as if drawn, left to
# right, so it is given the word's visual order, which is what the bidi algorithm gives.
@pytest.mark.parametrize("word", ["كتاب", "كَتَبَ", "مُحَمَّدٌ", "שלום", "و", FATHA + KASRA])
def test_poppler_text_of_a_word_of_letters_is_its_visual_order(word: str) -> None:
    assert order_for_poppler(word, True, True, BOTH_ENDS) == get_display(word, base_dir="R")


WORDS = ["كتاب", "كَتَبَ", "ص١٢", "(كتاب)", "«نص»", "كتاب،", "برلين،", "قال:", "(٢٠٢٤)",
         "في البيت", "مرحبا، عالم", "كِتَابٌ.", "٪٥٠", "‹نص›", "س ≤ ص"]  # fmt: skip


@pytest.mark.parametrize("word", WORDS)
@pytest.mark.parametrize("rtl_document", [True, False])
def test_poppler_reads_the_word_back(word: str, rtl_document: bool) -> None:
    given = order_for_poppler(word, True, rtl_document, BOTH_ENDS)
    assert without_controls(poppler_reads(given, rtl_document)) == word


# --- PDFium --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("characters", "rtl", "rtl_document", "expected"),
    [
        # Left-to-right spans get the empty text: PDFium reads their glyphs.
        ("Markdown", False, True, ""),
        ("Maria Lopez", False, False, ""),
        ("mp3", False, True, ""),
        # Each segment of one kind reversed, in its place.
        ("كتاب", True, True, "باتك"),
        ("في البيت", True, True, "يف تيبلا"),
        ("في البيت", True, False, "يف تيبلا"),
        ("كتاب!؟", True, True, "باتك!؟"),
        # Each letter and each mark is a segment of its own: the word as written, and a
        # right-to-left mark after a final mark, digit or separator, or a neutral at
        # either end, so that PDFium's segment ends with the word.
        ("كَتَبَ", True, True, f"كَتَبَ{RLM}"),
        ("كتاب،", True, True, f"باتك،{RLM}"),
        ("ص١٢", True, True, f"ص٢١{RLM}"),
        # Neutral segments are mirrored too.
        ("(كتاب)", True, True, f"{RLM})باتك({RLM}"),
        ("«نص»", True, True, f"{RLM}»صن«{RLM}"),
        ("((كتاب", True, True, f"{RLM}))باتك"),
        ("‹نص›", True, True, f"{RLM}›صن‹{RLM}"),
        # Without a right-to-left letter: after a right-to-left mark, white space last
        # (measured beside a left-to-right run: "+182.4", "2.8%", "١. حاشية").
        ("١٢٣", True, True, "١٢٣"),
        ("-", True, True, "-"),  # a separator alone between two numbers: as it is
        (" +", True, True, f"{RLM}+ "),
        ("%", True, True, f"{RLM}%"),
        (". ", True, True, f"{RLM}. "),
        ("", True, True, ""),
    ],
)
def test_order_for_pdfium(characters: str, rtl: bool, rtl_document: bool, expected: str) -> None:
    assert order_for_pdfium(characters, rtl, rtl_document) == expected


@pytest.mark.parametrize(
    "word", [w for w in WORDS if any(pdfium_kind(c) == "R" for c in w) and " " not in w]
)
def test_pdfium_reads_the_word_back(word: str) -> None:
    given = order_for_pdfium(word, True, True)
    assert without_controls(pdfium_reads([(given, True)])) == word


@pytest.mark.parametrize(
    ("char", "image"),
    [("(", ")"), ("]", "["), ("{", "}"), ("<", ">"), ("«", "»"), ("‹", "›"), ("⟨", "⟩"),
     ("≤", "≥"), ("≪", "≫"), ("⊂", "⊃"), ("∈", "∋"), ("⁅", "⁆"), ("〈", "〉"), ("「", "」"),
     ("“", "”"), ("’", "‘"), ("a", "a"), ("ب", "ب"), ("„", "„"), ("∑", "∑")],
)  # fmt: skip
def test_mirror(char: str, image: str) -> None:
    assert mirror(char) == image


def test_mirror_agrees_with_unicode_for_brackets_quotes_and_comparisons() -> None:
    """Every Bidi_Mirrored character of the blocks prose uses (Latin, punctuation, brackets,
    arrows, comparison signs, CJK brackets, full-width forms) mirrored as BidiMirroring.txt
    pairs it (python-bidi's table of it)."""
    blocks = [(0x0000, 0x00FF), (0x2000, 0x206F), (0x2190, 0x21FF), (0x2264, 0x226B),
              (0x2308, 0x232A), (0x27E6, 0x27EF), (0x2983, 0x2998), (0x3008, 0x301B),
              (0xFE59, 0xFE5E), (0xFF08, 0xFF63)]  # fmt: skip
    chars = [chr(c) for lo, hi in blocks for c in range(lo, hi + 1) if chr(c) in MIRRORED]
    assert len(chars) > 60
    assert {c: mirror(c) for c in chars} == {c: MIRRORED[c] for c in chars}
