"""Where the text of an exported page lands, as a reader sees it: in Chromium (the web page,
an EPUB content document) each character's line and box, and in the PDF (PDFium) each
line's words with their edges.

A break between two characters is where the second one starts a new line; a word, a code
span or an address can then be checked for where it breaks.
"""

from __future__ import annotations

import itertools
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tests.readers import PdfWord, pdf_lines

# For each element the selector finds: its text, and each character's line (the top of its
# box, rounded) and its box's left edge and width. Characters are read through Range
# boxes, text node by text node, as Chromium laid them out.
CHARACTERS_JS = """
const found = [];
for (const element of document.querySelectorAll(SELECTOR)) {
  const chars = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getClientRects()[0];
      chars.push(box ? [node.data[i], Math.round(box.top), box.left, box.width]
                     : [node.data[i], null, null, 0]);
    }
  }
  found.push({tag: element.tagName.toLowerCase(), chars: chars});
}
return found;
"""


@dataclass(frozen=True)
class LaidOutText:
    """An element's text and where Chromium broke its lines."""

    tag: str
    text: str
    tops: list[int | None]  # each character's line
    lefts: list[float | None]
    widths: list[float]

    def breaks(self) -> list[int]:
        """The offsets of the characters that start a new line."""
        lines = [(i, top) for i, top in enumerate(self.tops) if top is not None]
        return [i for (_, a), (i, b) in itertools.pairwise(lines) if b != a]

    def lines(self) -> list[str]:
        cuts = [0, *self.breaks(), len(self.text)]
        return [self.text[a:b] for a, b in itertools.pairwise(cuts)]


def characters_js(selector: str) -> str:
    return CHARACTERS_JS.replace("SELECTOR", repr(selector))


def laid_out(found: object) -> list[LaidOutText]:
    """The JSON ``CHARACTERS_JS`` returns, read."""
    assert isinstance(found, list)
    return [
        LaidOutText(
            tag=item["tag"],
            text="".join(char for char, _, _, _ in item["chars"]),
            tops=[top for _, top, _, _ in item["chars"]],
            lefts=[left for _, _, left, _ in item["chars"]],
            widths=[width for _, _, _, width in item["chars"]],
        )
        for item in found
    ]


def epub_documents(epub: Path, into: Path) -> list[Path]:
    """The EPUB unpacked into a folder, and its content documents (not the nav or cover),
    in the order of their names; each opens in Chromium with its stylesheet and fonts."""
    with zipfile.ZipFile(epub) as archive:
        archive.extractall(into)
    documents = sorted(into.rglob("*.xhtml"))
    return [path for path in documents if path.name not in {"nav.xhtml", "cover.xhtml"}]


def pdf_words(pdf: Path) -> list[list[PdfWord]]:
    """Every line of the PDF as its words from left to right (``tests.readers.pdf_lines``)."""
    return pdf_lines(pdf)


def line_holding(lines: list[list[PdfWord]], *words: str) -> list[PdfWord] | None:
    """The first line on which ``words`` stand side by side, left to right."""
    for line in lines:
        texts = [word.text for word in line]
        for start in range(len(texts) - len(words) + 1):
            if tuple(texts[start : start + len(words)]) == words:
                return line[start : start + len(words)]
    return None
