"""The patches to WeasyPrint and pydyf (``exporter/engine/``): in force during a render and
gone after it, run only on the releases they were written for, and left out on request."""

from __future__ import annotations

import functools
import io
import subprocess
import sys
import threading
import warnings
from pathlib import Path

import pydyf
import pypdfium2
import pytest
import weasyprint
from weasyprint import draw as boxes_drawing
from weasyprint.draw import text as drawing
from weasyprint.layout import block, inline
from weasyprint.layout import float as floats
from weasyprint.pdf import stream as pdfstream

from exporter import engine, export
from exporter.cli import main
from exporter.engine import notelayout, pagerefs, rtllines
from exporter.engine.errors import EngineMismatchError
from exporter.manifest import input_key
from exporter.options import make_options
from exporter.pdf import writer

ARTICLE = """---
title: مقالة قصيرة
lang: ar
---

# عنوان

هذه فقرة عربية قصيرة فيها كلمات كثيرة[^1] تمتد على أكثر من سطر واحد في الصفحة المطبوعة.

[^1]: حاشية قصيرة.
"""
WORDS = ("عربية", "قصيرة", "كلمات", "المطبوعة")

# Every name a patch replaces (the ActualText layer's hook included), by the module or
# class that owns it.
OWNED_NAMES: dict[str, tuple[object, str]] = {
    "weasyprint.layout.inline.avoid_collisions": (inline, "avoid_collisions"),
    "weasyprint.layout.inline.get_next_linebox": (inline, "get_next_linebox"),
    "weasyprint.layout.block._linebox_layout": (block, "_linebox_layout"),
    "weasyprint.draw.text.draw_first_line": (drawing, "draw_first_line"),
    "weasyprint.draw.draw_inline_level": (boxes_drawing, "draw_inline_level"),
    "weasyprint.layout.inline.count_expandable_spaces": (inline, "count_expandable_spaces"),
    "weasyprint.layout.inline.add_word_spacing": (inline, "add_word_spacing"),
    "weasyprint.pdf.stream.Stream.marked": (pdfstream.Stream, "marked"),
    "pydyf.PDF.page_references": (pydyf.PDF, "page_references"),
    "pydyf.PDF.write": (pydyf.PDF, "write"),
    "pydyf.Dictionary.data": (pydyf.Dictionary, "data"),
    "pydyf.Array.data": (pydyf.Array, "data"),
    "pydyf.Stream.data": (pydyf.Stream, "data"),
}
# The mark each patch leaves on what it puts in place of WeasyPrint's or pydyf's name.
PATCH_MARKS = {
    "weasyprint.layout.inline.avoid_collisions": "lays_rtl_lines_once",
    "weasyprint.layout.block._linebox_layout": "keeps_notes_with_calls",
    "pydyf.PDF.page_references": "made_once_per_count",
    "pydyf.PDF.write": "serialises_once",
    "weasyprint.pdf.stream.Stream.marked": "draws_kashidas",
}


def engine_names() -> dict[str, object]:
    """Each name as its owner holds it now (a property itself, not what it gives)."""
    return {label: vars(owner)[name] for label, (owner, name) in OWNED_NAMES.items()}


# As imported, before any render of this process: no patch stays applied between renders.
ORIGINALS = engine_names()


def replaced(before: dict[str, object], now: dict[str, object]) -> list[str]:
    """The names that are not, by identity, the objects they were."""
    return [label for label in before if now[label] is not before[label]]


def marked(names: dict[str, object], label: str) -> bool:
    found = names[label]
    found = found.fget if isinstance(found, property) else found
    return bool(getattr(found, PATCH_MARKS[label], False))


def test_the_names_as_imported_are_weasyprints_and_pydyfs() -> None:
    """What the other tests compare with is upstream's own, not a patch left from before."""
    assert ORIGINALS["weasyprint.layout.inline.avoid_collisions"] is floats.avoid_collisions
    for label, found in ORIGINALS.items():
        function = found.fget if isinstance(found, property) else found
        assert function.__module__.split(".")[0] in {"weasyprint", "pydyf"}, label
        # A context manager's function (Stream.marked) wraps its own generator, upstream's.
        wrapped = getattr(function, "__wrapped__", None)
        assert wrapped is None or wrapped.__module__ == function.__module__, label


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "short.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def spy_on_finisher(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """The engine's names as they are while the PDF is written: recorded from a step of the
    writer's own finisher."""
    seen: list[dict[str, object]] = []
    complete_metadata = writer.complete_metadata

    @functools.wraps(complete_metadata)
    def recording(*args: object) -> None:
        seen.append(engine_names())
        complete_metadata(*args)

    monkeypatch.setattr(writer, "complete_metadata", recording)
    return seen


def spy_on_layout(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """The engine's names as they are while lines are laid out (Pango's line split, which
    no patch replaces, called from inside get_next_linebox)."""
    seen: list[dict[str, object]] = []
    split_first_line = inline.split_first_line

    @functools.wraps(split_first_line)
    def recording(*args: object, **kwargs: object) -> object:
        if not seen:
            seen.append(engine_names())
        return split_first_line(*args, **kwargs)

    monkeypatch.setattr(inline, "split_first_line", recording)
    return seen


def test_each_patch_in_force_during_a_render_and_gone_after(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    while_written = spy_on_finisher(monkeypatch)
    while_laid_out = spy_on_layout(monkeypatch)
    export(source, tmp_path / "out", formats="pdf", jobs=1)
    [names] = while_written
    assert replaced(ORIGINALS, names) == list(OWNED_NAMES)  # every one, the hook included
    assert all(marked(names, label) for label in PATCH_MARKS)
    assert "weasyprint.layout.inline.avoid_collisions" in replaced(ORIGINALS, while_laid_out[0])
    assert marked(while_laid_out[0], "weasyprint.layout.block._linebox_layout")
    assert replaced(ORIGINALS, engine_names()) == []


def test_patches_restored_when_the_render_fails(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*args: object) -> None:
        assert replaced(ORIGINALS, engine_names())  # in force up to here
        raise RuntimeError("a finisher failed")

    monkeypatch.setattr(writer, "complete_metadata", failing)
    with pytest.raises(RuntimeError, match="a finisher failed"):
        export(source, tmp_path / "out", formats="pdf", jobs=1)
    assert replaced(ORIGINALS, engine_names()) == []


def test_a_patch_left_in_place_is_caught() -> None:
    """The check above would fail if a patch were not put back: here one is entered and,
    for a moment, not left."""
    left = rtllines.lay_out_rtl_lines_once()
    left.__enter__()
    try:
        assert replaced(ORIGINALS, engine_names()) == [
            "weasyprint.layout.inline.avoid_collisions",
            "weasyprint.layout.inline.get_next_linebox",
        ]
    finally:
        left.__exit__(None, None, None)
    assert replaced(ORIGINALS, engine_names()) == []


def test_a_program_keeps_its_own_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """A name the embedding program had replaced itself is what it gets back, not upstream's."""

    def its_own(*args: object) -> object:
        return ORIGINALS["weasyprint.layout.inline.get_next_linebox"](*args)  # type: ignore[operator]

    monkeypatch.setattr(inline, "get_next_linebox", its_own)
    with engine.patched():
        assert inline.get_next_linebox is not its_own
    assert inline.get_next_linebox is its_own


def test_overlapping_renders_share_the_patches() -> None:
    """Applied by the first render to start, restored by the last to end, whichever thread
    runs it; an unpatched render waits for the patched ones to end."""
    first_in, second_out, unpatched_in = threading.Event(), threading.Event(), threading.Event()

    def second() -> None:
        first_in.wait(10)
        with engine.patched():
            pass
        second_out.set()

    def unpatched() -> None:
        first_in.wait(10)
        with engine.patched(unpatched=True):
            assert replaced(ORIGINALS, engine_names()) == []
            unpatched_in.set()

    threads = [threading.Thread(target=second), threading.Thread(target=unpatched)]
    with warnings.catch_warnings(record=True) as caught:  # the unpatched render's warning
        warnings.simplefilter("always")
        for thread in threads:
            thread.start()
        with engine.patched():
            first_in.set()
            assert second_out.wait(10)
            assert replaced(ORIGINALS, engine_names())  # the second render ended, not this one
            assert not unpatched_in.wait(0.2)
        for thread in threads:
            thread.join(10)
    assert unpatched_in.is_set() and len(caught) == 1
    assert replaced(ORIGINALS, engine_names()) == []


@pytest.mark.parametrize(
    ("module", "found"), [(weasyprint, "WeasyPrint 71.0"), (pydyf, "pydyf 0.14.0")]
)
def test_another_release_fails_the_build_with_one_line(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: object, found: str
) -> None:
    monkeypatch.setattr(module, "__version__", found.split()[1])
    out, err = io.StringIO(), io.StringIO()
    status = main(["build", str(source), "-o", str(tmp_path / "out"), "--jobs", "1"], out, err)
    assert status == 1
    [line] = err.getvalue().splitlines()
    assert line.startswith(f"error: {source}: found ")
    assert found in line and "WeasyPrint 70.0 and pydyf 0.13.0" in line
    assert "pip install weasyprint==70.0 pydyf==0.13.0" in line and "--unpatched-engine" in line
    assert not (tmp_path / "out" / "short.pdf").exists()
    assert replaced(ORIGINALS, engine_names()) == []


SECOND_PROCESS_BUILD = (
    "import sys, weasyprint\n"
    "weasyprint.__version__ = '71.0'\n"
    "from exporter.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def _build_on_another_release(
    source: Path, out: Path, *flags: str
) -> subprocess.CompletedProcess[str]:
    """``exporter build`` of one input on WeasyPrint "71.0", the PDF written by a second
    process when there are two cores (pdf/process.py)."""
    arguments = ["build", str(source), "-o", str(out), "-f", "pdf,html", *flags]
    return subprocess.run([sys.executable, "-c", SECOND_PROCESS_BUILD, *arguments],
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_another_release_fails_in_the_second_process_too(source: Path, tmp_path: Path) -> None:
    """The error comes back from that process as the one line."""
    done = _build_on_another_release(source, tmp_path / "out")
    assert done.returncode == 1, done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith(f"error: {source}: found WeasyPrint 71.0 and pydyf 0.13.0, ")
    assert "WeasyPrint 70.0 and pydyf 0.13.0" in line


def test_unpatched_in_the_second_process(source: Path, tmp_path: Path) -> None:
    """Unpatched in that process too: the PDF written, and its one warning sent back."""
    done = _build_on_another_release(source, tmp_path / "out", "--unpatched-engine")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("WeasyPrint runs unpatched") == 1
    assert (tmp_path / "out" / "short.pdf").stat().st_size > 1000


def test_unpatched_exports_a_readable_pdf_on_another_release(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    while_written = spy_on_finisher(monkeypatch)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        [pdf] = export(source, tmp_path / "out", formats="pdf", jobs=1, unpatched_engine=True)
    said = [str(record.message) for record in caught if "unpatched" in str(record.message)]
    assert len(said) == 1 and "text layer" in said[0] and "slower" in said[0]
    assert replaced(ORIGINALS, while_written[0]) == []  # no patch, not even while written
    document = pypdfium2.PdfDocument(pdf)
    try:
        text = "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    assert all(word in text for word in WORDS), text


def test_unpatched_is_another_output(source: Path) -> None:
    """It changes the PDF, so it changes the manifest's key: a build with it rebuilds."""
    assert input_key(source, make_options()) != input_key(
        source, make_options(unpatched_engine=True)
    )


def _page(pdf: pydyf.PDF) -> pydyf.Dictionary:
    return pydyf.Dictionary({"Type": "/Page", "Parent": pdf.pages.reference,
                             "MediaBox": pydyf.Array([0, 0, 10, 10])})  # fmt: skip


def test_page_references_answer_as_pydyfs_own() -> None:
    standard = ORIGINALS["pydyf.PDF.page_references"]
    assert isinstance(standard, property)
    pdf = pydyf.PDF()
    with pagerefs.page_references_once_per_count():
        assert vars(pydyf.PDF)["page_references"] is not standard
        for _ in range(5):
            answer = pdf.page_references
            assert answer == standard.fget(pdf)
            assert pdf.page_references is answer  # made again only for another count
            pdf.add_page(_page(pdf))
        assert len(pdf.page_references) == 5
    assert vars(pydyf.PDF)["page_references"] is standard
    pdf.add_page(_page(pdf))  # after: pydyf's own, whatever the patch kept on the PDF
    assert pdf.page_references == standard.fget(pdf) and len(pdf.page_references) == 6


def test_notelayout_refuses_a_line_layout_of_another_shape(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def reordered(context, box, index, child, page_is_empty, new_children):  # type: ignore[no-untyped-def]
        raise AssertionError("never called")

    monkeypatch.setattr(block, "_linebox_layout", reordered)
    with pytest.raises(EngineMismatchError) as raised, notelayout.keep_notes_on_their_pages():
        pass
    assert "(context, box, index, child, new_children, page_is_empty)" in raised.value.problem
    assert block._linebox_layout is reordered
    # Through the render's way in: the patches entered before it are taken back.
    with pytest.raises(EngineMismatchError), engine.patched():
        pass
    now = engine_names()
    assert now["weasyprint.layout.block._linebox_layout"] is reordered
    assert replaced(ORIGINALS, now) == ["weasyprint.layout.block._linebox_layout"]
