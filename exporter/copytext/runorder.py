"""A run of left-to-right text inside a right-to-left line, drawn so that PDFium reads it
in order.

PDFium cuts a line's text into segments of one kind (``textorder.pdfium_kind``) and, in
a right-to-left line, gives them back from the last to the first
(core/fpdftext/cpdf_textpage.cpp, CloseTempLine): "Maria Lopez" comes out "Lopez Maria",
"example.org" comes out "org.example". It reads a line in the order of its text objects
(sorted by position) and, inside one object, in the order the glyphs are drawn. So the
run is drawn as one text object with its segments in reverse order, each glyph at its own
place (TJ adjustments jump between them): PDFium's reversal then restores the reading
order, and its character boxes stay where the glyphs are. A replacement text cannot do
that: PDFium spreads its characters over the object's box in the order given.

poppler places a span's replacement text between the first glyph drawn in the span and
the end of the last one (TextOutputDev.cc, ActualText). A space glyph alone in a text
object at each end of the run keeps those two at the run's edges; PDFium drops a text
object with an empty box (ProcessTextObject), so it never reads them.
"""

from __future__ import annotations

from dataclasses import dataclass


def adjustment(value: float) -> bytes:
    """A TJ number, as short as it can be written (a zero is "0", whatever its sign)."""
    written = f"{value:.4f}".rstrip("0").rstrip(".")
    return b"0" if written in ("", "-0") else written.encode()


@dataclass(frozen=True)
class Token:
    """One item of a TJ array: a glyph code with its advance (thousandths of the font
    size) and PDFium kind, or an adjustment (``kind`` empty)."""

    code: bytes
    width: float = 0.0
    kind: str = ""


def _placed(tokens: list[Token]) -> list[tuple[Token, float]]:
    """Each glyph with the pen position it is drawn at (a TJ number n moves the pen by
    -n thousandths, ISO 32000-1, 9.4.3)."""
    pen, placed = 0.0, []
    for token in tokens:
        if token.kind:
            placed.append((token, pen))
            pen += token.width
        else:
            pen -= float(token.code)
    return placed


def _segments(placed: list[tuple[Token, float]]) -> list[list[tuple[Token, float]]]:
    segments: list[list[tuple[Token, float]]] = []
    for glyph in placed:
        if segments and segments[-1][-1][0].kind == glyph[0].kind:
            segments[-1].append(glyph)
        else:
            segments.append([glyph])
    return segments


def _move(tokens: list[bytes], by: float) -> list[bytes]:
    """Add to ``tokens`` the adjustment that moves the pen ``by`` thousandths rightward."""
    if abs(by) >= 0.0001:
        tokens.append(adjustment(-by))
    return tokens


def segments_last_first(tokens: list[Token], space: Token) -> list[list[bytes]] | None:
    """The run's TJ arrays: a space alone at its left edge, its segments from the last to
    the first, a space alone at its right edge (where its rightmost glyph ends, which a
    mark moved back over its letter may not reach). The pen ends where the run's last
    glyph ends, as before. None when the run is one segment (PDFium reads it right)."""
    placed = _placed(tokens)
    segments = _segments(placed)
    if len(segments) < 2:
        return None
    left = min(position for _, position in placed)
    right = max(position + glyph.width for glyph, position in placed)
    end = placed[-1][1] + placed[-1][0].width
    first = [*_move([], left), space.code]
    pen, main = left + space.width, []
    for segment in reversed(segments):
        for glyph, position in segment:
            _move(main, position - pen).append(glyph.code)
            pen = position + glyph.width
    last = [*_move([], right - space.width - pen), space.code]
    return [first, main, _move(last, end - right)]
