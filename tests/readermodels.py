"""Models of how poppler and PDFium turn a drawn line of replacement texts back into text,
for the unit tests of ``exporter/copytext``: each written from the reader's own rules (the
sources cited), and checked against what the reader gave back from real PDFs
(tests/test_text_layer.py, tests/test_text_fuzz.py)."""

from __future__ import annotations

import unicodedata

from bidi.mirror import MIRRORED

from exporter.copytext.textorder import pdfium_kind, poppler_class

_MIRRORED = MIRRORED | {"“": "”", "”": "“", "‘": "’", "’": "‘"}
BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def without_controls(text: str) -> str:
    return text.translate(BIDI_CONTROLS)


def poppler_reads(visual: str, rtl_line: bool) -> str:
    """poppler's TextOutputDev.cc, reorderText: a right-to-left line is read from its end
    in sections, a section of right-to-left text (any character but a left-to-right letter
    or a digit or number sign, ``poppler_class``) given backwards, a section against it
    (any character but a right-to-left letter) given as written; a left-to-right line the
    other way round. ``visual`` is the line's characters from left to right."""
    out: list[str] = []
    if rtl_line:
        i = len(visual) - 1
        while i >= 0:
            j = i
            while j >= 0 and poppler_class(visual[j]) not in ("L", "#"):
                j -= 1
            out.append(visual[j + 1 : i + 1][::-1])
            i = j
            while j >= 0 and poppler_class(visual[j]) != "R":
                j -= 1
            out.append(visual[j + 1 : i + 1])
            i = j
    else:
        i = 0
        while i < len(visual):
            j = i
            while j < len(visual) and poppler_class(visual[j]) != "R":
                j += 1
            out.append(visual[i:j])
            i = j
            while j < len(visual) and poppler_class(visual[j]) not in ("L", "#"):
                j += 1
            out.append(visual[i:j][::-1])
            i = j
    return "".join(out)


def _segments(text: str) -> list[str]:
    segments: list[str] = []
    for char in text:
        if segments and pdfium_kind(segments[-1][-1]) == pdfium_kind(char):
            segments[-1] += char
        else:
            segments.append(char)
    return segments


def pdfium_reads(objects_right_to_left: list[tuple[str, bool]]) -> str:
    """PDFium (core/fpdftext/cpdf_textpage.cpp, CloseTempLine; fx_bidi.cpp) on a
    right-to-left line whose text objects all carry a replacement text, as measured on its
    output: the texts, from the rightmost object to the leftmost, each object without a
    right-to-left glyph (the ``bool``) giving its text backwards, are cut into segments of
    one ``pdfium_kind``, and each segment is given backwards, a neutral or right-to-left
    one mirrored (every Bidi_Mirrored character)."""
    line = "".join(text if rtl else text[::-1] for text, rtl in objects_right_to_left)
    return "".join(
        "".join(_MIRRORED.get(c, c) for c in segment[::-1])
        if pdfium_kind(segment[0]) in ("N", "R")
        else segment[::-1]
        for segment in _segments(line)
    )


def same_text(read: str, logical: str) -> bool:
    """Whether a reader's text is the logical text, once bidi controls are dropped and
    white space is made single (readers add spaces between words and at the ends)."""
    return without_controls(read).split() == unicodedata.normalize("NFC", logical).split()
