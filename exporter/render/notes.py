"""Notes as the ebook and the web set them, apart from the text: each note's first paragraph
kept apart, so that the templates open the note's first line with its number and its link
back (a number alone in a paragraph above the note reads as a heading, in a reader's
pop-up too); and, for the web, the body cut into its chapters, each followed by the notes
it calls first, so that a note is never farther from its call than the chapter's end."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from lxml import etree
from markupsafe import Markup

from ..fragment import FRAGMENT_ROOT, parse_fragment, serialize_fragment
from ..model import NOTE_CALL_CLASS, NOTE_LINK_CLASS, Footnote


@dataclass(frozen=True)
class Note:
    number: int
    id: str
    # What the note's first paragraph holds, and that paragraph's own attributes (its dir
    # or lang); empty when the note opens with something else (a list, a quotation).
    opening: Markup
    opening_attributes: Mapping[str, str]
    rest: Markup  # the note after its first paragraph


@dataclass(frozen=True)
class BodyPart:
    """A run of the body (a chapter, on the web) and the notes set after it."""

    body: Markup
    notes: tuple[Note, ...] = field(default=())


def relink_images(tree: etree._Element, urls: Mapping[str, str]) -> None:
    """Point each image at the URL the target uses (a data URI, a file in the EPUB...)."""
    for image in tree.iter("img"):
        url = urls.get(image.get("src", ""))
        if url is not None:
            image.set("src", url)


def note_calls(body: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """Each footnote call (its ``<sup>``) in reading order, and the id of its note."""
    for call in body.iter("sup"):
        if call.get("class") != NOTE_CALL_CLASS or len(call) != 1:
            continue
        link = call[0]
        href = link.get("href") or ""
        if link.tag == "a" and link.get("class") == NOTE_LINK_CLASS and href.startswith("#"):
            yield call, href[1:]


def set_apart(note: Footnote, image_urls: Mapping[str, str]) -> Note:
    """The note with its images relinked and its first paragraph apart."""
    tree = parse_fragment(note.html)
    relink_images(tree, image_urls)
    first = tree[0] if len(tree) else None
    if first is None or first.tag != "p" or (tree.text or "").strip():
        return Note(note.number, note.id, Markup(""), {}, Markup(serialize_fragment(tree)))
    opening = serialize_fragment(first)  # what it holds, its own tags left out
    attributes = dict(first.attrib)
    tree.remove(first)  # with its tail, the line break before the next block
    return Note(note.number, note.id, Markup(opening), attributes,
                Markup(serialize_fragment(tree).strip()))  # fmt: skip


def chapter_parts(body: etree._Element, notes: tuple[Note, ...]) -> tuple[BodyPart, ...]:
    """The body cut before each top-level ``<h1>`` that follows content, each part with the
    notes first called in it; a note never called goes to the last part."""
    groups: list[etree._Element] = [etree.Element(FRAGMENT_ROOT)]
    groups[0].text = body.text
    for child in list(body):
        if child.tag == "h1" and (len(groups[-1]) or (groups[-1].text or "").strip()):
            groups.append(etree.Element(FRAGMENT_ROOT))
        groups[-1].append(child)
    unplaced = {note.id: note for note in notes}
    placed: list[list[Note]] = []
    for group in groups:
        placed.append([unplaced.pop(i) for _, i in note_calls(group) if i in unplaced])
    placed[-1].extend(unplaced.values())
    return tuple(
        BodyPart(Markup(serialize_fragment(group)), tuple(part))
        for group, part in zip(groups, placed, strict=True)
    )
