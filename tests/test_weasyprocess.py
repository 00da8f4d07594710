"""WeasyPrint's part of one input's export in a process of its own: the same files as made
in one process (the PDF's text layer rewritten here while it draws there), no file and no
process left when the export stops, failures reported as errors; WeasyPrint's libraries
found as the standard lookup finds them."""

from __future__ import annotations

import ctypes.util
import re
from pathlib import Path

import pytest
import weasyprint

from exporter.build import export_one
from exporter.engine.libraries import find_in_linker_cache, quick_library_lookup, usable
from exporter.errors import LimitError
from exporter.options import make_options
from exporter.pdf.printhtml import render_print_html
from exporter.pdf.process import _PAGES_WORTH_SHARING, WeasyPrintProcess
from exporter.pdf.readback import pdfium_page_count
from exporter.read.parser import parse_article
from exporter.read.source import read_source
from tests.longdoc import long_document

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
ALL = ("pdf", "epub", "html")


# Headings, lists and tables; harakat and shadda (named spans, raised marks); Latin runs
# in Arabic lines (drawn segment by segment, copytext/runorder.py).
@pytest.mark.parametrize("name", ["structure.md", "vocalised.md", "mixed-latin.md"])
def test_the_files_are_those_made_in_one_process(tmp_path: Path, name: str) -> None:
    source = CORPUS / name
    alone = make_options(out_dir=tmp_path / "alone")
    beside = make_options(out_dir=tmp_path / "beside")
    for options in (alone, beside):
        options.out_dir.mkdir()
    export_one(source, alone)
    with WeasyPrintProcess() as process:
        exported = export_one(source, beside, process)
    assert not process.alive
    stem = source.stem
    assert [path.name for path in exported.written] == [f"{stem}.pdf", f"{stem}.epub",
                                                        f"{stem}.html"]  # fmt: skip
    for path in exported.written:
        assert path.read_bytes() == (alone.out_dir / path.name).read_bytes(), path.name
    assert sorted(p.name for p in beside.out_dir.iterdir()) == sorted(
        p.name for p in exported.written
    )


def test_a_time_limit_stops_it_and_leaves_nothing(tmp_path: Path) -> None:
    source = tmp_path / "long.md"
    source.write_text("\n\n".join(f"فقرة رقم {i} من نص طويل." * 8 for i in range(3000)))
    options = make_options(out_dir=tmp_path / "out", timeout=1)
    options.out_dir.mkdir()
    with WeasyPrintProcess() as process, pytest.raises(LimitError):
        export_one(source, options, process)
    assert not process.alive
    assert list(options.out_dir.iterdir()) == []


def test_a_failure_there_is_an_error_here(tmp_path: Path) -> None:
    """A file it cannot write comes back as the OSError it was, for the caller to name the
    output (a full disk is one line, not an internal error)."""
    options = make_options(out_dir=tmp_path)
    article = parse_article(read_source(CORPUS / "structure.md"), options)
    target = tmp_path / "missing" / "structure.pdf"
    with WeasyPrintProcess() as process:
        html = render_print_html(article, options)
        process.start(article, options, target, html)
        with pytest.raises(FileNotFoundError) as raised:
            process.finish()
    assert raised.value.filename == str(target)


def _names_weasyprint_tries() -> list[str]:
    ffi_source = Path(weasyprint.__file__).parent / "text" / "ffi.py"
    calls = re.findall(r"_dlopen\(\s*ffi,(.*?)\)", ffi_source.read_text(), flags=re.S)
    return [name for call in calls for name in re.findall(r"'([^']+)'", call)]


@pytest.mark.skipif(not usable(), reason="the quick lookup serves x86-64 Linux only")
def test_the_quick_lookup_finds_what_the_standard_one_finds() -> None:
    names = _names_weasyprint_tries()
    assert len(names) > 20 and "libpango-1.0.so.0" in names
    for name in names:
        assert find_in_linker_cache(name) == ctypes.util.find_library(name), name
    standard = ctypes.util.find_library
    with quick_library_lookup():
        assert ctypes.util.find_library is find_in_linker_cache
    assert ctypes.util.find_library is standard


@pytest.mark.slow  # a long document (tests/longdoc.py), rendered twice
def test_a_long_pdf_is_the_one_made_in_one_process(tmp_path: Path) -> None:
    """Past ``_PAGES_WORTH_SHARING`` pages, the two processes share the read-back check."""
    source = tmp_path / "book.md"
    source.write_text(long_document(chapters=2, sections=3), encoding="utf-8")
    alone = make_options(out_dir=tmp_path / "alone", formats=("pdf",))
    beside = make_options(out_dir=tmp_path / "beside", formats=("pdf",))
    for options in (alone, beside):
        options.out_dir.mkdir()
    made_alone = export_one(source, alone)
    with WeasyPrintProcess() as process:
        made_beside = export_one(source, beside, process)
    (pdf,) = made_beside.written
    assert pdfium_page_count(pdf) >= _PAGES_WORTH_SHARING
    assert pdf.read_bytes() == made_alone.written[0].read_bytes()
    assert [w.one_line() for w in made_beside.warnings] == [
        w.one_line() for w in made_alone.warnings
    ]
