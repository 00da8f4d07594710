"""Export Arabic (and Persian, Urdu) Markdown articles to PDF, EPUB 3 and HTML."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .build import export
    from .epub.writer import write_epub
    from .errors import ExportError, ExportWarning
    from .model import Article, Asset, Heading, Metadata, Source
    from .options import Options
    from .pdf.writer import write_pdf
    from .read.parser import parse_article
    from .read.source import read_source
    from .web.writer import write_html

# Each public name and the module that defines it. Nothing is imported with the package:
# the command line starts the process that makes the PDF before it imports the rest, and
# WeasyPrint, slow to import, is loaded only where a PDF is made.
_HOMES = {
    "export": "build",
    "write_epub": "epub.writer",
    "ExportError": "errors",
    "ExportWarning": "errors",
    "write_html": "web.writer",
    "parse_article": "read.parser",
    "Article": "model",
    "Asset": "model",
    "Heading": "model",
    "Metadata": "model",
    "Source": "model",
    "Options": "options",
    "write_pdf": "pdf.writer",
    "read_source": "read.source",
}


def __getattr__(name: str) -> object:
    if home := _HOMES.get(name):
        return getattr(importlib.import_module(f".{home}", __name__), name)
    # importlib.metadata alone would slow every start: only for --version and those who
    # ask.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("arabic-exporter")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0.0.0"
    raise AttributeError(f"module 'exporter' has no attribute {name!r}")


__all__ = [
    "Article",
    "Asset",
    "ExportError",
    "ExportWarning",
    "Heading",
    "Metadata",
    "Options",
    "Source",
    "__version__",
    "export",
    "parse_article",
    "read_source",
    "write_epub",
    "write_html",
    "write_pdf",
]
