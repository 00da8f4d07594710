"""The bundled fonts: which faces exist, which an article uses, and subsets of them."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path

from .bundle import FONTS_DIR


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


@functools.lru_cache(maxsize=32)
def subset_font(file: Path, text: str, flavor: str | None = None) -> bytes:
    """The font cut down to the glyphs ``text`` needs, with every OpenType layout feature
    kept: Arabic shaping reaches glyphs through GSUB (init, medi, fina, rlig, ...), and the
    subsetter follows those substitutions so contextual forms survive."""
    from fontTools import subset  # imported here: only the EPUB and HTML writers need it

    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False
    options.flavor = flavor
    font = subset.load_font(str(file), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text + " \u00a0")
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return buffer.getvalue()
