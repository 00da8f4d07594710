"""The fonts kashidas are drawn with: for a style, the font Pango sets it in, seen by
HarfBuzz (``uharfbuzz``): which join of a word takes a tatweel without changing the letters
around it, and the outline of the tatweel glyph there (``kashida.py`` draws it)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from ..kashida import word_joins


@dataclass
class FaceInfo:
    """A font as HarfBuzz sees it, with what kashidas need of it."""

    font: Any  # uharfbuzz.Font
    upem: int
    tatweel: int
    joins: dict[tuple[str, str], tuple[int, int, int] | None] = field(default_factory=dict)
    outlines: dict[int, list[tuple[str, tuple[float, ...]]]] = field(default_factory=dict)

    def shape(self, text: str, lang: str) -> list[tuple[int, int, int, int, int]]:
        import uharfbuzz

        buffer = uharfbuzz.Buffer()
        buffer.add_str(text)
        buffer.guess_segment_properties()
        if lang:
            buffer.language = lang
        uharfbuzz.shape(self.font, buffer, {})
        return [
            (info.codepoint, info.cluster, pos.x_advance, pos.x_offset, pos.y_offset)
            for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)
        ]

    def best_join(self, word: str, lang: str) -> tuple[int, int, int] | None:
        """The most wanted join of ``word`` where the font draws a tatweel without changing
        the letters around it: (index in the word, priority, the tatweel's glyph), or
        None."""
        key = (word, lang)
        if key not in self.joins:
            self.joins[key] = self._best_join(word, lang)
        return self.joins[key]

    def _best_join(self, word: str, lang: str) -> tuple[int, int, int] | None:
        plain = self.shape(word, lang)
        starts = frozenset(cluster for _, cluster, *_ in plain)
        for join in word_joins(word, 0, len(word), starts):
            widened = self.shape(word[: join.index] + "\u0640" + word[join.index :], lang)
            tatweels = [glyph for glyph in widened if glyph[1] == join.index]
            others = [
                (glyph[0], glyph[1] - (glyph[1] > join.index), *glyph[2:])
                for glyph in widened
                if glyph[1] != join.index
            ]
            if len(tatweels) == 1 and others == plain:
                return join.index, join.priority, tatweels[0][0]
        return None

    def outline(self, glyph: int) -> list[tuple[str, tuple[float, ...]]]:
        if glyph not in self.outlines:
            pen = _Recorder()
            self.font.draw_glyph_with_pen(glyph, pen)
            self.outlines[glyph] = pen.segments
        return self.outlines[glyph]


class _Recorder:
    """A pen (fontTools' protocol) that keeps an outline as moves, lines and cubic curves."""

    def __init__(self) -> None:
        from fontTools.pens.basePen import BasePen

        recorder = self

        class Pen(BasePen):  # type: ignore[misc]
            def _moveTo(self, point: tuple[float, float]) -> None:
                recorder.segments.append(("m", point))

            def _lineTo(self, point: tuple[float, float]) -> None:
                recorder.segments.append(("l", point))

            def _curveToOne(self, *points: tuple[float, float]) -> None:
                recorder.segments.append(("c", tuple(v for point in points for v in point)))

            def _closePath(self) -> None:
                recorder.segments.append(("h", ()))

        self.segments: list[tuple[str, tuple[float, ...]]] = []
        self._pen = Pen(None)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pen, name)


_DESCRIBED = ("font_family", "font_style", "font_stretch", "font_weight", "font_size",
              "font_variant_caps", "font_variation_settings")  # fmt: skip


class Faces:
    """The fonts of one render, by Pango font description (a style's primary font)."""

    def __init__(self) -> None:
        self._by_style: dict[tuple[object, ...], FaceInfo | None] = {}
        self._by_description: dict[int, FaceInfo | None] = {}
        self._by_data: dict[bytes, FaceInfo | None] = {}

    def for_style(self, style: Any) -> FaceInfo | None:
        # What WeasyPrint's font description is made of (text/fonts.py), looked up first:
        # making the description takes a dozen calls into Pango, for every text box.
        key = tuple(style[name] if name != "font_family" else tuple(style[name])
                    for name in _DESCRIBED)  # fmt: skip
        if key not in self._by_style:
            self._by_style[key] = self._described(style)
        return self._by_style[key]

    def _described(self, style: Any) -> FaceInfo | None:
        from weasyprint.text.ffi import ffi, gobject, pango
        from weasyprint.text.fonts import get_font_description

        description = get_font_description(style)
        key = pango.pango_font_description_hash(description)
        if key not in self._by_description:
            font_map = style.font_config.font_map
            context = ffi.gc(pango.pango_font_map_create_context(font_map), gobject.g_object_unref)
            font = pango.pango_font_map_load_font(font_map, context, description)
            if font != ffi.NULL:
                font = ffi.gc(font, gobject.g_object_unref)
            self._by_description[key] = None if font == ffi.NULL else self._face(font)
        return self._by_description[key]

    def _face(self, pango_font: Any) -> FaceInfo | None:
        import uharfbuzz
        from weasyprint.text.ffi import harfbuzz
        from weasyprint.text.fonts import get_hb_object_data, get_pango_font_hb_face

        hb_face = get_pango_font_hb_face(pango_font)
        data = get_hb_object_data(hb_face)
        index = harfbuzz.hb_face_get_index(hb_face)
        key = hashlib.blake2b(data, digest_size=16).digest() + index.to_bytes(4, "big")
        if key not in self._by_data:
            face = uharfbuzz.Face(uharfbuzz.Blob(data), index)
            font = uharfbuzz.Font(face)
            tatweel = font.get_nominal_glyph(0x0640)
            self._by_data[key] = FaceInfo(font, face.upem, tatweel) if tatweel else None
        return self._by_data[key]
