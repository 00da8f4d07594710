from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from exporter import export
from exporter.errors import ExportWarning

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "article.md"
CORPUS = ROOT / "tests" / "corpus"


@pytest.fixture(scope="session")
def article_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """article.md exported once to all three formats, through the public API."""
    out_dir = tmp_path_factory.mktemp("dist")
    written = export(ARTICLE, out_dir=out_dir)
    return {path.suffix.lstrip("."): path for path in written}


@pytest.fixture(scope="session")
def corpus_outputs(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[str], dict[str, Path]]:
    """``corpus_outputs("mixed-inline")``: that corpus article exported to all three
    formats, once per test session (per worker under xdist)."""
    out_dir = tmp_path_factory.mktemp("corpus")

    @functools.cache
    def exported(stem: str) -> dict[str, Path]:
        with warnings.catch_warnings():
            # uncovered.md is meant to draw the glyph check's warnings; they have a test.
            warnings.simplefilter("ignore", ExportWarning)
            written = export(CORPUS / f"{stem}.md", out_dir=out_dir)
        return {path.suffix.lstrip("."): path for path in written}

    return exported


BOOK = ROOT / "tests" / "fixtures" / "book" / "book.md"


@pytest.fixture(scope="session")
def book_epub(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The EPUB of a small book with every kind of front matter, three `#` chapters,
    footnotes and images (one without alt text), and the warnings its export gave."""
    import warnings

    out_dir = tmp_path_factory.mktemp("book")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        [path] = export(BOOK, out_dir=out_dir, formats="epub")
    return path, [str(record.message) for record in caught]
