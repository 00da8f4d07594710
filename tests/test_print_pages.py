"""The print PDF's pages, read back: paper sizes, mirrored margins, folios, running heads,
the reading direction for viewers, and the boxes a print shop needs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from exporter import export
from tests.pdfread import MM, PdfReader, assert_folios, running_head

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "article.md"
PAPER_MM = {"A4": (210, 297), "A5": (148, 210), "B5": (176, 250), "letter": (215.9, 279.4)}


def export_pdf(source: Path, out_dir: Path, **options: object) -> Path:
    (written,) = export(source, out_dir=out_dir, formats=("pdf",), **options)
    return written


@pytest.fixture(scope="module")
def article_pdf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PdfReader]:
    reader = PdfReader(export_pdf(ARTICLE, tmp_path_factory.mktemp("article")))
    yield reader
    reader.close()


@pytest.mark.parametrize("paper", list(PAPER_MM))
def test_every_page_has_the_paper_size_asked_for(paper: str, tmp_path: Path) -> None:
    reader = PdfReader(export_pdf(ARTICLE, tmp_path, paper=paper.lower()))
    for number in range(1, len(reader) + 1):
        width, height = reader.size_mm(number)
        assert width == pytest.approx(PAPER_MM[paper][0], abs=0.2)
        assert height == pytest.approx(PAPER_MM[paper][1], abs=0.2)
    reader.close()


def test_front_matter_paper_applies_unless_an_option_overrides_it(tmp_path: Path) -> None:
    source = tmp_path / "a5.md"
    source.write_text("---\ntitle: مقال\npaper: A5\n---\n\nنص قصير.\n", encoding="utf-8")
    from_front_matter = PdfReader(export_pdf(source, tmp_path / "fm"))
    from_option = PdfReader(export_pdf(source, tmp_path / "opt", paper="letter"))
    assert from_front_matter.size_mm(1) == pytest.approx(PAPER_MM["A5"], abs=0.2)
    assert from_option.size_mm(1) == pytest.approx(PAPER_MM["letter"], abs=0.2)
    from_front_matter.close()
    from_option.close()


def test_margins_mirror_for_a_book_bound_on_the_right(article_pdf: PdfReader) -> None:
    """Right to left, page 1 is a recto printed on a left-hand page: its binding edge is on
    its right. The text block sits nearer the binding edge than the fore-edge, so it moves
    from one side to the other between facing pages."""
    assert len(article_pdf) >= 3
    offsets = []
    for number in range(1, len(article_pdf) + 1):
        width = article_pdf.size_mm(number)[0] * MM
        extent = article_pdf.text_extent(number)
        gap_left, gap_right = extent.left, width - extent.right
        binding, fore_edge = (gap_right, gap_left) if number % 2 else (gap_left, gap_right)
        assert binding < fore_edge - 3 * MM, (number, gap_left / MM, gap_right / MM)
        offsets.append(extent.left)
    assert abs(offsets[0] - offsets[1]) > 5 * MM
    assert offsets[0] == pytest.approx(offsets[2], abs=0.5 * MM)


def test_folios_in_arabic_indic_digits_on_the_fore_edge(article_pdf: PdfReader) -> None:
    assert_folios(article_pdf, "arabic-indic")


@pytest.mark.parametrize("profile", ["persian", "western"])
def test_folios_follow_the_numeral_profile(profile: str, tmp_path: Path) -> None:
    reader = PdfReader(export_pdf(ARTICLE, tmp_path, numerals=profile))
    assert_folios(reader, profile)
    reader.close()


def test_running_head_on_every_page_but_the_first(article_pdf: PdfReader) -> None:
    assert running_head(article_pdf, 1) == ""
    for number in range(2, len(article_pdf) + 1):
        head = running_head(article_pdf, number)
        # The title's opening words (the head may be cut short with an ellipsis).
        assert head.startswith("هل يربك"), (number, head)


def test_viewers_lay_spreads_out_right_to_left(article_pdf: PdfReader) -> None:
    preferences = article_pdf.pike.Root.ViewerPreferences
    assert preferences.Direction == "/R2L"
    assert bool(preferences.DisplayDocTitle)  # the tagged PDF's own preference is kept


def test_a_left_to_right_document_reads_left_to_right(tmp_path: Path) -> None:
    source = tmp_path / "english.md"
    source.write_text("---\ntitle: An essay\nlang: en\n---\n\nShort text.\n", encoding="utf-8")
    reader = PdfReader(export_pdf(source, tmp_path))
    assert reader.pike.Root.ViewerPreferences.Direction == "/L2R"
    reader.close()
