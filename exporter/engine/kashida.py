"""Kashida: the slack of a justified Arabic line drawn as the font's own joining stroke.

WeasyPrint 70 justifies by widening spaces only (``justify_line`` in layout/inline.py). Text
whose style carries ``--text-justify: kashida`` (the print stylesheet's choice, see
``templates/css/print.css.j2``) is justified here the way Arabic is written: within the
justification hooks of ``justification.py``, the line's slack goes first to kashidas at the
joins ``exporter/kashida.py`` allows, and only what they cannot take to the spaces. The
line keeps the width WeasyPrint gave it, so its edges stay where they were.

A kashida is not text. When the line is drawn, the glyph before the join (in Pango's
visual order) is given a wider advance, so the glyphs after it move by the kashida's
length; the gap is filled with the outline of the tatweel glyph the font itself uses at
that join, its middle stretched to the gap and its ends (which reach into the letters on
either side, as the font designed them) kept as they are. The stroke is a filled path,
marked as an artifact (ISO 32000-1, 14.8.2.2), drawn after the text box's marked content:
the copied text, the ActualText layer and the structure tree never see a tatweel.

A join is used only when the font shapes the word with a tatweel there exactly as without
it, apart from the tatweel: then the letters on either side meet it on the baseline, as
they would a tatweel the author typed. In Amiri a join inside a contextual form (kaf
before baa, lam before haa, ...) changes both letters when a tatweel comes between, and
is left alone.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, NamedTuple

from ..kashida import Allocation, allocate, words
from .kashidafaces import FaceInfo, Faces

# WeasyPrint keeps a custom property ``--name`` in the computed style as ``__name``.
PROPERTY = "__text_justify"
# What a text box carries from its line's justification to its drawing.
PLAN = "_exporter_kashidas"

# Lengths in em of the font size: about PREFERRED per kashida, at most MOST, none under
# LEAST (tuned by looking at A5 pages: shorter ones read as uneven joins, longer ones as
# a line drawn through the word).
PREFERRED, MOST, LEAST = 0.3, 0.9, 0.1
PANGO_SCALE = 1024


def justify_value(box: Any) -> str | None:
    """The lowered value of a text box's ``--text-justify``, if it has one."""
    if not hasattr(box, "text"):
        return None
    value = box.style[PROPERTY] or ()
    tokens = [getattr(token, "lower_value", None) for token in value if token.type != "whitespace"]
    return tokens[0] if len(tokens) == 1 else None


class Kashida(NamedTuple):
    """One planned kashida: before the character at UTF-8 byte ``join`` of its text box."""

    join: int
    length: float  # CSS px, a whole number of Pango units
    glyph: int  # the font's tatweel glyph at this join
    face: FaceInfo


class _State:
    faces: Faces | None = None
    # Strokes drawn by a text box, waiting for its marked content to end, by stream.
    pending: dict[int, list[Stroke]] = {}  # noqa: RUF012


class Stroke(NamedTuple):
    x: float  # where the gap starts, CSS px
    baseline: float
    length: float
    size: float  # font size, CSS px
    kashida: Kashida
    color: Any


def _text_boxes(box: Any) -> Iterator[Any]:
    if hasattr(box, "text"):
        yield box
    for child in getattr(box, "children", ()):
        yield from _text_boxes(child)


def plan_line(line: Any, justification_spacing: float, nb_spaces: int) -> float:
    """Kashidas for a line justified with ``justification_spacing`` on each of its
    ``nb_spaces`` spaces: planned on its text boxes (``PLAN``); returns what each space
    still takes."""
    faces = _State.faces
    if faces is None or nb_spaces <= 0 or justification_spacing <= 0:
        return justification_spacing
    candidates: list[tuple[Any, int, Kashida]] = []  # box, priority, kashida without length
    for box in _text_boxes(line):
        box.__dict__.pop(PLAN, None)  # a box copied from one planned before plans afresh
        if justify_value(box) != "kashida":
            continue
        face = faces.for_style(box.style)
        if face is None:
            continue
        candidates.extend(_candidates(box, face))
    if not candidates:
        return justification_spacing
    em = line.style["font_size"]
    slack = justification_spacing * nb_spaces
    shared = allocate(slack, [priority for _, priority, _ in candidates],
                      preferred=PREFERRED * em, most=MOST * em, least=LEAST * em)  # fmt: skip
    return _apply(candidates, shared, slack) / nb_spaces


def _candidates(box: Any, face: FaceInfo) -> Iterator[tuple[Any, int, Kashida]]:
    text, lang = box.text, box.style["lang"] or ""
    counted = counted_bytes = 0  # UTF-8 bytes of text[:counted]
    for start, end in words(text):
        found = face.best_join(text[start:end], lang)
        if found is None:
            continue
        index, priority, glyph = found
        counted_bytes += len(text[counted : start + index].encode("utf-8"))
        counted = start + index
        yield box, priority, Kashida(counted_bytes, 0.0, glyph, face)


def _apply(candidates: list[tuple[Any, int, Kashida]], shared: Allocation, slack: float) -> float:
    used = 0.0
    for (box, _, kashida), length in zip(candidates, shared.lengths, strict=True):
        units = int(length * PANGO_SCALE)
        if units <= 0:
            continue
        length = units / PANGO_SCALE
        used += length
        plan = box.__dict__.setdefault(PLAN, [])
        plan.append(kashida._replace(length=length))
    return slack - used


def planned_width(box: Any) -> float:
    """What a text box's kashidas add to its width."""
    return sum(kashida.length for kashida in box.__dict__.get(PLAN, ()))


def _widen(line: Any, textbox: Any) -> list[Stroke]:
    """The drawn line's glyphs before each planned join given the kashida's length more
    advance (Pango units); the strokes that fill the gaps."""
    from weasyprint.text.ffi import ffi

    plan = textbox.__dict__[PLAN]
    strokes: list[Stroke] = []
    x_units, run = 0, line.runs[0]
    baseline = textbox.position_y + textbox.baseline
    size, color = textbox.style["font_size"], textbox.style["color"]
    record = ffi.sizeof("PangoGlyphInfo") // 4  # glyph, width, x and y offsets, attributes
    while run != ffi.NULL:
        item, glyphs = run.data.item, run.data.glyphs
        offset, count = item.offset, glyphs.num_glyphs
        # Read and written in place, at once: a cffi access per glyph costs a Python call.
        infos = memoryview(ffi.buffer(glyphs.glyphs, count * record * 4)).cast("i")
        mine = [k for k in plan if offset < k.join < offset + item.length]
        if not mine or not item.analysis.level % 2:
            x_units += sum(infos[1::record])
            run = run.next
            continue
        clusters = [offset + cluster for cluster in ffi.unpack(glyphs.log_clusters, count)]
        clusters.append(-1)
        for i in range(count):
            x_units += infos[i * record + 1]
            for kashida in mine:
                if clusters[i] >= kashida.join > clusters[i + 1]:
                    gap = round(kashida.length * PANGO_SCALE)
                    x = textbox.position_x + x_units / PANGO_SCALE
                    infos[i * record + 1] += gap
                    x_units += gap
                    strokes.append(Stroke(x, baseline, kashida.length, size, kashida, color))
        run = run.next
    return strokes


def _draw(stream: Any, strokes: list[Stroke]) -> None:
    """The strokes as one layout artifact (ISO 32000-1, 14.8.2.2.2: a typographical
    element, not content), whether or not the PDF is tagged."""
    import pydyf

    stream.begin_marked_content("Artifact", pydyf.Dictionary({"Type": "/Layout"}))
    for stroke in strokes:
        stream.set_color(stroke.color)
        # The path's operators written at once: through pydyf, a call and a conversion per
        # number, for tens of thousands of strokes in a book.
        stream.stream.append(_tatweel_path(stroke))
    stream.end_marked_content()


def _tatweel_path(stroke: Stroke) -> bytes:
    """The tatweel's outline filled from the gap's start: its middle (0 to its advance)
    stretched to the gap's length, the parts before and after it (which reach into the
    letters on either side) as drawn."""
    face, glyph = stroke.kashida.face, stroke.kashida.glyph
    scale = stroke.size / face.upem
    advance = face.font.get_glyph_h_advance(glyph) or 1
    stretch = stroke.length / scale / advance
    left, baseline = stroke.x, stroke.baseline

    def x_of(x: float) -> float:
        if x <= 0:
            moved = x
        elif x >= advance:
            moved = advance * stretch + (x - advance)
        else:
            moved = x * stretch
        return left + moved * scale

    operations = []
    for operator, values in face.outline(glyph):
        points = [
            f"{x_of(values[k]):.3f} {baseline - values[k + 1] * scale:.3f}"
            for k in range(0, len(values), 2)
        ]
        operations.append(" ".join([*points, operator]))
    operations.append("f")
    return "\n".join(operations).encode()


def drawing_with(draw_first_line: Any) -> Any:
    """WeasyPrint's ``draw_first_line`` for a text box with kashidas: the glyphs moved
    apart at each join, the strokes kept for when the box's marked content ends."""

    def draw(stream: Any, textbox: Any, text_overflow: Any, block_ellipsis: Any,
             *args: Any) -> Any:  # fmt: skip
        if PLAN not in textbox.__dict__ or text_overflow == "ellipsis" or block_ellipsis != "none":
            return draw_first_line(stream, textbox, text_overflow, block_ellipsis, *args)
        from weasyprint.text.ffi import pango

        layout = textbox.pango_layout
        pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
        line, _ = layout.get_first_line()
        strokes = _widen(line, textbox)
        result = draw_first_line(stream, textbox, text_overflow, block_ellipsis, *args)
        _State.pending.setdefault(id(stream), []).extend(strokes)
        return result

    return draw


def marking_with(marked: Any) -> Any:
    """``Stream.marked`` that draws a text box's kashida strokes once its marked content
    has ended: an artifact inside tagged content is not allowed (PDF/UA-1, ISO 14289-1,
    7.1; Matterhorn 01-004)."""

    @contextlib.contextmanager
    def marked_then_strokes(stream: Any, box: Any, tag: str) -> Iterator[None]:
        with marked(stream, box, tag):
            yield
        strokes = _State.pending.pop(id(stream), None)
        if strokes:
            _draw(stream, strokes)

    marked_then_strokes.draws_kashidas = True  # type: ignore[attr-defined]
    return marked_then_strokes


@contextlib.contextmanager
def kashida_strokes() -> Iterator[None]:
    """Within the block, planned kashidas are drawn; the fonts' shapes are remembered for
    the block only."""
    from weasyprint.draw import text as drawing
    from weasyprint.pdf.stream import Stream

    from .replacing import replaced

    _State.faces, _State.pending = Faces(), {}
    try:
        with (
            replaced(drawing, "draw_first_line", drawing_with(drawing.draw_first_line)),
            replaced(Stream, "marked", marking_with(Stream.marked)),
        ):
            yield
    finally:
        _State.faces, _State.pending = None, {}
