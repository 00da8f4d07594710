"""The bundled fonts: which faces exist, which an article uses, and subsets of them."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .bundle import FONTS_DIR

if TYPE_CHECKING:
    import uharfbuzz


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: int
    style: str  # "normal" or "italic"
    file: Path

    @property
    def media_type(self) -> str:
        return "font/otf" if self.file.suffix == ".otf" else "font/ttf"


FONT_FAMILY = "Amiri"
FONT_FACES = (
    FontFace(FONT_FAMILY, 400, "normal", FONTS_DIR / "Amiri-Regular.ttf"),
    FontFace(FONT_FAMILY, 700, "normal", FONTS_DIR / "Amiri-Bold.ttf"),
    FontFace(FONT_FAMILY, 400, "italic", FONTS_DIR / "Amiri-Slanted.ttf"),
    FontFace(FONT_FAMILY, 700, "italic", FONTS_DIR / "Amiri-BoldSlanted.ttf"),
)


def faces_used(body_html: str) -> tuple[FontFace, ...]:
    """The faces a document needs: the title and headings are bold, so regular and bold
    always; the slanted faces only when the text has emphasis."""
    italic = "<em>" in body_html or "<i>" in body_html
    return tuple(face for face in FONT_FACES if face.style == "normal" or italic)


# Language index for a script's default language system (HB_OT_LAYOUT_DEFAULT_LANGUAGE_INDEX).
_DEFAULT_LANGUAGE = 0xFFFF


@functools.cache
def _face(file: Path) -> uharfbuzz.Face:
    """The font parsed once per process: every document the process exports reuses it."""
    import uharfbuzz

    return uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(file)))


@functools.cache
def _layout_features(file: Path) -> frozenset[str]:
    """Every feature tag the font's GSUB and GPOS name, for every script and language.
    hb-subset keeps only a default list of features unless told; an inverted ("all") set
    keeps the tables but skips the glyph closure (measured: 204 glyphs kept instead of
    1471 on article.md), so the tags are listed one by one."""
    face = _face(file)
    tags: set[str] = set()
    for table in ("GSUB", "GPOS"):
        for script, _ in enumerate(face.get_table_script_tags(table)):
            languages = range(len(face.get_script_language_tags(table, script)))
            for language in (_DEFAULT_LANGUAGE, *languages):
                tags.update(face.get_language_feature_tags(table, script, language))
    return frozenset(tags)


def _tag(name: str) -> int:
    return int.from_bytes(name.encode("ascii"), "big")


def subset_font(file: Path, text: str, flavor: str | None = None) -> bytes:
    """The font cut down to the glyphs ``text`` needs, with every OpenType layout feature
    kept: Arabic shaping reaches glyphs through GSUB (init, medi, fina, rlig, ...), and the
    subsetter follows those substitutions so contextual forms survive. HarfBuzz's subsetter
    does in milliseconds what fontTools' does in seconds on Amiri's large GSUB.
    ``flavor`` ``"woff2"`` or ``"woff"`` wraps the result for the web; the EPUB and the
    HTML of one article share one subset."""
    data = _subset(file, text)
    return _wrap(data, flavor) if flavor else data


@functools.lru_cache(maxsize=32)
def _subset(file: Path, text: str) -> bytes:
    import uharfbuzz

    plan = uharfbuzz.SubsetInput()
    plan.unicode_set.update(ord(char) for char in set(text + " \u00a0"))
    plan.layout_feature_tag_set.update(_tag(tag) for tag in _layout_features(file))
    # Every name record, so the copyright and the licence travel with the subset.
    plan.name_id_set.update(int(entry.name_id) for entry in _face(file).list_names())
    plan.flags = uharfbuzz.SubsetFlags.NO_HINTING | uharfbuzz.SubsetFlags.NOTDEF_OUTLINE
    font = uharfbuzz.subset(_face(file), plan)
    if font is None:
        raise RuntimeError(f"HarfBuzz could not subset {file.name}")
    return font.blob.data


def _wrap(data: bytes, flavor: str) -> bytes:
    """The subset as a WOFF or WOFF2 file (fontTools writes the container)."""
    from fontTools.ttLib import TTFont

    # recalcTimestamp off: the subset keeps the font's own date, so the same input gives
    # the same bytes (fontTools would write the clock's time into head.modified).
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    font.flavor = flavor
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()
