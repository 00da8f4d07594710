"""Flow on the printed page: a wide image scaled into the text block as a captioned figure,
a long table repeating its header row on every page it spans."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image

from exporter import export
from tests.pdfread import MM, PdfReader

ROWS = 70


def flow_document(folder: Path) -> Path:
    Image.new("RGB", (2400, 800), (40, 90, 160)).save(folder / "map.png")
    rows = "\n".join(f"| بند رقم {n} | ROW{n:03d} |" for n in range(1, ROWS + 1))
    source = folder / "flow.md"
    source.write_text(
        "---\ntitle: صور وجداول\npaper: A5\n---\n\n"
        "فقرة أولى قبل الصورة العريضة.\n\n![خريطة المنطقة](map.png)\n\n"
        f"فقرة بعد الصورة.\n\n| البند | الرمز |\n|---|---|\n{rows}\n",
        encoding="utf-8",
    )
    return source


@pytest.fixture(scope="module")
def flow_pdf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PdfReader]:
    folder = tmp_path_factory.mktemp("flow")
    (pdf,) = export(flow_document(folder), out_dir=folder, formats=("pdf",))
    reader = PdfReader(pdf)
    yield reader
    reader.close()


def test_a_wide_image_is_scaled_into_the_text_block(flow_pdf: PdfReader) -> None:
    page = flow_pdf.pdfium[0]
    (image,) = list(page.get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]))
    left, bottom, right, top = image.get_bounds()
    # Right to left, the text block's right edge is where the lines start; on its left,
    # the image stays inside the page's margins (A5's narrowest is 14 mm).
    assert right <= flow_pdf.text_extent(1).right + 3
    assert left >= 14 * MM - 1
    assert right - left > 250  # scaled down to the block's width, from 1800 pt wide
    assert right - left == pytest.approx(3 * (top - bottom), rel=0.02)  # not distorted


def test_the_figure_has_its_caption_under_the_image(flow_pdf: PdfReader) -> None:
    text = flow_pdf.page_text(1)
    assert "خريطة المنطقة" in text
    assert text.index("خريطة المنطقة") < text.index("فقرة بعد الصورة")


def test_a_long_table_repeats_its_header_on_every_page(flow_pdf: PdfReader) -> None:
    pages = [n for n in range(1, len(flow_pdf) + 1) if "ROW" in flow_pdf.page_text(n)]
    assert len(pages) >= 2
    for number in pages:
        assert "البند" in flow_pdf.page_text(number), number
    assert sum(flow_pdf.page_text(n).count("ROW") for n in pages) == ROWS  # no row lost
