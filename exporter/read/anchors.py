"""Heading ids and the internal links that point at them.

An id is readable in the heading's own script (``#عنوان-القسم``), unique, and free of
controls. markdown-it percent-encodes every non-ASCII link (``#%D8%B9…``), which no id
matches: WeasyPrint compares the fragment as written and epubcheck reports it (RSC-012),
so an internal link is written back with the id it points at.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape
from urllib.parse import unquote

from markdown_it.token import Token

from ..model import Heading
from .frontmatter import clean_text

TATWEEL = "\u0640"  # stretches a letter on the page; no part of the word


def slugify(text: str) -> str:
    """A readable id for any script: letters and digits kept as they are (Arabic stays
    Arabic), marks, tatweel and punctuation dropped, spaces turned into hyphens."""
    kept = []
    for char in unicodedata.normalize("NFC", clean_text(text)):
        category = unicodedata.category(char)
        if (category[0] in "LN" and char != TATWEEL) or char in "-_":
            kept.append(char.lower())
        elif category == "Zs" or char == "\u200c":
            kept.append(" ")
    return re.sub(r"[\s-]+", "-", "".join(kept).strip()).strip("-")


def clean_id(given: str) -> str:
    """An id the author gave (``{#…}``), without controls or spaces."""
    return re.sub(r"\s+", "-", clean_text(given)).strip("-")


def inline_text(token: Token) -> str:
    return "".join(
        child.content for child in token.children or () if child.type in {"text", "code_inline"}
    )


def assign_heading_ids(tokens: list[Token]) -> list[Heading]:
    headings: list[Heading] = []
    used: set[str] = set()
    for token in tokens:
        if token.attrGet("id"):
            token.attrSet("id", clean_id(str(token.attrGet("id"))))
            used.add(str(token.attrGet("id")))
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        text = clean_text(inline_text(tokens[index + 1]))
        heading_id = str(token.attrGet("id") or "")
        if not heading_id:
            base = slugify(text) or f"section-{len(headings) + 1}"
            heading_id, counter = base, 1
            while heading_id in used:
                counter += 1
                heading_id = f"{base}-{counter}"
            used.add(heading_id)
            token.attrSet("id", heading_id)
        headings.append(Heading(int(token.tag[1]), text, heading_id, html=escape(text)))
    return headings


def point_internal_links(tokens: list[Token], ids: set[str]) -> None:
    """Write each ``#fragment`` link with the id it names: decoded, and when the author
    wrote the heading's words (with marks, or spaces) rather than its id, slugified."""
    for block in tokens:
        for child in block.children or ():
            href = str(child.attrGet("href") or "") if child.type == "link_open" else ""
            if not href.startswith("#"):
                continue
            fragment = unicodedata.normalize("NFC", unquote(href[1:]))
            if fragment not in ids and slugify(fragment) in ids:
                fragment = slugify(fragment)
            child.attrSet("href", f"#{fragment}")
