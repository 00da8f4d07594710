"""Any Markdown, friendly or hostile, either exports to three valid files or fails with one
clean error line: never a traceback, a stray message, a partial file or a crash.

The command line runs in this process (``--jobs 1``), so an example costs an export and
an epubcheck, not an interpreter start; the PDF, the slowest output, is asked for in about
a third of the examples.
"""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from exporter.cli import main
from tests.hostile_corpus import png
from tests.markdown_strategy import articles
from tests.readers import EpubPackage, run_epubcheck

# Slow tier (make test-fast leaves it out): Hypothesis examples, each exported and checked
# by epubcheck.
pytestmark = pytest.mark.slow

_numbers = itertools.count()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An article folder with the images the generated Markdown names, and one outside."""
    root = tmp_path_factory.mktemp("any-markdown")
    (root / "in").mkdir()
    (root / "in" / "pic.png").write_bytes(png(12, 8))
    (root / "in" / "vector.svg").write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><circle r="4"/></svg>'
    )
    (root / "outside.png").write_bytes(png(5, 5))
    return root / "in"


def _check_outputs(out: Path, formats: list[str]) -> None:
    assert sorted(p.suffix for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        f".{fmt}" for fmt in formats
    )
    epub = next(out.glob("*.epub"))
    report = run_epubcheck(epub)
    assert report.count("FATAL") + report.count("ERROR") == 0, report.lines()
    for document in EpubPackage(epub).spine_documents():
        assert document.get("dir") in {"rtl", "ltr"}
    root = lxml_html.fromstring(next(out.glob("*.html")).read_bytes())
    assert root.get("lang") and root.get("dir") in {"rtl", "ltr"}
    assert not [e for e in root.iter() if isinstance(e.tag, str) and e.tag in {"script", "iframe"}]
    if "pdf" in formats:
        with pikepdf.open(next(out.glob("*.pdf"))) as pdf:
            assert len(pdf.pages) >= 1


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=articles, with_pdf=st.integers(0, 2).map(lambda n: n == 0))
def test_any_markdown_exports_to_valid_files_or_fails_with_one_line(
    folder: Path, text: str, with_pdf: bool
) -> None:
    number = next(_numbers)
    source = folder / f"article-{number}.md"
    source.write_text(text, encoding="utf-8")
    out = folder.parent / f"out-{number}"
    formats = ["epub", "html", *(["pdf"] if with_pdf else [])]
    stdout, stderr = io.StringIO(), io.StringIO()
    status = main(
        ["build", str(source), "-o", str(out), "-f", ",".join(formats), "--jobs", "1"],
        stdout=stdout,
        stderr=stderr,
    )
    lines = stderr.getvalue().splitlines()
    if status == 0:
        assert all(line.startswith(f"warning: {source}:") for line in lines), lines
        _check_outputs(out, formats)
    else:
        assert status == 1, lines
        assert len(lines) == 1 and lines[0].startswith(f"error: {source}:"), lines
        assert "internal error" not in lines[0]
        assert not re.search("[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]", lines[0])
        assert not out.exists() or not [p for p in out.iterdir() if not p.name.startswith(".")]
