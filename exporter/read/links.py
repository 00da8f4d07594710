"""Links and ids settled once the whole article is known, so that every output holds only
links that lead somewhere: an EPUB with a link to a missing file or fragment is invalid
(epubcheck RSC-007, RSC-012), and so is one with a repeated id (RSC-005).

A link to a fragment the article does not define, or to a relative file (exported alone,
the article takes no other file along), loses its ``href`` and stays as text, with a
warning naming it. http, https and mailto links stay as written. A repeated or malformed
id is dropped: the first element keeps it.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from lxml import etree

from ..errors import ExportWarning
from ..model import Source

KEPT_SCHEMES = frozenset({"http", "https", "mailto"})


def unique_ids(fragments: Iterable[etree._Element], reserved: Iterable[str]) -> set[str]:
    """Each id kept only where it first occurs across the parsed fragments, in reading
    order (``reserved`` ids belong to elements the templates add); the ids that remain."""
    seen = set(reserved)
    for fragment in fragments:
        for element in fragment.iter():
            value = element.get("id")
            if value is None:
                continue
            if not value or any(char.isspace() for char in value) or value in seen:
                del element.attrib["id"]
            else:
                seen.add(value)
    return seen


def settle_links(fragment: etree._Element, ids: set[str], source: Source) -> None:
    """Every ``<a href>`` of a parsed fragment checked against the article's ids."""
    for link in fragment.iter("a"):
        href = link.get("href")
        problem = _dead_end(href, ids) if href is not None else None
        if href is None or problem is None:
            continue
        at = source.body.find(href)
        line = source.body_first_line + source.body.count("\n", 0, at) if at >= 0 else None
        warnings.warn(
            ExportWarning(f"link {href!r} {problem}: kept as text", path=source.path, line=line),
            stacklevel=2,
        )
        del link.attrib["href"]


def _dead_end(href: str, ids: set[str]) -> str | None:
    """Why a link leads nowhere in the exported files, or None when it leads somewhere."""
    parts = urlsplit(href)
    if parts.scheme.lower() in KEPT_SCHEMES:
        return None
    if href.startswith("#"):
        return None if unquote(href[1:]) in ids else "points to nothing in the article"
    return "leads to a file that is not exported with the article"
