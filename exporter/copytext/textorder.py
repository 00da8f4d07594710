"""The order in which PDF readers want a span's replacement text.

poppler and PDFium both treat the characters of an ``/ActualText`` as if they were drawn,
then run their own reordering over the line, each its own way (measured on their output,
and read in their sources). A replacement text that reads right in one can read wrong in
the other, so each gets its own; ``engine/actualtext.py`` gives each reader the one it takes.
"""

from __future__ import annotations

import functools
import re
import unicodedata

RIGHT_TO_LEFT_MARK = "\u200f"
LEFT_TO_RIGHT_MARK = "\u200e"


def order_for_poppler(
    characters: str, rtl: bool, rtl_document: bool, marked: tuple[bool, bool]
) -> str:
    """poppler reads a line's characters from its end in a right-to-left line, and cuts
    them into sections by its own classes (TextOutputDev.cc, reorderText;
    UnicodeTypeTable.cc): a section against the line's direction begins at a letter of
    that direction, or at a digit or number sign (``poppler_class`` ``"#"``), and takes in
    every neutral character after it up to the next letter of the line's direction. So a
    right-to-left word is given reversed, code point by code point, except its runs of
    digits and number signs, given as written, each followed by a right-to-left mark that
    ends its section: without it, the comma after "برلين" takes the space after it along
    ("برلين ،وقالت"). A run against the line's direction ("Markdown" in Arabic) is given
    as written, between marks of the line's direction: poppler would otherwise move the
    space beside it to its other side ("بين  Markdownو PDF"); a left-to-right mark at its
    end keeps a closing bracket there ("print()", not ")(print"). The marks are bidi controls:
    invisible, and dropped by a comparison or a search index.

    ``marked`` says which ends of a run against the line's direction get their mark:
    not an end where the run goes on in the next span (a bold word inside a Latin
    phrase), since poppler ends the run at a mark and would give its parts in the line's
    order."""
    if rtl != rtl_document:
        mark = RIGHT_TO_LEFT_MARK if rtl_document else LEFT_TO_RIGHT_MARK
        if rtl:  # right-to-left marks inside: a bracket or a haraka at an end stays inside
            backwards = _backwards_for_poppler(characters, False)
            text = RIGHT_TO_LEFT_MARK + backwards + RIGHT_TO_LEFT_MARK
        else:  # a left-to-right mark after it: a closing bracket at its end stays inside
            text = characters + LEFT_TO_RIGHT_MARK
        return (mark if marked[0] else "") + text + (mark if marked[1] else "")
    return _backwards_for_poppler(characters, rtl_document) if rtl else characters


def poppler_class(char: str) -> str:
    """poppler's class of a character: ``L`` (left to right), ``R`` (right to left), ``#``
    (a digit or a number sign: bidi classes EN, ES, ET, CS, AN) or ``N``."""
    bidi_class = unicodedata.bidirectional(char)
    if bidi_class == "L":
        return "L"
    if bidi_class in ("R", "AL"):
        return "R"
    return "#" if bidi_class in ("EN", "ES", "ET", "CS", "AN") else "N"


def _backwards_for_poppler(characters: str, rtl_document: bool) -> str:
    """A right-to-left text as drawn, for poppler: its runs in reverse order, each run of
    other characters reversed, each run of digits and number signs as written with the
    mark that ends its section (in a left-to-right line, where poppler gives sections
    from the start, the runs keep their order and the mark goes after the run)."""
    runs: list[tuple[bool, str]] = []
    for char in characters:
        forward = poppler_class(char) in ("L", "#")
        if runs and runs[-1][0] == forward:
            runs[-1] = (forward, runs[-1][1] + char)
        else:
            runs.append((forward, char))
    if rtl_document:
        pieces = [RIGHT_TO_LEFT_MARK + text if forward else text[::-1] for forward, text in runs]
        return "".join(reversed(pieces))
    return "".join(text + RIGHT_TO_LEFT_MARK if forward else text[::-1] for forward, text in runs)


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
    return "".join(map(mirror, text))


# The words whose swap names a character's mirror image: LEFT PARENTHESIS and RIGHT
# PARENTHESIS, LESS-THAN OR EQUAL TO and GREATER-THAN OR EQUAL TO, SUBSET OF and SUPERSET OF.
_MIRROR_WORDS = (("LEFT", "RIGHT"), ("LESS-THAN", "GREATER-THAN"), ("SUBSET", "SUPERSET"),
                 ("PRECEDES", "SUCCEEDS"), ("ELEMENT OF", "CONTAINS AS MEMBER"))  # fmt: skip
_SWAPPED = {one: other for pair in _MIRROR_WORDS for one, other in (pair, pair[::-1])}
_SWAPPABLE = re.compile("(?<![A-Z])(" + "|".join(_SWAPPED) + ")(?![A-Z])")


def _named(name: str) -> str:
    try:
        return unicodedata.lookup(name)
    except KeyError:
        return ""


# Quotation marks PDFium mirrors too, though Unicode does not (measured: "“نص”" comes back
# "”نص“" when given as is).
_PDFIUM_ALSO_MIRRORS = {"“": "”", "”": "“", "‘": "’", "’": "‘"}


@functools.cache
def mirror(char: str) -> str:
    """The character PDFium puts in place of ``char`` in right-to-left text: its mirror
    image when it has the Bidi_Mirrored property (Unicode's BidiMirroring.txt, which
    ``pdfium::unicode::GetMirrorChar`` follows), found by its name with every word of a
    mirrored pair swapped, else one of them; the curly quotation marks' other one;
    ``char`` itself when it has none, or none that its name shows (a few mathematical
    signs)."""
    if char in _PDFIUM_ALSO_MIRRORS:
        return _PDFIUM_ALSO_MIRRORS[char]
    if not unicodedata.mirrored(char):
        return char
    name = unicodedata.name(char, "")
    words = [match.span() for match in _SWAPPABLE.finditer(name)]
    swaps = [_SWAPPABLE.sub(lambda match: _SWAPPED[match.group()], name)]
    swaps += [name[:a] + _SWAPPED[name[a:b]] + name[b:] for a, b in words]
    for swapped in swaps:
        image = _named(swapped) if swapped != name else ""
        if image and unicodedata.mirrored(image):
            return image
    return char


def _sign_or_spaced(characters: str) -> bool:
    """Whether punctuation without a letter holds white space or a sign that goes with a
    number (bidi class ET: "%", "٪", "#", "$"; a "+" or "-" with a space before it)."""
    return any(c.isspace() or unicodedata.bidirectional(c) == "ET" for c in characters)


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
        # Neutral and weak characters alone ("+" before a number, "%" after one, the "." of
        # a note's number): measured, PDFium keeps them on their side of the left-to-right
        # run beside them when they come after a right-to-left mark, with the white space
        # last ("+182.4", not "+ 182.4"; "2.8%", not "%2.8"; "١. حاشية", not "١ .حاشية").
        # A separator alone between two numbers ("-" of "2019-2021", ":" of "10:30") is given
        # as it is: a mark would take half of its character box from it.
        if not characters or not _sign_or_spaced(characters):
            return characters
        spaces = "".join(c for c in characters if c.isspace())
        return RIGHT_TO_LEFT_MARK + "".join(c for c in characters if not c.isspace()) + spaces
    text = "".join(_mirrored(text[::-1]) if kind == "N" else text[::-1] for kind, text in units)
    # PDFium's segments run on across text objects: a closing bracket at the end of this
    # word and the space at the start of the next would be one segment, reversed as one
    # ("(نص )"), and so would a percent sign or a haraka and the digits after it; a
    # right-to-left mark ends the segment. PDFium also gives a neutral segment backwards
    # only when the segment before it was right to left: after a Latin word it would give
    # "«كتاب" as "»كتاب"; a right-to-left mark ahead of the word sees to that.
    # (White space alone at the end reads the same either way: no mark after it.)
    start = RIGHT_TO_LEFT_MARK if units[0][0] == "N" else ""
    end_kind, end_text = units[-1]
    end = RIGHT_TO_LEFT_MARK if end_kind in ("N", "W") and not end_text.isspace() else ""
    return start + text + end
