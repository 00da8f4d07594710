"""Where each character is drawn: Chromium's character boxes for an HTML or XHTML document,
PDFium's for the glyphs of a PDF; and the order a token is expected to read in.

Chromium (``tests/browser.py``): the document is opened as it is, and every character of
the body is measured with ``Range.getBoundingClientRect`` once the fonts have loaded.

PDFium: the exporter's PDF wraps every word in ``/ActualText``, and PDFium spreads such a
replacement text evenly over the word's box, in the replacement's own order: read as it is,
a word reads as written wherever its glyphs are. The glyphs are what a reader sees, so the
replacement texts are taken out of a copy first, and each character PDFium reports is then
one glyph, at its own place. PDFium mirrors a bracket it takes for right to left on its
own, so brackets are compared as one kind.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
from bidi import get_display

from tests.browser import browser

ARABIC = "\u25ca"  # one mark for a run of right-to-left letters and their marks
_BRACKETS = str.maketrans(")]}>", "([{<")
# Every character of the body, in DOM (logical) order, with its box: run by
# ``browser.Page.measure`` once the fonts have loaded.
_CHARACTER_BOXES = """
const boxes = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const range = document.createRange();
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  if (node.parentNode.closest("script, style")) continue;
  for (let i = 0; i < node.data.length; ) {
    const size = node.data.codePointAt(i) > 0xffff ? 2 : 1;
    range.setStart(node, i);
    range.setEnd(node, i + size);
    const r = range.getBoundingClientRect();
    boxes.push([node.data.slice(i, i + size), r.left, r.top, r.right, r.bottom]);
    i += size;
  }
}
return boxes;
"""


@dataclass(frozen=True)
class CharBox:
    char: str
    left: float
    top: float
    right: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def chromium_boxes(document: Path, *, width: int = 1200) -> list[CharBox]:
    """Every character of the document's body, in DOM (logical) order, with its box."""
    with browser() as chromium:
        rows = chromium.open(document, width=width, height=2000).measure(_CHARACTER_BOXES)
    assert isinstance(rows, list) and rows, f"Chromium measured nothing in {document.name}"
    return [CharBox(char, left, top, right, bottom) for char, left, top, right, bottom in rows]


def glyph_lines(pdf: Path, copy: Path) -> list[str]:
    """Every line of the PDF's glyphs, as drawn from left to right (``visible``); the
    replacement texts are taken out into ``copy`` first."""
    without_actual_text(pdf, copy)
    lines: list[list[CharBox]] = [[]]
    document = pdfium.PdfDocument(copy)
    try:
        for page in document:
            text_page = page.get_textpage()
            for index in range(text_page.count_chars()):
                char = text_page.get_text_range(index, 1)
                if char == "\n":
                    lines.append([])
                elif not char.isspace():
                    left, bottom, right, top = text_page.get_charbox(index)
                    lines[-1].append(CharBox(char, left, -top, right, -bottom))
            lines.append([])
    finally:
        document.close()
    return [visible(sorted(line, key=lambda box: box.left + box.right)) for line in lines if line]


def without_actual_text(pdf: Path, copy: Path) -> None:
    """The PDF written to ``copy`` with no ``/ActualText`` in any marked content, named in
    the page's properties or given inline."""
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            properties = page.obj.get("/Resources", {}).get("/Properties", {})
            for name in list(properties.keys()):
                if "/ActualText" in properties[name]:
                    del properties[name]["/ActualText"]
            instructions = pikepdf.parse_content_stream(page)
            for operands, operator in instructions:
                inline = operands[-1] if str(operator) == "BDC" else None
                if isinstance(inline, pikepdf.Dictionary) and "/ActualText" in inline:
                    del inline["/ActualText"]
            page.obj.Contents = document.make_stream(pikepdf.unparse_content_stream(instructions))
        document.save(copy)


def visible(boxes: list[CharBox]) -> str:
    """The characters in the order given, as a reader compares them: no spaces, each run of
    right-to-left letters one mark, brackets of one kind."""
    return comparable("".join(box.char for box in boxes))


def comparable(text: str) -> str:
    out: list[str] = []
    for char in text:
        kind = unicodedata.bidirectional(char)
        if char.isspace() or kind in {
            "BN",
            "LRE",
            "RLE",
            "LRO",
            "RLO",
            "PDF",
            "LRI",
            "RLI",
            "FSI",
            "PDI",
        }:
            continue
        if kind in {"R", "AL", "NSM"}:
            if not out or out[-1] != ARABIC:
                out.append(ARABIC)
            continue
        out.append(char)
    return "".join(out).translate(_BRACKETS)


def as_isolate(token: str) -> str:
    """How a left-to-right isolate shows ``token``, from left to right (UAX #9, python-bidi's
    visual order)."""
    return comparable(get_display(token, base_dir="L"))


def inside_arabic(number: str) -> str:
    """How the bidi algorithm shows ``number`` between two Arabic words, from left to right."""
    before, after = "قبل", "بعد"
    shown = get_display(f"{before} {number} {after}", base_dir="R")
    assert shown.startswith(after[::-1] + " ") and shown.endswith(" " + before[::-1]), shown
    return comparable(shown[len(after) + 1 : -len(before) - 1])


def on_screen(boxes: list[CharBox]) -> str:
    """The characters from left to right, line by line from the top; one line when their
    vertical middles are closer than half a line."""
    shown = [box for box in boxes if not box.char.isspace()]
    height = max((box.bottom - box.top for box in shown), default=0.0)
    lines: list[list[CharBox]] = []
    for box in sorted(shown, key=lambda b: b.middle):
        if lines and abs(lines[-1][0].middle - box.middle) < height / 2:
            lines[-1].append(box)
        else:
            lines.append([box])
    return "".join(visible(sorted(line, key=lambda b: b.left + b.right)) for line in lines)
