"""Cut the ebook's content into content documents: one per ``#`` chapter.

Reading systems lay out, paginate and keep in memory one content document at a time, so a
long book in one file opens slowly and a page count jumps. The content the templates render
(the title block, ``<main>`` and the footnote asides) is split before each top-level
``<h1>`` of ``<main>``; the title block opens the first document, and each footnote goes to
the document that first calls it, so a reader's pop-up note stays in the same file (EPUB
3.3 does not promise that a note in another document can pop up).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

from .xhtml import xhtml


@dataclass(frozen=True)
class Chapter:
    file_name: str
    heading: str | None  # the text of the chapter's h1; None for the opening document
    elements: list[etree._Element]  # the children of its <body>

    def ids(self) -> Iterable[str]:
        for element in self.elements:
            for node in element.iter():
                if isinstance(node.tag, str) and node.get("id"):
                    yield str(node.get("id"))


def chapter_file(number: int, count: int) -> str:
    return "content.xhtml" if count == 1 else f"chapter-{number}.xhtml"


def _groups(main: etree._Element) -> list[list[etree._Element]]:
    """The children of ``<main>``, cut before each top-level ``<h1>`` that follows content."""
    groups: list[list[etree._Element]] = [[]]
    for child in main:
        if child.tag == xhtml("h1") and groups[-1]:
            groups.append([])
        groups[-1].append(child)
    return groups


def _called_notes(elements: Iterable[etree._Element]) -> list[str]:
    called = []
    for element in elements:
        for link in element.iter(xhtml("a")):
            if link.get("role") == "doc-noteref" and (link.get("href") or "").startswith("#"):
                called.append(str(link.get("href"))[1:])
    return called


def split_chapters(elements: list[etree._Element]) -> list[Chapter]:
    """The body elements of each content document, in reading order."""
    main = next(element for element in elements if element.tag == xhtml("main"))
    before = elements[: elements.index(main)]
    notes = {
        str(element.get("id")): element
        for element in elements[elements.index(main) + 1 :]
        if element.get("id")
    }
    others = [e for e in elements[elements.index(main) + 1 :] if not e.get("id")]
    groups = _groups(main)
    chapters: list[Chapter] = []
    for number, group in enumerate(groups, start=1):
        part = etree.Element(main.tag, dict(main.attrib))
        part.text = main.text if number == 1 else None
        part.extend(group)
        body = [*(before if number == 1 else []), part]
        for note_id in _called_notes(group):
            if note_id in notes:
                body.append(notes.pop(note_id))
        heading = group[0] if group and group[0].tag == xhtml("h1") else None
        chapters.append(
            Chapter(
                file_name=chapter_file(number, len(groups)),
                heading=_text(heading) if heading is not None and number > 1 else None,
                elements=body,
            )
        )
    # Notes never called (none in practice) and anything after them close the book.
    chapters[-1].elements.extend([*notes.values(), *others])
    return chapters


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def document_of_ids(chapters: list[Chapter]) -> dict[str, str]:
    """Which content document holds each id."""
    return {id_: chapter.file_name for chapter in chapters for id_ in chapter.ids()}


def relink_across_documents(chapters: list[Chapter], where: dict[str, str]) -> None:
    """Point each ``#id`` link whose target went to another document at that document."""
    for chapter in chapters:
        for element in chapter.elements:
            for link in element.iter(xhtml("a")):
                href = link.get("href") or ""
                # markdown-it percent-encodes the fragment; ids are written as they are.
                target = where.get(unquote(href[1:])) if href.startswith("#") else None
                if target is not None and target != chapter.file_name:
                    link.set("href", f"{target}{href}")
