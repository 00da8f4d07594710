"""The order in which PDF readers want a span's replacement text.

poppler and PDFium both treat the characters of an ``/ActualText`` as if they were drawn,
then run their own reordering over the line, each its own way (measured on their output,
and read in their sources). A replacement text that reads right in one can read wrong in
the other, so each gets its own; ``actualtext.py`` gives each reader the one it takes.
"""

from __future__ import annotations

import unicodedata

RIGHT_TO_LEFT_MARK = "\u200f"
LEFT_TO_RIGHT_MARK = "\u200e"


def _is_right_to_left(char: str) -> bool:
    return unicodedata.bidirectional(char) in {"R", "AL"}


def order_for_poppler(characters: str, rtl: bool, rtl_document: bool) -> str:
    """poppler reads a right-to-left span's characters from its end, whatever they are
    (TextOutputDev.cc, reorderText): a right-to-left word is given reversed, code point by
    code point. It also moves the space beside a run against the line's direction to the
    run's other side ("بين Markdown وPDF" reads "بين  Markdownو PDF"); a mark of the
    line's direction on each side of such a run keeps the spaces where they are. The
    marks are bidi controls: invisible, and dropped by a comparison or a search index."""
    text = characters[::-1] if rtl else characters
    if rtl != rtl_document:
        mark = RIGHT_TO_LEFT_MARK if rtl_document else LEFT_TO_RIGHT_MARK
        text = mark + text + mark
    return text


def _pdfium_class(characters: str, index: int) -> str:
    """Letters of either direction, numbers (a separator between two digits belongs to
    the number: "1.000", "19005-3"), or anything else."""
    kind = unicodedata.bidirectional(characters[index])
    if kind in {"R", "AL"}:
        return "R"
    if kind == "L":
        return "L"
    if kind in {"EN", "AN"}:
        return "D"
    inside = 0 < index < len(characters) - 1
    if inside and kind in {"CS", "ES", "ET"}:
        around = {unicodedata.bidirectional(characters[i]) for i in (index - 1, index + 1)}
        if around <= {"EN", "AN"}:
            return "D"
    return "N"


def _units(characters: str) -> list[tuple[str, str]]:
    """Maximal runs of characters of one class, with the class."""
    units: list[tuple[str, str]] = []
    for index, char in enumerate(characters):
        kind = _pdfium_class(characters, index)
        if units and units[-1][0] == kind:
            units[-1] = (kind, units[-1][1] + char)
        else:
            units.append((kind, char))
    return units


def order_for_pdfium(characters: str, rtl: bool, rtl_document: bool) -> str:
    """PDFium cuts a span's text into runs by direction (core/fpdftext/cpdf_textpage.cpp,
    CloseTempLine, with CFX_BidiString) and reverses the characters of right-to-left
    runs; marks and digits are runs of their own. Measured on its output: a right-to-left
    word is given with each run of letters reversed and the rest as it is.

    A left-to-right run gets the empty text, which makes PDFium read the glyphs
    themselves (their ToUnicode, reliable for Latin letters and digits): it then keeps
    both the words' order and their places on the line, which a replacement text cannot
    give it inside right-to-left text."""
    if not rtl:
        return ""
    return "".join(text[::-1] if kind == "R" else text for kind, text in _units(characters))
