"""The title and the chapters' headings as plain text that keeps their isolates: for the
print page's running head and the EPUB's drawn cover.

A running head is a string (CSS GCPM ``string-set``), and the drawn cover is text that
Pillow lays out: both lose the markup by which the bidi pass isolated a run against the
article's direction, and "C++" in an Arabic heading comes out "++C". Each element with a
``dir`` becomes the matching Unicode isolate (UAX #9, 2.4: LRI, RLI or FSI, closed by PDI),
which Pango and FriBiDi order the same way; a footnote's call is left out of the string.
"""

from __future__ import annotations

from lxml import etree

from ..fragment import parse_fragment
from ..model import NOTE_CALL_CLASS

ISOLATES = {"ltr": "\u2066", "rtl": "\u2067", "auto": "\u2068"}
POP_ISOLATE = "\u2069"
RUNNING_HEAD = "data-running-head"  # the attribute the print stylesheet's string-set reads


def isolated_text(element: etree._Element) -> str:
    """The element's text, each child with a ``dir`` wrapped in its isolate."""
    parts = [element.text or ""]
    for child in element:
        if not (child.tag == "sup" and child.get("class") == NOTE_CALL_CLASS):
            inner = isolated_text(child)
            opening = ISOLATES.get(str(child.get("dir", "")).lower())
            parts.append(f"{opening}{inner}{POP_ISOLATE}" if opening else inner)
        parts.append(child.tail or "")
    return "".join(parts)


def plain_isolated(html: str) -> str:
    """Shown HTML (``TitleBlock``, ``Heading.html``) as plain text with its isolates."""
    return isolated_text(parse_fragment(html))


def mark_running_heads(body: etree._Element) -> None:
    """Give each chapter heading of the print body the running head it sets."""
    for heading in body.iter("h1"):
        heading.set(RUNNING_HEAD, isolated_text(heading))
