"""Notes as a reader sees them in the HTML and in the EPUB, laid out by Chromium: the
note's number and its link back open the note's first line, the arrow points back against
the reading direction, and an image in a note is shown in every format."""

from __future__ import annotations

import base64
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from lxml import etree
from PIL import Image

from exporter import export
from exporter.errors import ExportWarning
from tests.browser import Page, browser
from tests.conftest import BOOK
from tests.readers import EpubPackage

XHTML = "{http://www.w3.org/1999/xhtml}"
OPS_TYPE = "{http://www.idpf.org/2007/ops}type"
DIAGRAM = BOOK.parent / "ornament.png"

# For each note: the top of its first line box (the note's own box), of the link back (or
# the number, in the EPUB), and of the first letter of the note's text after it, in px.
NOTE_LINES = """
return [...document.querySelectorAll(SELECTOR)].map(note => {
  const back = note.querySelector('a[role="doc-backlink"]');
  const walker = document.createTreeWalker(note, NodeFilter.SHOW_TEXT);
  let text = null;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!back.contains(node) && /\\p{L}/u.test(node.data)) { text = node; break; }
  }
  const letter = document.createRange();
  const at = text.data.search(/\\p{L}/u);
  letter.setStart(text, at);
  letter.setEnd(text, at + 1);
  const box = note.getBoundingClientRect();
  const link = back.getBoundingClientRect();
  return {id: note.id, arrow: back.textContent, noteTop: box.top, noteRight: box.right,
          noteLeft: box.left, backTop: link.top, backRight: link.right, backLeft: link.left,
          textTop: letter.getBoundingClientRect().top,
          lineHeight: parseFloat(getComputedStyle(note).lineHeight)};
});
"""


def note_lines(page: Page, selector: str) -> list[dict[str, object]]:
    return page.measure(f"const SELECTOR = {selector!r};" + NOTE_LINES)  # type: ignore[return-value]


@pytest.fixture(scope="module")
def book_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out_dir = tmp_path_factory.mktemp("notes")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExportWarning)  # its image without alt text
        written = export(BOOK, out_dir=out_dir, formats=("html", "epub"))
    return {path.suffix.lstrip("."): path for path in written}


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    with browser() as instance:
        yield instance


def assert_on_the_first_line(note: dict[str, float], start: str) -> None:
    """The link back and the note's text share the note's first line, the link where the
    line starts (on the right in right-to-left text)."""
    half_line = note["lineHeight"] / 2
    assert abs(note["backTop"] - note["noteTop"]) < half_line, note
    assert abs(note["textTop"] - note["backTop"]) < half_line, note
    if start == "right":
        assert note["backRight"] > note["noteRight"] - note["lineHeight"], note
    else:
        assert note["backLeft"] < note["noteLeft"] + note["lineHeight"], note


def test_html_note_opens_with_its_link_back_pointing_right(
    book_outputs: dict[str, Path], chromium: object
) -> None:
    page = chromium.open(book_outputs["html"], width=390, height=844)  # type: ignore[attr-defined]
    notes = note_lines(page, "section.footnotes li")
    assert [note["id"] for note in notes] == ["fn-1", "fn-2", "fn-3"]
    for note in notes:
        assert_on_the_first_line(note, start="right")
        # Back, in right-to-left text, is to the right: U+21AA RIGHTWARDS ARROW WITH HOOK,
        # drawn by the bundled face the page embeds for signs.
        assert note["arrow"] == "\u21aa"
    assert 0x21AA in embedded_cmap(book_outputs["html"], "Noto Sans Math")


def embedded_cmap(html: Path, family: str) -> set[int]:
    """The characters of the subset of ``family`` the web page embeds."""
    face = re.search(
        rf'font-family: "{family}";[^}}]*?url\("data:font/woff;base64,([^"]+)"\)',
        html.read_text(encoding="utf-8"),
    )
    assert face is not None, family
    return set(TTFont(io.BytesIO(base64.b64decode(face.group(1)))).getBestCmap())


def test_html_note_in_a_left_to_right_document_points_left(
    tmp_path: Path, chromium: object
) -> None:
    source = tmp_path / "essay.md"
    source.write_text(
        "---\ntitle: An essay\nlang: en\n---\n\nA claim[^1].\n\n[^1]: A source for it.\n",
        encoding="utf-8",
    )
    (html,) = export(source, out_dir=tmp_path, formats=("html",))
    page = chromium.open(html, width=390, height=844)  # type: ignore[attr-defined]
    (note,) = note_lines(page, "section.footnotes li")
    assert_on_the_first_line(note, start="left")
    assert note["arrow"] == "\u21a9"  # LEFTWARDS ARROW WITH HOOK


def test_epub_note_number_on_the_notes_first_line(
    book_outputs: dict[str, Path], chromium: object, tmp_path: Path
) -> None:
    with zipfile.ZipFile(book_outputs["epub"]) as book:
        book.extractall(tmp_path)
    package = EpubPackage(book_outputs["epub"])
    chapters = [
        tmp_path / package.member(item.get("href"))
        for item in package.manifest().values()
        if item.get("href", "").startswith("chapter-")
    ]
    seen = 0
    for chapter in sorted(chapters):
        # A reading system's pop-up shows the aside as it is: its first paragraph opens
        # with the number, the link back.
        for aside in etree.parse(chapter).iter(f"{XHTML}aside"):
            first = aside[0]
            assert first.tag == f"{XHTML}p" and first[0].get("role") == "doc-backlink"
            assert not (first.text or "").strip() and (first[0].tail or "").strip()
        page = chromium.open(chapter, width=390, height=844)  # type: ignore[attr-defined]
        for note in note_lines(page, "aside.footnote"):
            assert_on_the_first_line(note, start="right")
            seen += 1
    assert seen == 3


@pytest.fixture(scope="module")
def image_in_a_note(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("note-image")
    (folder / "diagram.png").write_bytes(DIAGRAM.read_bytes())
    source = folder / "noted.md"
    source.write_text(
        "---\ntitle: حاشية فيها صورة\n---\n\nنص فيه حاشية[^1].\n\n"
        "[^1]: انظر المخطط: ![مخطط الحروف](diagram.png)\n",
        encoding="utf-8",
    )
    written = export(source, out_dir=folder / "out")
    return {path.suffix.lstrip("."): path for path in written}


SHOWN_IMAGES = """
return [...document.querySelectorAll(SELECTOR)].map(
  image => [image.getAttribute('src').slice(0, 22), image.naturalWidth, image.naturalHeight]);
"""


def test_an_image_in_a_note_shows_on_the_web_page(
    image_in_a_note: dict[str, Path], chromium: object
) -> None:
    page = chromium.open(image_in_a_note["html"], width=390, height=844)  # type: ignore[attr-defined]
    shown = page.measure("const SELECTOR = '.footnotes img';" + SHOWN_IMAGES)
    assert shown == [["data:image/png;base64,", *Image.open(DIAGRAM).size]]


def test_an_image_in_a_note_is_in_the_epub(
    image_in_a_note: dict[str, Path], chromium: object, tmp_path: Path
) -> None:
    with zipfile.ZipFile(image_in_a_note["epub"]) as book:
        book.extractall(tmp_path)
    package = EpubPackage(image_in_a_note["epub"])
    document = tmp_path / package.member("content.xhtml")
    page = chromium.open(document, width=390, height=844)  # type: ignore[attr-defined]
    [[src, width, height]] = page.measure("const SELECTOR = 'aside img';" + SHOWN_IMAGES)
    assert src.startswith("images/") and (width, height) == Image.open(DIAGRAM).size


def test_an_image_in_a_note_is_drawn_in_the_pdf(image_in_a_note: dict[str, Path]) -> None:
    with pikepdf.open(image_in_a_note["pdf"]) as pdf:
        sizes = [
            (int(image.Width), int(image.Height))
            for page in pdf.pages
            for image in page.get_images().values()
        ]
    assert Image.open(DIAGRAM).size in sizes
