"""Kashidas read back from a written PDF: every glyph drawn, where it is and what it stands
for (its font's /W widths and ToUnicode map), and every kashida stroke (a filled path in a
``/Artifact <</Type /Layout>>`` sequence) with the glyphs on either side of it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pikepdf


@dataclass(frozen=True)
class Glyph:
    left: float  # user space of the page (CSS px, y down), as the stroke's
    right: float
    baseline: float
    text: str  # what its font's ToUnicode map gives for it
    ink: float = 0.0  # the middle of its ink, across (for a mark: over its letter)


@dataclass(frozen=True)
class Stroke:
    left: float
    right: float
    top: float
    bottom: float


@dataclass(frozen=True)
class Join:
    stroke: Stroke
    after: Glyph  # drawn left of the stroke: the letter after the join
    before: Glyph  # drawn right of it: the letter before the join
    gap: float  # between the two glyphs


def _widths(font: pikepdf.Dictionary) -> dict[int, float]:
    widths: dict[int, float] = {}
    array = list(font.DescendantFonts[0].W)
    index = 0
    while index < len(array):
        first = int(array[index])
        if isinstance(array[index + 1], pikepdf.Array):
            for offset, width in enumerate(array[index + 1]):
                widths[first + offset] = float(width)
            index += 2
        else:
            for code in range(first, int(array[index + 1]) + 1):
                widths[code] = float(array[index + 2])
            index += 3
    return widths


def _ink_middles(font: pikepdf.Dictionary) -> tuple[dict[int, float], int]:
    """The middle of each glyph's ink, across, in font units, from the embedded font."""
    import io

    from fontTools.ttLib import TTFont

    data = font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
    embedded = TTFont(io.BytesIO(data))
    glyf = embedded["glyf"]
    middles = {}
    for number, name in enumerate(embedded.getGlyphOrder()):
        glyph = glyf[name]
        if glyph.numberOfContours:
            glyph.recalcBounds(glyf)
            middles[number] = (glyph.xMin + glyph.xMax) / 2
    return middles, embedded["head"].unitsPerEm


def _to_unicode(font: pikepdf.Dictionary) -> dict[int, str]:
    cmap = font.ToUnicode.read_bytes()
    return {
        int(code, 16): bytes.fromhex(target.decode()).decode("utf-16-be")
        for code, target in re.findall(rb"<([0-9a-fA-F]+)> <([0-9a-fA-F]*)>", cmap)
        if len(code) == 4
    }


class PageReader:
    def __init__(self, page: pikepdf.Page) -> None:
        self.glyphs: list[Glyph] = []
        self.strokes: list[Stroke] = []
        fonts = {str(name): font for name, font in page.Resources.Font.items()}
        tables: dict[str, tuple[dict[int, float], dict[int, str], dict[int, float], int]] = {}
        marked: list[bool] = []  # for each open sequence: a layout artifact?
        x = y = size = 0.0
        font = ""
        points: list[tuple[float, float]] = []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                props = operands[1] if op == "BDC" else None
                layout = (str(operands[0]) == "/Artifact" and isinstance(props, pikepdf.Dictionary)
                          and str(props.get("/Type")) == "/Layout")  # fmt: skip
                marked.append(layout)
            elif op == "EMC":
                marked.pop()
            elif op == "Tm":
                x, y = float(operands[4]), float(operands[5])
            elif op == "Tf":
                font, size = str(operands[0]), float(operands[1])
                if font not in tables:
                    tables[font] = (_widths(fonts[font]), _to_unicode(fonts[font]),
                                    *_ink_middles(fonts[font]))  # fmt: skip
            elif op == "TJ":
                widths, texts, middles, upem = tables[font]
                for item in operands[0]:
                    if isinstance(item, int | float | Decimal):
                        x -= float(item) / 1000 * size
                        continue
                    data = bytes(item)
                    for at in range(0, len(data), 2):
                        code = int.from_bytes(data[at : at + 2], "big")
                        advance = widths.get(code, 0.0) / 1000 * size
                        ink = x + middles.get(code, 0.0) / upem * size
                        self.glyphs.append(Glyph(x, x + advance, y, texts.get(code, ""), ink))
                        x += advance
            elif any(marked) and op in ("m", "l", "c"):
                values = [float(v) for v in operands]
                points.extend(zip(values[::2], values[1::2], strict=True))
            elif any(marked) and op == "f" and points:
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                self.strokes.append(Stroke(min(xs), max(xs), min(ys), max(ys)))
                points = []

    def joins(self) -> list[Join]:
        found = []
        for stroke in self.strokes:
            middle = (stroke.left + stroke.right) / 2
            line = [g for g in self.glyphs if stroke.top - 2 <= g.baseline <= stroke.bottom + 30]
            line = [g for g in line if abs(g.baseline - _baseline(stroke, line)) < 0.5]
            drawn = [g for g in line if g.right - g.left > 0.01]
            after = max((g for g in drawn if g.right <= middle), key=lambda g: g.right)
            before = min((g for g in drawn if g.left >= middle), key=lambda g: g.left)
            found.append(Join(stroke, after, before, before.left - after.right))
        return found


def _baseline(stroke: Stroke, line: list[Glyph]) -> float:
    """The baseline the stroke sits on: the nearest below its top, at or under its foot."""
    return min((g.baseline for g in line), key=lambda b: abs(b - stroke.bottom))


def read(path: Path) -> list[PageReader]:
    with pikepdf.open(path) as pdf:
        return [PageReader(page) for page in pdf.pages]


def marks_moved_off_their_letters(moved: PageReader, still: PageReader) -> list[Glyph]:
    """The marks (glyphs without advance) of ``moved`` that did not move as far as their
    letter from where ``still`` draws the same glyphs (the same page laid out with spaces
    only). A mark's letter is the one the middle of its ink is over, or nearest to, in
    ``still``."""
    assert [g.text for g in moved.glyphs] == [g.text for g in still.glyphs]
    shift = {id(g): m.left - g.left for g, m in zip(still.glyphs, moved.glyphs, strict=True)}
    letters = [g for g in still.glyphs if g.right - g.left > 0.01 and g.text.strip()]
    off = []
    for glyph, mark in zip(still.glyphs, moved.glyphs, strict=True):
        if glyph.right - glyph.left > 0.01:
            continue
        line = [g for g in letters if abs(g.baseline - glyph.baseline) < 8]
        if not line:
            continue
        distance = {id(g): max(g.left - glyph.ink, glyph.ink - g.right, 0.0) for g in line}
        nearest = min(distance.values())
        owners = [g for g in line if distance[id(g)] <= nearest + 0.01]
        if all(abs(shift[id(glyph)] - shift[id(owner)]) > 0.3 for owner in owners):
            off.append(mark)
    return off


def line_edges(page: PageReader) -> dict[float, tuple[float, float]]:
    """Each baseline's leftmost and rightmost glyph edge."""
    edges: dict[float, tuple[float, float]] = {}
    for glyph in page.glyphs:
        if not glyph.text.strip():
            continue
        key = round(glyph.baseline, 2)
        left, right = edges.get(key, (glyph.left, glyph.right))
        edges[key] = (min(left, glyph.left), max(right, glyph.right))
    return edges
