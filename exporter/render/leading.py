"""The line height the text is set with: as much as keeps every line's ink inside its own
line box, so that no line touches the next and none is clipped at the top or the foot of a
page, a column or a screen.

Naskh (Amiri) keeps its stacked marks within its ascender and descender, so its line height
is their sum. Nastaliq cascades each word down to the left and hangs its descenders deep:
a word's ink can rise well above the font's ascender (``یکجہتی``) or fall below its descender,
so the line height of a Nastaliq document is measured on the words it sets, each shaped by
HarfBuzz as Pango, browsers and Pillow shape it.

CSS places the baseline of a line whose height is ``L`` at half the leading,
``(L - ascender - descender) / 2``, below the line's top, plus the ascender (CSS 2.1,
section 10.8.1). The ink of a word rising ``top`` above the baseline stays inside the line
when ``top <= (L - A - D) / 2 + A``, that is ``L >= 2 top - A + D``; a word falling
``depth`` below it, when ``L >= 2 depth - D + A``.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from pathlib import Path

from .typefaces import NASTALIQ_FACES, characters_of, font_extent, harfbuzz_face, vertical_metrics

_WHITESPACE = re.compile(r"\s+")
# Pango rounds each glyph's offsets to the device grid, and renderers draw hinted outlines:
# the ink can reach a little past the extents HarfBuzz gives. This much room is kept on
# each side of the line for it, in em.
_ROUNDING = 0.05


def line_height(script_style: str, regular: Iterable[str], bold: Iterable[str] = ()) -> float:
    """The line height, in em, for text in ``script_style`` that sets the strings
    ``regular`` in the regular face and ``bold`` in the bold one."""
    if script_style != "nastaliq":
        return font_extent()
    regular_face, bold_face = NASTALIQ_FACES
    return max(
        _nastaliq_line_height(regular_face.file, _words(regular)),
        _nastaliq_line_height(bold_face.file, _words(bold)),
    )


def _words(strings: Iterable[str]) -> frozenset[str]:
    return frozenset(_WHITESPACE.split(" ".join(strings))) - {""}


@functools.lru_cache(maxsize=8)
def _nastaliq_line_height(file: Path, words: frozenset[str]) -> float:
    ascender, descender, line_gap = vertical_metrics(file)
    top, depth = _ink_extent(file, words)
    needed = max(
        ascender + descender + line_gap,
        2 * (top + _ROUNDING) - ascender + descender,
        2 * (depth + _ROUNDING) - descender + ascender,
    )
    return math.ceil(needed * 100 - 1e-9) / 100


def _ink_extent(file: Path, words: frozenset[str]) -> tuple[float, float]:
    """How far, in em, the ink of the highest word rises above the baseline and that of
    the deepest falls below it, among the runs of ``words`` the face has glyphs for."""
    import uharfbuzz

    face = harfbuzz_face(file)
    font = uharfbuzz.Font(face)
    drawn = characters_of(file)
    top = depth = 0.0
    for word in words:
        for run in _runs(word, drawn):
            run_top, run_depth = _shaped_extent(font, run)
            top, depth = max(top, run_top), max(depth, run_depth)
    return top / face.upem, depth / face.upem


def _runs(word: str, drawn: frozenset[str]) -> list[str]:
    """The stretches of ``word`` the face draws: the rest falls back to another family."""
    runs, current = [], []
    for char in word:
        if char in drawn:
            current.append(char)
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


def _shaped_extent(font: object, run: str) -> tuple[int, int]:
    """The run's ink above and below the baseline, in font units."""
    import uharfbuzz

    buffer = uharfbuzz.Buffer()
    buffer.add_str(run)
    buffer.guess_segment_properties()
    uharfbuzz.shape(font, buffer)
    top = depth = 0
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        extents = font.get_glyph_extents(info.codepoint)  # type: ignore[attr-defined]
        if extents is None:
            continue
        glyph_top = position.y_offset + extents.y_bearing
        top = max(top, glyph_top)
        depth = max(depth, -(glyph_top + extents.height))
    return top, depth
