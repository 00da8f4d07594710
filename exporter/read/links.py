"""Links and ids settled once the whole article is known, so that every output holds only
links that lead somewhere: an EPUB with a link to a missing file or fragment is invalid
(epubcheck RSC-007, RSC-012), and so is one with a repeated id (RSC-005).

A link to a fragment the article does not define, or to a relative file (exported alone,
the article takes no other file along), loses its ``href`` and stays as text, with a
warning naming it. http, https and mailto links stay as written. A repeated or malformed
id is dropped: the first element keeps it.
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from ..errors import ExportWarning
from ..model import Source

KEPT_SCHEMES = frozenset({"http", "https", "mailto"})
# nh3 writes attributes double-quoted with `"` escaped; values may hold a `>`.
_ID = re.compile(r'\sid="([^"]*)"')
_A_HREF = re.compile(r'(<a\b(?:[^>"]|"[^"]*")*?)\shref="([^"]*)"')


def unique_ids(fragments: Iterable[str], reserved: Iterable[str]) -> tuple[list[str], set[str]]:
    """The fragments with each id kept only where it first occurs (``reserved`` ids belong to
    elements the templates add), and the set of ids that remain."""
    seen = set(reserved)
    out = []

    def keep_first(match: re.Match[str]) -> str:
        value = html.unescape(match.group(1))
        if not value or any(char.isspace() for char in value) or value in seen:
            return ""
        seen.add(value)
        return match.group(0)

    for fragment in fragments:
        out.append(_ID.sub(keep_first, fragment))
    return out, seen


def settle_links(fragment: str, ids: set[str], source: Source) -> str:
    """Every ``<a href>`` of a sanitised fragment checked against the article's ids."""

    def settle(match: re.Match[str]) -> str:
        href = html.unescape(match.group(2))
        problem = _dead_end(href, ids)
        if problem is None:
            return match.group(0)
        at = source.body.find(href)
        line = source.body_first_line + source.body.count("\n", 0, at) if at >= 0 else None
        warnings.warn(
            ExportWarning(f"link {href!r} {problem}: kept as text", path=source.path, line=line),
            stacklevel=2,
        )
        return match.group(1)

    return _A_HREF.sub(settle, fragment)


def _dead_end(href: str, ids: set[str]) -> str | None:
    """Why a link leads nowhere in the exported files, or None when it leads somewhere."""
    parts = urlsplit(href)
    if parts.scheme.lower() in KEPT_SCHEMES:
        return None
    if href.startswith("#"):
        return None if unquote(href[1:]) in ids else "points to nothing in the article"
    return "leads to a file that is not exported with the article"
