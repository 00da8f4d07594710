"""The fonts inside the EPUBs: which faces, in which format, and shaping that draws every
word of the book exactly as the full Amiri does."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import uharfbuzz
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont

from exporter.render.typefaces import faces_used
from tests.readers import EpubPackage

ROOT = Path(__file__).resolve().parents[1]
XHTML = "{http://www.w3.org/1999/xhtml}"
BLOCKS = {f"{XHTML}{tag}" for tag in ("p", "h1", "h2", "h3", "h4", "li", "blockquote")}


def _fonts(package: EpubPackage) -> dict[str, bytes]:
    return {
        item.get("href").rpartition("/")[2]: package.zip.read(package.member(item.get("href")))
        for item in package.manifest().values()
        if item.get("media-type", "").startswith("font/")
    }


def _drawn(font_data: bytes, text: str) -> list[tuple[object, ...]]:
    """What HarfBuzz draws for ``text``: per glyph its advance, offsets and outline (glyph
    ids differ between a font and its subset; the outlines must not)."""
    font = uharfbuzz.Font(uharfbuzz.Face(uharfbuzz.Blob(font_data)))
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    uharfbuzz.shape(font, buffer)
    outlines = TTFont(io.BytesIO(font_data), lazy=True)
    glyphs, order = outlines.getGlyphSet(), outlines.getGlyphOrder()
    drawn = []
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        pen = DecomposingRecordingPen(glyphs)
        glyphs[order[info.codepoint]].draw(pen)
        drawn.append((position.x_advance, position.x_offset, position.y_offset,
                      tuple((op, tuple(args)) for op, args in pen.value)))  # fmt: skip
    return drawn


def _blocks(package: EpubPackage) -> list[str]:
    """The text of every paragraph, heading and list item, as a reading system shapes it."""
    return [
        " ".join("".join(element.itertext()).split())
        for root in package.spine_documents()
        for element in root.iter()
        if element.tag in BLOCKS and "".join(element.itertext()).strip()
    ]


@pytest.mark.parametrize(
    ("which", "faces"),
    [("article", {"Amiri-Regular.ttf", "Amiri-Bold.ttf"}),
     ("book", {"Amiri-Regular.ttf", "Amiri-Bold.ttf", "Amiri-Slanted.ttf"})],
)  # fmt: skip
def test_only_the_faces_the_text_uses_as_truetype(
    which: str, faces: set[str], request: pytest.FixtureRequest
) -> None:
    epub = (
        request.getfixturevalue("article_outputs")["epub"]
        if which == "article"
        else request.getfixturevalue("book_epub")[0]
    )
    package = EpubPackage(epub)
    fonts = _fonts(package)
    assert set(fonts) == faces  # the book has emphasis, but none of it bold
    for name, data in fonts.items():
        assert data[:4] == b"\x00\x01\x00\x00", name  # TrueType, which Kobo lists; not WOFF2
        assert len(data) < (ROOT / "fonts" / name).stat().st_size / 4, name
    items = [i for i in package.manifest().values() if i.get("media-type", "").startswith("font/")]
    assert {i.get("media-type") for i in items} == {"font/ttf"}


@pytest.mark.slow  # every block shaped with each subset and each full font
def test_embedded_subsets_draw_the_book_as_the_full_fonts_do(
    article_outputs: dict[str, Path],
) -> None:
    package = EpubPackage(article_outputs["epub"])
    blocks = _blocks(package)
    assert len(blocks) > 20
    for name, subset in _fonts(package).items():
        full = (ROOT / "fonts" / name).read_bytes()
        for text in blocks:
            assert _drawn(subset, text) == _drawn(full, text), (name, text)


@pytest.mark.parametrize("slanted", ["em", "i", "cite", "dfn", "var"])
def test_text_drawn_slanted_brings_the_slanted_faces(slanted: str) -> None:
    """Every element the user-agent stylesheet draws slanted: without its face declared, a
    reader (or WeasyPrint, for the PDF) would slant the upright letters itself."""

    def styles(html: str) -> set[tuple[int, str]]:
        return {(face.weight, face.style) for face in faces_used(html, "نص")}

    upright = {(400, "normal"), (700, "normal")}
    assert styles("<p>نص</p>") == upright
    assert styles(f"<p>نص <{slanted}>نص</{slanted}></p>") == upright | {(400, "italic")}
    assert (700, "italic") in styles(f"<h2>نص <{slanted}>نص</{slanted}></h2>")
