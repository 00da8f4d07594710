"""Text that WeasyPrint repeats or splits over pages copies out as written: a table's header
row repeated on every page of a long table, a paragraph and a list item that run over a
page break, the running head. Read back from a real PDF with PDFium and poppler, page by
page, and by the export's own read-back check (``pdf/readback.py``), which must stay
silent.

A page of nothing but a two-column table leaves most of its width empty, so PDFium guesses
its lines run top to bottom (cpdf_textpage.cpp, FindTextlineFlowOrientation) and judges a
text object of one glyph by that guess: a one-digit row number drawn alone used to end
the line there, and its row's cells copied out in the wrong order."""

from __future__ import annotations

import subprocess
import warnings
from pathlib import Path

import pytest

from exporter import export
from exporter.errors import ExportWarning
from exporter.pdf.readback import BIDI_CONTROLS, pdfium_pages
from tests.pdfread import PdfReader

ROWS = 80
HEADER = ("البند", "الرمز")
FOOTER = ("المجموع", "ثمانون")
SENTENCE = "هذه جملة طويلة في فقرة تمتد على صفحتين من الكتاب المطبوع."


def _row(number: int) -> str:
    # One-digit numbers on every page, so that some row starts with a one-glyph word.
    return f"| بند رقم {number % 9 + 1} | ROW{number:03d} |"


def split_document(folder: Path) -> Path:
    rows = "\n".join(_row(n) for n in range(1, ROWS + 1))
    long_paragraph = " ".join([SENTENCE] * 60)
    source = folder / "split.md"
    source.write_text(
        "---\ntitle: جداول وفقرات\npaper: A5\n---\n\n"
        f"| {HEADER[0]} | {HEADER[1]} |\n|---|---|\n{rows}\n\n"
        f"{long_paragraph}\n\n- {long_paragraph}\n- بند قصير.\n",
        encoding="utf-8",
    )
    return source


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The PDF, and the export's warnings (its read-back check warns of a text layer that
    does not copy out as written)."""
    folder = tmp_path_factory.mktemp("split")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ExportWarning)
        (pdf,) = export(split_document(folder), out_dir=folder, formats=("pdf",))
    return pdf, [str(w.message) for w in caught if issubclass(w.category, ExportWarning)]


@pytest.fixture(scope="module")
def split_pdf(exported: tuple[Path, list[str]]) -> Path:
    return exported[0]


def test_the_read_back_check_finds_every_letter_in_order(
    exported: tuple[Path, list[str]],
) -> None:
    assert exported[1] == []


def _poppler_pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    # pdftotext wraps each right-to-left line in embedding controls of its own.
    return [page.translate(dict.fromkeys(range(0x202A, 0x202F))) for page in text.split("\f")]


def _table_pages(pages: list[str]) -> list[str]:
    return [page for page in pages if "ROW" in page]


def _lines(page: str) -> list[str]:
    return [line.strip() for line in page.replace("\r\n", "\n").split("\n") if line.strip()]


def test_the_table_runs_over_three_pages_or_more(split_pdf: Path) -> None:
    reader = PdfReader(split_pdf)
    try:
        pages = [n for n in range(1, len(reader) + 1) if "ROW" in reader.page_text(n)]
    finally:
        reader.close()
    assert len(pages) >= 3


def test_each_page_header_copies_out_as_written_with_pdfium(split_pdf: Path) -> None:
    pages = _table_pages(pdfium_pages(split_pdf))
    assert len(pages) >= 3
    for number, page in enumerate(pages):
        header = next(line for line in _lines(page) if HEADER[0] in line)
        assert header == " ".join(HEADER), (number, header)


def test_each_page_header_copies_out_as_written_with_poppler(split_pdf: Path) -> None:
    pages = _table_pages(_poppler_pages(split_pdf))
    assert len(pages) >= 3
    for number, page in enumerate(pages):
        words = page.split()
        assert HEADER[0] in words and HEADER[1] in words, number
        assert "دنبلا" not in page and "زمرلا" not in page, number  # not reversed


def test_every_row_copies_out_whole_and_in_order_with_pdfium(split_pdf: Path) -> None:
    rows = [line for page in pdfium_pages(split_pdf) for line in _lines(page) if "ROW" in line]
    wanted = [_row(n).strip("| ").replace(" | ", " ") for n in range(1, ROWS + 1)]
    found = [line.translate(dict.fromkeys(map(ord, BIDI_CONTROLS))) for line in rows]
    assert found == wanted


def test_no_stray_bidi_control_between_cells(split_pdf: Path) -> None:
    for page in pdfium_pages(split_pdf):
        for line in _lines(page):
            if HEADER[0] in line:
                assert not set(line) & BIDI_CONTROLS, repr(line)


def test_the_split_paragraph_and_list_item_copy_out_whole(split_pdf: Path) -> None:
    for text in ("".join(pdfium_pages(split_pdf)), "".join(_poppler_pages(split_pdf))):
        plain = " ".join(text.translate(dict.fromkeys(map(ord, BIDI_CONTROLS))).split())
        assert plain.count(SENTENCE) >= 110  # the sentence, 120 times, over page breaks


def footed_document(folder: Path) -> Path:
    """A table with a footer row (HTML: Markdown makes none), repeated on every page."""
    rows = "\n".join(
        f"<tr><td>بند رقم {n % 9 + 1}</td><td>ROW{n:03d}</td></tr>" for n in range(1, ROWS + 1)
    )
    source = folder / "footed.md"
    source.write_text(
        "---\ntitle: جدول بتذييل\npaper: A5\n---\n\n<table><thead><tr>"
        f"<th>{HEADER[0]}</th><th>{HEADER[1]}</th></tr></thead><tfoot><tr>"
        f"<td>{FOOTER[0]}</td><td>{FOOTER[1]}</td></tr></tfoot><tbody>\n{rows}\n"
        "</tbody></table>\n",
        encoding="utf-8",
    )
    return source


def test_a_repeated_footer_copies_out_under_the_rows_of_each_page(tmp_path: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ExportWarning)
        (pdf,) = export(footed_document(tmp_path), out_dir=tmp_path, formats=("pdf",))
    assert [str(w.message) for w in caught if issubclass(w.category, ExportWarning)] == []
    pages = _table_pages(pdfium_pages(pdf))
    assert len(pages) >= 3
    for number, page in enumerate(pages):
        lines = _lines(page)
        last_row = max(at for at, line in enumerate(lines) if "ROW" in line)
        assert lines[last_row + 1] == " ".join(FOOTER), number
    for number, page in enumerate(_table_pages(_poppler_pages(pdf))):
        assert page.index(FOOTER[0]) > page.rindex("ROW"), number


def test_cells_of_one_digit_copy_out_in_their_rows_order(tmp_path: Path) -> None:
    """A cell that is one glyph and nothing else, on pages of nothing but the table."""
    rows = "\n".join(f"| {n % 9 + 1} | ROW{n:03d} |" for n in range(1, ROWS + 1))
    source = tmp_path / "digits.md"
    source.write_text(
        f"---\ntitle: أرقام\npaper: A5\n---\n\n| الرقم | الرمز |\n|---|---|\n{rows}\n",
        encoding="utf-8",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ExportWarning)
        (pdf,) = export(source, out_dir=tmp_path, formats=("pdf",))
    assert [str(w.message) for w in caught if issubclass(w.category, ExportWarning)] == []
    pages = pdfium_pages(pdf)
    assert len(_table_pages(pages)) >= 3
    found = [line for page in pages for line in _lines(page) if "ROW" in line]
    assert found == [f"{n % 9 + 1} ROW{n:03d}" for n in range(1, ROWS + 1)]
