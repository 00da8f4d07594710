"""The bundled fonts: which faces exist, which an article uses, and subsets of them."""

from __future__ import annotations

import functools
import io
import math
import struct
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..bundle import FONTS_DIR
from .bodytree import shared_body

if TYPE_CHECKING:
    import uharfbuzz
    from lxml import etree


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
# Naskh, the hand of Arabic and Persian print.
MAIN_FACES = (
    FontFace(FONT_FAMILY, 400, "normal", FONTS_DIR / "Amiri-Regular.ttf"),
    FontFace(FONT_FAMILY, 700, "normal", FONTS_DIR / "Amiri-Bold.ttf"),
    FontFace(FONT_FAMILY, 400, "italic", FONTS_DIR / "Amiri-Slanted.ttf"),
    FontFace(FONT_FAMILY, 700, "italic", FONTS_DIR / "Amiri-BoldSlanted.ttf"),
)
# Nastaliq, the hand Urdu readers expect. It has no slanted face (Nastaliq is never
# slanted) and no Latin letters: Amiri follows it in the stack.
NASTALIQ_FAMILY = "Noto Nastaliq Urdu"
NASTALIQ_FACES = (
    FontFace(NASTALIQ_FAMILY, 400, "normal", FONTS_DIR / "NotoNastaliqUrdu-Regular.ttf"),
    FontFace(NASTALIQ_FAMILY, 700, "normal", FONTS_DIR / "NotoNastaliqUrdu-Bold.ttf"),
)
# Scripts and signs the main faces have no glyphs for (Amiri's cmap has no Greek, Cyrillic
# or Hebrew, no mathematical operators such as U+2260 and no arrows such as U+21A9, and
# not the white bullet and small square WeasyPrint draws for nested lists): the stylesheet
# names these families after the main ones, in this order.
FALLBACK_FACES = (
    FontFace("Noto Serif", 400, "normal", FONTS_DIR / "NotoSerif-Regular.ttf"),
    FontFace("Noto Serif", 700, "normal", FONTS_DIR / "NotoSerif-Bold.ttf"),
    FontFace("Noto Serif Hebrew", 400, "normal", FONTS_DIR / "NotoSerifHebrew-Regular.ttf"),
    FontFace("Noto Serif Hebrew", 700, "normal", FONTS_DIR / "NotoSerifHebrew-Bold.ttf"),
    FontFace("Noto Sans Math", 400, "normal", FONTS_DIR / "NotoSansMath-Regular.ttf"),
    FontFace("Noto Sans Symbols 2", 400, "normal", FONTS_DIR / "NotoSansSymbols2-Regular.ttf"),
)
# Code: a monospace face, then the text's own stack for the letters it lacks (Arabic).
MONO_FAMILY = "Noto Sans Mono"
MONO_FACES = (
    FontFace(MONO_FAMILY, 400, "normal", FONTS_DIR / "NotoSansMono-Regular.ttf"),
    FontFace(MONO_FAMILY, 700, "normal", FONTS_DIR / "NotoSansMono-Bold.ttf"),
)
FONT_FACES = MAIN_FACES + FALLBACK_FACES + NASTALIQ_FACES + MONO_FACES  # every bundled face
_FALLBACK_STACK = tuple(dict.fromkeys(face.family for face in FALLBACK_FACES))
FONT_STACK = (FONT_FAMILY, *_FALLBACK_STACK)  # the Naskh text stack


def text_families(script_style: str) -> tuple[str, ...]:
    """The families that set the text, in the stylesheet's order."""
    if script_style == "nastaliq":
        return (NASTALIQ_FAMILY, *FONT_STACK)
    return FONT_STACK


def code_families(script_style: str) -> tuple[str, ...]:
    return (MONO_FAMILY, *text_families(script_style))


# The elements browsers and WeasyPrint draw slanted (the HTML user-agent stylesheet) among
# those the sanitiser keeps, and those they draw bold; and those set in the monospace face.
_SLANTED = ("em", "i", "cite", "dfn", "var")
_BOLD = frozenset({"strong", "b", "h1", "h2", "h3", "h4", "h5", "h6", "th"})
CODE_ELEMENTS = ("code", "kbd", "pre", "samp")


def _styles_used(trees: Iterable[etree._Element]) -> set[tuple[int, str]]:
    """The (weight, style) pairs a document draws with: the title and headings are bold, so
    regular and bold always; the slanted faces only where the text has emphasis, and the
    bold slanted one only for emphasis inside something bold (a heading, strong text, a
    table header) or strong text inside emphasis."""
    used = {(400, "normal"), (700, "normal")}
    for tree in trees:
        for slanted in tree.iter(*_SLANTED):
            used.add((400, "italic"))
            if _is_bold_slanted(slanted):
                used.add((700, "italic"))
                return used
    return used


def _is_bold_slanted(slanted: etree._Element) -> bool:
    inside_bold = any(ancestor.tag in _BOLD for ancestor in slanted.iterancestors())
    return inside_bold or next(slanted.iterdescendants("strong", "b"), None) is not None


def _code_weights(trees: Iterable[etree._Element]) -> set[int]:
    """The weights code is drawn in: regular wherever there is code, bold for code inside
    something bold (a heading, strong text) or with something bold inside."""
    weights: set[int] = set()
    for tree in trees:
        for code in tree.iter(*CODE_ELEMENTS):
            weights.add(400)
            if (
                any(a.tag in _BOLD for a in code.iterancestors())
                or next(code.iterdescendants(*_BOLD), None) is not None
            ):
                return {400, 700}
    return weights


@functools.cache
def _cmap(file: Path) -> frozenset[int]:
    """The code points the font maps to glyphs (its best Unicode cmap), read by HarfBuzz:
    fontTools decodes every glyph name on the way, 20 times slower."""
    return frozenset(harfbuzz_face(file).unicodes)


def _family_cmap(family: str) -> frozenset[int]:
    return frozenset().union(*(_cmap(face.file) for face in FONT_FACES if face.family == family))


def _families_drawing(families: tuple[str, ...], text: str) -> set[str]:
    """The first family, and each later one that draws a character of ``text`` that none
    before it draws: the fallback a font stack gives, character by character."""
    missing = {ord(c) for c in text if not c.isspace()} - _family_cmap(families[0])
    chosen = {families[0]}
    for family in families[1:]:
        if taken := missing & _family_cmap(family):
            chosen.add(family)
            missing -= taken
    return chosen


def faces_used(
    body_html: str, text: str | None = None, script_style: str = "naskh",
    notes: Sequence[etree._Element] = (),
) -> tuple[FontFace, ...]:  # fmt: skip
    """The faces a document needs, in ``FONT_FACES`` order. The first family of the text
    serves every style the document (its body and its ``notes``) draws with; a later
    (fallback) family only when ``text`` has characters it covers and no family before it
    does; the monospace face in the weights its code is drawn in. ``notes``: the parsed
    footnotes."""
    trees = [shared_body(body_html), *notes]
    styles = _styles_used(trees)
    families = _families_drawing(text_families(script_style), text or "")
    code = _code_weights(trees)
    return tuple(
        face
        for face in FONT_FACES
        if (face.family in families and (face.weight, face.style) in styles)
        or (face.family == MONO_FAMILY and face.weight in code)
    )


# The features HarfBuzz applies by default to horizontal text, those of the Arabic and
# Hebrew shapers, and the right-to-left mirrored forms (rtlm, rtla): the OpenType features
# registry, and HarfBuzz's hb-ot-shape.cc and hb-ot-shaper-arabic.cc.
SHAPING_FEATURES = (
    "abvm", "blwm", "ccmp", "locl", "mark", "mkmk", "rlig", "rclt",
    "calt", "clig", "curs", "dist", "kern", "liga",
    "isol", "init", "medi", "med2", "fina", "fin2", "fin3", "stch",
    "rtla", "rtlm", "rvrn",
)  # fmt: skip


@functools.cache
def characters_of(file: Path) -> frozenset[str]:
    """The characters a font file maps to glyphs."""
    return frozenset(map(chr, _cmap(file)))


def vertical_metrics(file: Path) -> tuple[float, float, float]:
    """The font's ascender, descender (below the baseline, positive) and line gap from its
    ``hhea`` table, in em: what Pango, browsers and Pillow place a line of it by. Read
    through HarfBuzz: an EPUB or HTML export need not load fontTools for it."""
    face = harfbuzz_face(file)
    # hhea (OpenType): version, then ascender, descender and line gap, int16 big-endian.
    ascender, descender, line_gap = struct.unpack_from(">hhh", face.reference_table("hhea").data, 4)
    return ascender / face.upem, -descender / face.upem, line_gap / face.upem


@functools.cache
def font_extent() -> float:
    """The main font's height from descender to ascender (``hhea``), in em, rounded up to
    a hundredth: the line height that keeps stacked marks clear of the line above."""
    ascender, descender, line_gap = vertical_metrics(MAIN_FACES[0].file)
    return math.ceil((ascender + descender + line_gap) * 100 - 1e-9) / 100


def is_drawn(char: str) -> bool:
    """Whether a character needs a glyph at all: controls, format characters (ZWJ, ZWNJ,
    bidi controls) and variation selectors are default-ignorable (Unicode 15, 5.21)."""
    return unicodedata.category(char) not in {"Cc", "Cf", "Zl", "Zp"} and not (
        "\ufe00" <= char <= "\ufe0f" or "\U000e0100" <= char <= "\U000e01ef"
    )


def uncovered(text: str) -> list[str]:
    """The characters of ``text`` that no bundled font draws, in the order met."""
    covered = frozenset().union(*(characters_of(face.file) for face in FONT_FACES))
    return list(dict.fromkeys(c for c in text if c not in covered and is_drawn(c)))


# Language index for a script's default language system (HB_OT_LAYOUT_DEFAULT_LANGUAGE_INDEX).
_DEFAULT_LANGUAGE = 0xFFFF


@functools.cache
def harfbuzz_face(file: Path) -> uharfbuzz.Face:
    """The font parsed once per process: every document the process exports reuses it."""
    import uharfbuzz

    return uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(file)))


@functools.cache
def _layout_features(file: Path) -> frozenset[str]:
    """Every feature tag the font's GSUB and GPOS name, for every script and language.
    hb-subset keeps only a default list of features unless told; an inverted ("all") set
    keeps the tables but skips the glyph closure (measured: 204 glyphs kept instead of
    1471 on article.md), so the tags are listed one by one."""
    face = harfbuzz_face(file)
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
    """The font cut down to the glyphs ``text`` needs, with the OpenType features a reading
    system applies by itself (``SHAPING_FEATURES``): Arabic shaping reaches its glyphs
    through GSUB (init, medi, fina, rlig, calt, liga) and places marks through GPOS, and the
    subsetter follows those lookups, so every contextual form and ligature of the kept
    characters survives. Optional features (stylistic sets, fractions) go: no stylesheet
    of ours turns them on. HarfBuzz's subsetter does in milliseconds what fontTools' does
    in seconds on Amiri's large GSUB.
    ``flavor`` ``"woff2"`` or ``"woff"`` wraps the result for the web; the EPUB and the
    HTML of one article share one subset."""
    data = _subset(file, text)
    return _wrap(data, flavor) if flavor else data


@functools.lru_cache(maxsize=32)
def _subset(file: Path, text: str) -> bytes:
    import uharfbuzz

    plan = uharfbuzz.SubsetInput()
    plan.unicode_set.update(ord(char) for char in set(text + " \u00a0"))
    kept = _layout_features(file) & set(SHAPING_FEATURES)
    plan.layout_feature_tag_set.update(_tag(tag) for tag in kept)
    # Every name record, so the copyright and the licence travel with the subset.
    plan.name_id_set.update(int(entry.name_id) for entry in harfbuzz_face(file).list_names())
    plan.flags = uharfbuzz.SubsetFlags.NO_HINTING | uharfbuzz.SubsetFlags.NOTDEF_OUTLINE
    font = uharfbuzz.subset(harfbuzz_face(file), plan)
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
