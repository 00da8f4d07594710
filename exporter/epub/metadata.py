"""The EPUB's package metadata: Dublin Core from the front matter, and EPUB Accessibility
1.1 (section 2.2) discovery metadata from what the book actually contains."""

from __future__ import annotations

from ebooklib import epub

from ..identity import content_identifier
from ..model import Article


def add_descriptive_metadata(book: epub.EpubBook, article: Article) -> None:
    meta = article.metadata
    book.set_identifier(content_identifier(article))
    book.set_title(meta.title)
    book.set_language(meta.lang)
    book.set_direction(meta.dir)
    for number, author in enumerate(meta.authors, start=1):
        # Each creator its own id (two sharing one is RSC-005), and its MARC role.
        book.add_author(author, uid=f"author-{number}", role="aut")
    for name, value in (
        ("description", meta.description),
        ("publisher", meta.publisher),
        ("rights", meta.rights),
        ("date", meta.date.isoformat() if meta.date else None),
    ):
        if value:
            book.add_metadata("DC", name, value)
    for keyword in meta.keywords:
        book.add_metadata("DC", "subject", keyword)


def _schema(book: epub.EpubBook, name: str, value: str) -> None:
    book.add_metadata(None, "meta", value, {"property": f"schema:{name}"})


def add_accessibility_metadata(
    book: epub.EpubBook, *, summary: str, has_images: bool, all_images_described: bool
) -> None:
    """What a reader who cannot see, or reads with a screen reader, can expect. Only what
    the exporter guarantees is claimed: text in reading order, a table of contents and
    headings, text alternatives when every image has one, and no hazard (the exporter
    writes neither sound, nor video, nor animation)."""
    _schema(book, "accessMode", "textual")
    if has_images:
        _schema(book, "accessMode", "visual")
    if all_images_described:
        _schema(book, "accessModeSufficient", "textual")
    if has_images:
        _schema(book, "accessModeSufficient", "textual,visual")
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if has_images and all_images_described:
        features.append("alternativeText")
    for feature in features:
        _schema(book, "accessibilityFeature", feature)
    _schema(book, "accessibilityHazard", "none")
    _schema(book, "accessibilitySummary", summary)
