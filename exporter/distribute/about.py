"""What the catalog and the bags need to know of an article, taken at export time and kept
in the manifest's record (``manifest.Record.about``): the manifest is the incremental
record of the folder, so the catalog never reads a source again to describe it."""

from __future__ import annotations

import hashlib

from ..identity import content_identifier
from ..model import Article

# The longest summary taken from the article's first paragraph, in characters.
SUMMARY_LIMIT = 400
# What a summary cut short ends with.
ELLIPSIS = "\u2026"


def about_article(article: Article) -> dict[str, object]:
    """The article's description for the manifest: plain text, lists of text, or None."""
    meta = article.metadata
    cover = article.cover.path if article.cover is not None else None
    return {
        "title": meta.title,
        "subtitle": meta.subtitle,
        "authors": list(meta.authors),
        "lang": meta.lang,
        "dir": meta.dir,
        "date": meta.date.isoformat() if meta.date else None,
        "description": meta.description,
        "summary": meta.summary or meta.description or first_paragraph(article.body_html),
        "keywords": list(meta.keywords),
        "publisher": meta.publisher,
        "rights": meta.rights,
        "identifier": content_identifier(article),
        "source": hashlib.sha256(article.source.raw).hexdigest(),
        "source_name": article.source.path.name,
        "cover": str(cover) if cover is not None else None,
        "source_organization": meta.source_organization,
        "contact_name": meta.contact_name,
        "contact_email": meta.contact_email,
    }


def first_paragraph(body_html: str) -> str | None:
    """The text of the body's first paragraph with words in it (not a figure's, a note
    call's digits left out), cut at a word before ``SUMMARY_LIMIT`` characters."""
    from lxml import html

    if not body_html.strip():
        return None
    root = html.fragment_fromstring(body_html, create_parent="div")
    for call in root.xpath('//sup[contains(concat(" ", @class, " "), " footnote-call ")]'):
        call.drop_tree()
    for paragraph in root.iter("p"):
        if paragraph.xpath("ancestor::figure|ancestor::aside"):
            continue
        text = " ".join(paragraph.text_content().split())
        if text:
            return shorten(text)
    return None


def shorten(text: str, limit: int = SUMMARY_LIMIT) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,.;:،؛")
    return f"{cut}{ELLIPSIS}"
