"""Export Arabic (and Persian, Urdu) Markdown articles to PDF, EPUB 3 and HTML."""

from .build import export
from .epub import write_epub
from .errors import ExportError, ExportWarning
from .html import write_html
from .markdown import parse_article
from .model import Article, Asset, Heading, Metadata, Source
from .options import Options
from .source import read_source


def __getattr__(name: str) -> object:
    # write_pdf pulls in WeasyPrint, slow to import: load it only when it is asked for.
    if name == "write_pdf":
        from .pdf import write_pdf

        return write_pdf
    # importlib.metadata alone costs about a tenth of a second of every start: only for
    # --version and those who ask.
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
