"""Urdu set in Nastaliq, Arabic and Persian in Naskh, a front-matter key to choose; and a
line height that keeps Nastaliq's tall and deep words off each other and inside the page,
read back from the PDF (PDFium) and from the web page and the EPUB (Chromium)."""

from __future__ import annotations

import itertools
import re
import warnings
import zipfile
from pathlib import Path

import pytest

from exporter import export
from exporter.errors import ExportWarning
from tests.conftest import CORPUS, ROOT
from tests.lineink import browser_lines, pdf_line_inks
from tests.readers import EpubPackage, pdffonts, run_cli

NASTALIQ = ROOT / "tests" / "fixtures" / "nastaliq" / "nastaliq.md"
MM = 72 / 25.4
# The fixture's paper, A5, and its print margins (templates/css/print.css.j2): the text
# area lies between the top and bottom margins, and between the narrower side margins.
A5_WIDTH, A5_HEIGHT = 148 * MM, 210 * MM
TOP, BOTTOM, SIDE = 15 * MM, 18 * MM, 14 * MM
PX = 0.75  # a CSS pixel (WeasyPrint's drawing unit) in points


@pytest.fixture(scope="module")
def nastaliq_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out_dir = tmp_path_factory.mktemp("nastaliq")
    return {path.suffix.lstrip("."): path for path in export(NASTALIQ, out_dir=out_dir)}


def _families(pdf: Path) -> set[str]:
    return {font["name"].split("+")[-1] for font in pdffonts(pdf)}


def _first_family(html: Path) -> str:
    css = html.read_text(encoding="utf-8")
    return re.search(r"\nhtml \{[^}]*?font-family: \"([^\"]+)\"", css).group(1)


def test_urdu_is_set_in_nastaliq(nastaliq_outputs: dict[str, Path]) -> None:
    assert _families(nastaliq_outputs["pdf"]) == {"Noto-Nastaliq-Urdu", "Noto-Nastaliq-Urdu-Bold"}
    assert _first_family(nastaliq_outputs["html"]) == "Noto Nastaliq Urdu"
    package = EpubPackage(nastaliq_outputs["epub"])
    fonts = {i.get("href") for i in package.manifest().values()
             if i.get("media-type", "").startswith("font/")}  # fmt: skip
    assert {"fonts/NotoNastaliqUrdu-Regular.ttf", "fonts/NotoNastaliqUrdu-Bold.ttf"} <= fonts


def test_arabic_and_persian_stay_in_naskh(corpus_outputs) -> None:  # type: ignore[no-untyped-def]
    for stem in ("persian", "vocalised"):
        assert _first_family(corpus_outputs(stem)["html"]) == "Amiri"
        assert not any("Nastaliq" in family for family in _families(corpus_outputs(stem)["pdf"]))


@pytest.mark.parametrize(
    ("lang", "style", "family"),
    [("ur", "naskh", "Amiri"), ("ar", "nastaliq", "Noto Nastaliq Urdu")],
)
def test_front_matter_chooses_the_hand(lang: str, style: str, family: str, tmp_path: Path) -> None:
    source = tmp_path / "article.md"
    body = (CORPUS / "urdu.md").read_text(encoding="utf-8").split("---", 2)[2]
    source.write_text(f"---\ntitle: نمونہ\nlang: {lang}\nscript_style: {style}\n---\n{body}",
                      encoding="utf-8")  # fmt: skip
    written = {
        path.suffix: path for path in export(source, out_dir=tmp_path / "out", formats="pdf,html")
    }
    assert _first_family(written[".html"]) == family
    assert {
        name.replace("-", " ").removesuffix(" Bold") for name in _families(written[".pdf"])
    } == {family}


def test_an_unknown_hand_is_an_error_naming_the_key(tmp_path: Path) -> None:
    source = tmp_path / "article.md"
    source.write_text("---\nlang: ur\nscript_style: kufi\n---\n\nمتن\n", encoding="utf-8")
    done = run_cli("build", str(source), "-o", str(tmp_path / "out"), "-f", "html")
    assert done.returncode == 1
    assert "script_style must be one of naskh, nastaliq, not 'kufi'" in done.stderr
    assert ":3:" in done.stderr or "line 3" in done.stderr


def test_pdf_lines_keep_apart_and_inside_the_text_area(nastaliq_outputs: dict[str, Path]) -> None:
    """Each line drawn alone by PDFium: its ink never reaches the next line's, and the
    body's lines (not the running head and the folio, set in the margins) stay inside the
    text area."""
    pages = 0
    for index in range(3):
        lines = pdf_line_inks(nastaliq_outputs["pdf"], index)
        assert len(lines) >= 3
        pages += 1
        for upper, lower in itertools.pairwise(lines):
            assert upper.bottom < lower.top, (index, upper, lower)
        body = [line for line in lines if TOP < line.baseline * PX < A5_HEIGHT - BOTTOM]
        assert len(body) >= 3
        for line in body:
            assert line.top >= TOP and line.bottom <= A5_HEIGHT - BOTTOM, (index, line)
            # A line's first letter may reach past its start into the margin, as the pen's
            # stroke does in Nastaliq; never far.
            assert line.left >= SIDE / 2 and line.right <= A5_WIDTH - SIDE / 2, (index, line)
    assert pages == 3


@pytest.mark.slow  # Chromium started four times
def test_browser_lines_keep_their_ink_in_their_own_line(
    nastaliq_outputs: dict[str, Path], tmp_path: Path
) -> None:
    """The web page and the EPUB's chapter in Chromium, alternate lines painted red and blue:
    no line's box holds ink of its neighbours' colour."""
    with zipfile.ZipFile(nastaliq_outputs["epub"]) as epub:
        epub.extractall(tmp_path / "epub")
    package = EpubPackage(nastaliq_outputs["epub"])
    chapter = next(
        tmp_path / "epub" / package.member(item.get("href"))
        for item in package.manifest().values()
        if item.get("media-type") == "application/xhtml+xml" and "chapter" in item.get("id", "")
    )
    for document in (nastaliq_outputs["html"], chapter):
        lines = browser_lines(document, tmp_path)
        assert len(lines.boxes) > 15, document.name
        assert lines.intrusions() == [], document.name


def test_no_warning_for_the_fixture() -> None:
    """Every character of the Urdu fixture has a bundled glyph."""
    from exporter import parse_article, read_source
    from exporter.render.coverage import warn_uncovered

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warn_uncovered(parse_article(read_source(NASTALIQ)))
    assert not [w for w in caught if isinstance(w.message, ExportWarning)]
