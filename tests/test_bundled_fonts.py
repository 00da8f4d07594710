"""Fonts come only from the bundle: code, mathematical signs, the web page's back-link
arrow and the PDF's list markers are drawn by bundled faces, embedded wherever they are
used; extra fonts on the machine change no byte of any output; the notes' characters reach
the subsets and the glyph-coverage check."""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from exporter import export, parse_article, read_source
from exporter.errors import ExportWarning
from exporter.render.coverage import warn_uncovered
from exporter.render.typefaces import FONT_FACES
from tests.conftest import CORPUS, ROOT
from tests.readers import EpubPackage, pdffonts

SYMBOLS = ROOT / "tests" / "fixtures" / "fonts" / "symbols.md"
STEMS = sorted(path.stem for path in CORPUS.glob("*.md") if path.stem != "README")
BUNDLED_FAMILIES = {face.family for face in FONT_FACES}
Outputs = Callable[[str], dict[str, Path]]


@pytest.fixture(scope="module")
def symbols_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out_dir = tmp_path_factory.mktemp("symbols")
    return {path.suffix.lstrip("."): path for path in export(SYMBOLS, out_dir=out_dir)}


def _pdf_family(name: str) -> str:
    """A PDF font's family: ``ABCDEF+Noto-Sans-Symbols-2,`` -> ``Noto Sans Symbols 2``."""
    words = name.split("+")[-1].rstrip(",").split("-")
    while words[-1] in {"Bold", "Italic"}:
        words.pop()
    return " ".join(words)


def _epub_fonts(epub: Path) -> dict[str, set[int]]:
    """Each embedded font file of the EPUB, by name, with the code points it maps."""
    package = EpubPackage(epub)
    return {
        item.get("href").rpartition("/")[2]: set(
            TTFont(io.BytesIO(package.zip.read(package.member(item.get("href"))))).getBestCmap()
        )
        for item in package.manifest().values()
        if item.get("media-type", "").startswith("font/")
    }


def test_signs_code_and_other_scripts_drawn_by_bundled_faces(
    symbols_outputs: dict[str, Path],
) -> None:
    fonts = pdffonts(symbols_outputs["pdf"])
    assert {_pdf_family(font["name"]) for font in fonts} == {
        "Amiri", "Noto Sans Math", "Noto Serif Hebrew", "Noto Sans Mono",
        "Noto Sans Symbols 2",  # the white bullet and the small square of nested lists
        "Noto Serif",  # the Greek word of the note
    }  # fmt: skip
    assert all(font["emb"] == "yes" for font in fonts)
    embedded = _epub_fonts(symbols_outputs["epub"])
    assert ord("≠") in embedded["NotoSansMath-Regular.ttf"]
    assert set(map(ord, "pip install")) <= embedded["NotoSansMono-Regular.ttf"]
    assert "NotoSansSymbols2-Regular.ttf" not in embedded  # a reader draws the bullets itself
    html = symbols_outputs["html"].read_text(encoding="utf-8")
    assert "DejaVu" not in html
    assert 'font-family: "Noto Sans Mono"' in html and 'font-family: "Noto Sans Math"' in html


def test_the_web_pages_back_link_arrow_is_in_its_subset(symbols_outputs: dict[str, Path]) -> None:
    """The arrow the web template writes after each note is drawn by the Noto Sans Math
    subset the page embeds; the EPUB, which writes no such arrow, carries none for it."""
    html = symbols_outputs["html"].read_text(encoding="utf-8")
    face = re.search(
        r'font-family: "Noto Sans Math";[^}]*?url\("data:font/woff;base64,([^"]+)"\)', html
    )
    assert face is not None
    assert ord("↩") in TTFont(io.BytesIO(base64.b64decode(face.group(1)))).getBestCmap()
    assert ord("↩") not in _epub_fonts(symbols_outputs["epub"])["NotoSansMath-Regular.ttf"]


def test_characters_only_in_a_note_reach_the_subsets(symbols_outputs: dict[str, Path]) -> None:
    """ژ and the Greek word appear only in the footnote: the EPUB's Amiri subset draws ژ,
    and the Greek fallback face is embedded with its letters."""
    embedded = _epub_fonts(symbols_outputs["epub"])
    assert ord("ژ") in embedded["Amiri-Regular.ttf"]
    assert set(map(ord, "λόγος")) <= embedded["NotoSerif-Regular.ttf"]


def test_a_character_only_in_a_note_is_checked_too(tmp_path: Path) -> None:
    source = tmp_path / "note.md"
    source.write_text("---\ntitle: حاشية\n---\n\nنص[^1].\n\n[^1]: كلمة سريانية ܫܠܡܐ.\n",
                      encoding="utf-8")  # fmt: skip
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        missing = warn_uncovered(parse_article(read_source(source)))
    assert set(missing) == set("ܫܠܡܐ")
    reported = [w.message for w in caught if isinstance(w.message, ExportWarning)]
    assert {w.line for w in reported} == {7}


def test_no_coverage_warning_for_the_signs_now_drawn() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert warn_uncovered(parse_article(read_source(SYMBOLS))) == []
    assert not [w for w in caught if isinstance(w.message, ExportWarning)]


def _extra_fonts_config(folder: Path) -> Path:
    """A fontconfig configuration that sees only ``folder``, with a few faces in it: any
    system TrueType fonts there are, and a monospace face the old stylesheets would take."""
    fonts = folder / "fonts"
    fonts.mkdir()
    for found in sorted(Path("/usr/share/fonts").rglob("*.ttf"))[:4]:
        shutil.copy(found, fonts)
    shutil.copy(ROOT / "fonts" / "NotoSansMono-Bold.ttf", fonts / "ExtraMono.ttf")
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><dir>{fonts}</dir><cachedir>{folder / 'cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    return config


def _export_in_process(out_dir: Path, env: dict[str, str]) -> dict[str, bytes]:
    subprocess.run(
        [sys.executable, "-m", "exporter", "build", str(SYMBOLS), "-o", str(out_dir),
         "--jobs", "1", "--force"],
        check=True, capture_output=True, env=env, timeout=300,
    )  # fmt: skip
    return {path.suffix: path.read_bytes() for path in out_dir.glob("symbols.*")}


@pytest.mark.slow  # two exports in processes of their own
def test_extra_system_fonts_change_no_byte(tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith("FONTCONFIG")}
    plain = _export_in_process(tmp_path / "plain", base)
    config = _extra_fonts_config(tmp_path)
    extra = _export_in_process(tmp_path / "extra", {**base, "FONTCONFIG_FILE": str(config)})
    assert set(plain) == {".pdf", ".epub", ".html"}
    for suffix, data in plain.items():
        assert extra[suffix] == data, suffix


@pytest.mark.slow  # every corpus article exported
@pytest.mark.parametrize("stem", STEMS)
def test_corpus_pdfs_embed_bundled_faces_only(stem: str, corpus_outputs: Outputs) -> None:
    fonts = pdffonts(corpus_outputs(stem)["pdf"])
    assert fonts
    assert {_pdf_family(font["name"]) for font in fonts} <= BUNDLED_FAMILIES, fonts
    assert all(font["emb"] == "yes" and font["sub"] == "yes" for font in fonts), fonts
