"""Print footnotes: each note put where it is first called, for ``float: footnote``: the
page that holds the call then holds the note."""

from __future__ import annotations

import re

from lxml import etree

from ..fragment import parse_fragment, unwrap
from ..model import Footnote
from .notes import note_calls

# The class the print stylesheet floats to the foot of the page.
PLACED_NOTE_CLASS = "footnote"
# Whitespace at either end of a note, as str.strip() finds it, but the no-break space: an
# author's &nbsp; stays.
_LEADING_SPACE = re.compile(r"\A[^\S\u00a0]+")
_TRAILING_SPACE = re.compile(r"[^\S\u00a0]+\Z")


def inline_footnotes(body: etree._Element, notes: tuple[Footnote, ...]) -> None:
    """Put each note after its first call in the parsed body. The call stays as written, a
    link to the note, so that it can be clicked (the stylesheet turns off the engine's own
    unlinked call)."""
    unplaced = {note.id: note for note in notes}
    for call, note_id in list(note_calls(body)):  # listed first: placing a note adds elements
        note = unplaced.pop(note_id, None)
        if note is not None:
            _place(note, call)


def _place(note: Footnote, call: etree._Element) -> None:
    """The note as a span right after the call, in the call's direction."""
    span = etree.Element("span", {"class": PLACED_NOTE_CLASS, "id": note.id})
    if direction := call.get("dir"):
        span.set("dir", direction)
    content = _inline(note.html)
    span.text = content.text
    span.extend(content)
    span.tail, call.tail = call.tail, None
    call.addnext(span)


def _inline(note_html: str) -> etree._Element:
    """The note's content with its paragraphs unwrapped, since the note is now inline: two
    paragraphs in a row are parted by a line break."""
    note = parse_fragment(note_html)
    paragraphs = list(note.iter("p"))
    for paragraph in paragraphs:
        following = paragraph.getnext()
        if paragraph.tail == "\n" and following is not None and _is_plain_paragraph(following):
            paragraph.tail = None
            paragraph.addnext(etree.Element("br"))
    for paragraph in paragraphs:
        unwrap(paragraph)
    _strip_ends(note)
    return note


def _is_plain_paragraph(element: etree._Element) -> bool:
    return element.tag == "p" and not element.attrib


def _strip_ends(note: etree._Element) -> None:
    if note.text:
        note.text = _LEADING_SPACE.sub("", note.text)
    last = note[-1] if len(note) else None
    if last is not None and last.tail:
        last.tail = _TRAILING_SPACE.sub("", last.tail)
    elif last is None and note.text:
        note.text = _TRAILING_SPACE.sub("", note.text)
