"""The order in which PDF readers want a span's replacement text.

poppler and PDFium both treat the characters of an ``/ActualText`` as if they were drawn,
then run their own reordering over the line, each its own way (measured on their output,
and read in their sources). A replacement text that reads right in one can read wrong in
the other, so each gets its own; ``engine/actualtext.py`` gives each reader the one it takes.
"""

from __future__ import annotations

import unicodedata

RIGHT_TO_LEFT_MARK = "\u200f"
LEFT_TO_RIGHT_MARK = "\u200e"


def order_for_poppler(
    characters: str, rtl: bool, rtl_document: bool, marked: tuple[bool, bool]
) -> str:
    """poppler reads a right-to-left span's characters from its end, whatever they are
    (TextOutputDev.cc, reorderText): a right-to-left word is given reversed, code point by
    code point. It also moves the space beside a run against the line's direction to the
    run's other side ("بين Markdown وPDF" reads "بين  Markdownو PDF"); a mark of the
    line's direction on each side of such a run keeps the spaces where they are. The
    marks are bidi controls: invisible, and dropped by a comparison or a search index.

    ``marked`` says which ends of a run against the line's direction get their mark:
    not an end where the run goes on in the next span (a bold word inside a Latin
    phrase), since poppler ends the run at a mark and would give its parts in the line's
    order."""
    text = characters[::-1] if rtl else characters
    if rtl != rtl_document:
        mark = RIGHT_TO_LEFT_MARK if rtl_document else LEFT_TO_RIGHT_MARK
        text = (mark if marked[0] else "") + text + (mark if marked[1] else "")
    return text


# How PDFium's CFX_BidiChar (core/fxcrt/fx_bidi.cpp) cuts a text into segments: strong
# left, strong right, the weak classes it counts as one "left weak" kind (digits, marks,
# separators: a final haraka and the comma after it are one segment), and the rest.
_PDFIUM_KIND = {"L": "L", "R": "R", "AL": "R"} | dict.fromkeys(
    ("AN", "EN", "NSM", "CS", "ES", "ET", "BN"), "W"
)


def pdfium_kind(char: str) -> str:
    """``L``, ``R``, ``W`` (left weak) or ``N``: the kind of segment a character opens."""
    return _PDFIUM_KIND.get(unicodedata.bidirectional(char), "N")


def _units(characters: str) -> list[tuple[str, str]]:
    """Maximal runs of characters of one PDFium kind, with the kind."""
    units: list[tuple[str, str]] = []
    for char in characters:
        kind = pdfium_kind(char)
        if units and units[-1][0] == kind:
            units[-1] = (kind, units[-1][1] + char)
        else:
            units.append((kind, char))
    return units


def _mirrored(text: str) -> str:
    return "".join(_MIRRORS.get(char, char) for char in text)


_MIRRORS = {"(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{", "«": "»", "»": "«",
            "<": ">", ">": "<"}  # fmt: skip


def order_for_pdfium(characters: str, rtl: bool, rtl_document: bool) -> str:
    """PDFium takes a text object for right to left when its glyphs hold a right-to-left
    letter (core/fpdftext/cpdf_textpage.cpp, IsRightToLeft). It reads the replacement text
    of such an object as segments of one kind (``_units``) and gives each one back
    reversed, neutral ones mirrored (CloseTempLine; measured on its output): so each
    segment is given reversed, and mirrored when neutral. A word without a right-to-left
    letter (digits, punctuation) is read as given.

    A left-to-right run gets the empty text, which makes PDFium read the glyphs
    themselves (their ToUnicode, reliable for Latin letters and digits): it then keeps
    both the words' order and their places on the line, which a replacement text cannot
    give it inside right-to-left text."""
    if not rtl:
        return ""
    units = _units(characters)
    if all(kind != "R" for kind, _ in units):
        return characters
    return "".join(_mirrored(text[::-1]) if kind == "N" else text[::-1] for kind, text in units)
