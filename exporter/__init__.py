"""Export Arabic (and Persian, Urdu) Markdown articles to PDF, EPUB 3 and HTML."""

from importlib.metadata import PackageNotFoundError, version

from .build import export
from .epub import write_epub
from .errors import ExportError, ExportWarning
from .html import write_html
from .markdown import parse_article
from .model import Article, Asset, Heading, Metadata, Source
from .options import Options
from .source import read_source

try:
    __version__ = version("arabic-exporter")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"


def __getattr__(name: str) -> object:
    # write_pdf pulls in WeasyPrint, slow to import: load it only when it is asked for.
    if name == "write_pdf":
        from .pdf import write_pdf

        return write_pdf
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
