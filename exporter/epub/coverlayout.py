"""The drawn cover's page laid out: its blocks stacked, their text broken into lines
that fit the column, each line cut into runs of one direction and one font, in the order
they are drawn left to right.

Pillow's libraqm shapes and orders the text of one call; breaking lines, choosing a
fallback font for a word in a script Amiri lacks, and ordering the runs of a line by the
bidi algorithm (UAX #9: the levels from ``bidi/levels.py``, rule L2 here) are done here,
so that one line may mix fonts.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..bidi.levels import paragraph_levels
from ..render.leading import line_height
from ..render.typefaces import FONT_FACES, characters_of, is_drawn, text_families

if TYPE_CHECKING:
    from PIL import ImageFont

COVER_WIDTH = 1600
COVER_HEIGHT = 2560

# The design, in pixels: a dark page, the text in a centred column, two short gold rules
# around the title.
BACKGROUND = "#1d3b4a"
_TOP, _SIDES, _BOTTOM = 560, 200, 260
RULE_WIDTH, RULE_HEIGHT, RULE_COLOUR = 360, 6, "#c9a96e"
_COLUMN = COVER_WIDTH - 2 * _SIDES


@dataclass(frozen=True)
class _Style:
    size: float
    bold: bool
    colour: str
    line_height: float | None  # times the size; None: the font's ascent plus descent
    margin_top: float
    margin_bottom: float


_STYLES = {
    "subtitle": _Style(72, False, "#f3ead6", 1.5, -40, 110),
    "authors": _Style(84, True, "#f3ead6", None, 150, 30),
    "date": _Style(60, False, "#d9ccb0", None, 20, 20),
    "publisher": _Style(60, False, "#d9ccb0", None, 20, 20),
}
_RULE = _Style(0, False, RULE_COLOUR, None, 0, 0)


def _title_style(title: str) -> _Style:
    """The longer the title, the smaller it is set."""
    size = 150 if len(title) < 40 else 124 if len(title) < 90 else 104
    return _Style(size, True, "#f3ead6", 1.55, 110, 110)


@dataclass(frozen=True)
class Run:
    """Text of one embedding level in one font, drawn from ``x`` on the baseline."""

    text: str
    level: int
    face: Path
    x: float
    width: float


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]  # in visual order, left to right
    baseline: float
    size: float
    colour: str

    @property
    def width(self) -> float:
        return sum(run.width for run in self.runs)


@dataclass(frozen=True)
class Rule:
    top: float


def lay_out(
    blocks: list[tuple[str, str]], lang: str, direction: str, script_style: str = "naskh"
) -> list[Line | Rule]:
    """Every line and rule of the cover in place, from its blocks: (class, text), top to
    bottom. A cover whose text would run past the bottom margin, or has a word wider than
    the column, is set smaller, all of it in proportion, until it fits."""
    room = COVER_HEIGHT - _TOP - _BOTTOM
    scale = 1.0
    for _ in range(4):
        placed, height = _laid_out(blocks, (lang, direction, script_style), scale)
        widest = max((item.width for item in placed if isinstance(item, Line)), default=0)
        fits = min(room / max(height, 1), _COLUMN / max(widest, 1))
        if fits >= 1:
            break
        scale *= fits * 0.98
    return placed


def _laid_out(
    blocks: list[tuple[str, str]], setting: tuple[str, str, str], scale: float
) -> tuple[list[Line | Rule], float]:
    """The blocks stacked from the top margin at ``scale``, with the height they take.
    Vertical margins between blocks collapse as in CSS. ``setting``: the language, the
    direction and the script style."""
    lang, direction, script_style = setting
    placed: list[Line | Rule] = []
    top = float(_TOP)
    margin_above = 0.0
    for kind, text in blocks:
        style = _style_of(kind, text)
        if placed:
            top += _collapsed(margin_above, style.margin_top * scale)
        if kind == "rule":
            placed.append(Rule(top))
            top += RULE_HEIGHT
        else:
            size = style.size * scale
            faces = _faces(style.bold, script_style)
            ascent, descent = font(faces[0], size).getmetrics()
            height = ascent + descent if style.line_height is None else style.line_height * size
            if script_style == "nastaliq":  # its words rise and fall far: render/leading.py
                strings = ((), [text]) if style.bold else ([text], ())
                height = max(height, line_height(script_style, *strings) * size)
            for runs in _broken(text, (lang, direction), faces, size):
                # The glyphs' ascent and descent centred in the line's height, as in CSS.
                baseline = top + (height - ascent - descent) / 2 + ascent
                placed.append(Line(runs, baseline, size, style.colour))
                top += height
        margin_above = style.margin_bottom * scale
    return placed, top - _TOP


def _style_of(kind: str, text: str) -> _Style:
    if kind == "rule":
        return _RULE
    if kind == "title":
        return _title_style(text)
    return _STYLES[kind]


def _collapsed(above: float, below: float) -> float:
    """Two adjoining vertical margins as one (CSS 2, 8.3.1)."""
    return max(above, below, 0) + min(above, below, 0)


def _broken(
    text: str, setting: tuple[str, str], faces: tuple[Path, ...], size: float
) -> list[tuple[Run, ...]]:
    """``text`` broken into lines at spaces, each as wide as the column allows, its runs
    placed left to right and centred. A word wider than the column gets a line of its own.
    Each word and each space between two is measured once: a long title costs no more
    than its length. ``setting``: the language and the direction; ``faces``: the
    stack."""
    lang, direction = setting
    levels = paragraph_levels(text, 1 if direction == "rtl" else 0)
    face_of = _face_per_character(text, faces)

    def runs(start: int, end: int) -> list[Run]:
        return _runs(text, start, end, levels, face_of, size, lang)

    words = [match.span() for match in re.finditer(r"\S+", text)]
    widths = [sum(run.width for run in runs(*word)) for word in words]
    gaps = [sum(run.width for run in runs(a[1], b[0])) for a, b in itertools.pairwise(words)]
    lines: list[tuple[Run, ...]] = []
    first = 0
    while first < len(words):
        last, width = first, widths[first]
        while last + 1 < len(words) and width + gaps[last] + widths[last + 1] <= _COLUMN:
            width += gaps[last] + widths[last + 1]
            last += 1
        lines.append(_centred(_visual_order(runs(words[first][0], words[last][1]))))
        first = last + 1
    return lines


def _face_per_character(text: str, faces: tuple[Path, ...]) -> list[Path]:
    """The first face of the stack that draws each character. A space, a mark or a
    control stays in the font of the character before it (after it, at the start), so
    that marks shape with their letter and runs do not break at every space."""
    chosen: list[Path | None] = []
    for char in text:
        if char.isspace() or unicodedata.combining(char) or not is_drawn(char):
            chosen.append(None)
            continue
        chosen.append(next((f for f in faces if char in characters_of(f)), faces[0]))
    known = next((face for face in chosen if face is not None), faces[0])
    filled = []
    for face in chosen:
        known = face or known
        filled.append(known)
    return filled


def _runs(
    text: str, start: int, end: int, levels: list[int], face_of: list[Path], size: float,
    lang: str,
) -> list[Run]:  # fmt: skip
    """``text[start:end]`` cut where the embedding level or the font changes, in logical
    order, each measured."""
    runs: list[Run] = []
    cut = start
    for index in range(start + 1, end + 1):
        if index == end or (levels[index], face_of[index]) != (levels[cut], face_of[cut]):
            piece = text[cut:index]
            width = font(face_of[cut], size).getlength(
                piece, direction=direction_of(levels[cut]), language=lang
            )
            runs.append(Run(piece, levels[cut], face_of[cut], 0.0, width))
            cut = index
    return runs


def _visual_order(runs: list[Run]) -> list[Run]:
    """Runs left to right (UAX #9, L2): from the highest level down to the lowest odd one,
    every sequence of runs at that level or above is reversed."""
    ordered = list(runs)
    levels = [run.level for run in runs]
    odd = [level for level in levels if level % 2]
    if not odd:
        return ordered
    for level in range(max(levels), min(odd) - 1, -1):
        index = 0
        while index < len(ordered):
            if ordered[index].level < level:
                index += 1
                continue
            end = index
            while end < len(ordered) and ordered[end].level >= level:
                end += 1
            ordered[index:end] = reversed(ordered[index:end])
            index = end
    return ordered


def _centred(runs: list[Run]) -> tuple[Run, ...]:
    x = (COVER_WIDTH - sum(run.width for run in runs)) / 2
    placed = []
    for run in runs:
        placed.append(Run(run.text, run.level, run.face, x, run.width))
        x += run.width
    return tuple(placed)


def direction_of(level: int) -> str:
    """The direction libraqm lays a run of this embedding level out in."""
    return "rtl" if level % 2 else "ltr"


def _faces(bold: bool, script_style: str) -> tuple[Path, ...]:
    """The upright faces of the weight, in the stylesheet's family order; the regular one
    of a family that has no bold (the symbols), as WeasyPrint draws it."""
    weight = 700 if bold else 400
    chosen = []
    for family in text_families(script_style):
        files = {f.weight: f.file for f in FONT_FACES if f.family == family and f.style == "normal"}
        chosen.append(files.get(weight, files[400]))
    return tuple(chosen)


# A few at a time: a cover set smaller has sizes of its own, and each font holds its file.
@functools.lru_cache(maxsize=16)
def font(face: Path, size: float) -> ImageFont.FreeTypeFont:
    """The face at ``size`` pixels, laid out by libraqm."""
    from PIL import ImageFont

    return ImageFont.truetype(str(face), size, layout_engine=ImageFont.Layout.RAQM)
