"""Reading a written PDF back as a reader and a print shop would: page boxes, where the
text sits, the words in a margin, bookmarks, links and where they lead (PDFium and pikepdf)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2

from exporter.model import Heading
from exporter.numerals import to_digits

MM = 72 / 25.4  # PDF points in a millimetre
_BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
MARGIN_BAND = 12 * MM  # the folio sits this close to the paper's foot


@dataclass(frozen=True)
class Extent:
    """The horizontal reach of the ink of a page's text, in points from the left edge."""

    left: float
    right: float


@dataclass(frozen=True)
class Link:
    page: int  # 1-based page that holds the clickable area
    target: str  # the named destination it leads to
    rect: tuple[float, float, float, float]  # left, bottom, right, top


class PdfReader:
    """One PDF opened in both PDFium (text, pixels) and pikepdf (structure)."""

    def __init__(self, path: Path):
        self.path = path
        self.pdfium = pypdfium2.PdfDocument(path)
        self.pike = pikepdf.open(path)
        self._page_numbers = {page.objgen: n for n, page in enumerate(self.pike.pages, 1)}

    def close(self) -> None:
        self.pdfium.close()
        self.pike.close()

    def __len__(self) -> int:
        return len(self.pdfium)

    def box(self, number: int, name: str = "/MediaBox") -> tuple[float, ...]:
        return tuple(float(v) for v in self.pike.pages[number - 1].obj[name])

    def size_mm(self, number: int) -> tuple[float, float]:
        left, bottom, right, top = self.box(number)
        return (right - left) / MM, (top - bottom) / MM

    def text_extent(self, number: int) -> Extent:
        """Leftmost and rightmost ink of the page's characters (spaces left out)."""
        text = self.pdfium[number - 1].get_textpage()
        boxes = [
            text.get_charbox(index)
            for index in range(text.count_chars())
            if not text.get_text_range(index, 1).isspace()
        ]
        return Extent(min(b[0] for b in boxes), max(b[2] for b in boxes))

    def text_in(self, number: int, left: float, bottom: float, right: float, top: float) -> str:
        text = self.pdfium[number - 1].get_textpage()
        return text.get_text_bounded(left, bottom, right, top).strip()

    def line_sizes(self, number: int, top: float, bottom: float) -> dict[int, float]:
        """The text lines between two heights (points from the foot of the page): each
        line's baseline, rounded, and the largest font size on it."""
        text = self.pdfium[number - 1].get_textpage()
        lines: dict[int, float] = {}
        for index in range(text.count_chars()):
            left, low, right, high = text.get_charbox(index)
            if bottom <= low and high <= top and right > left:
                size = pypdfium2.raw.FPDFText_GetFontSize(text.raw, index)
                lines[round(low)] = max(lines.get(round(low), 0), size)
        return lines

    def heading_tops(self) -> dict[str, tuple[int, float]]:
        """Each named destination's page and top edge (where its element starts)."""
        tree = pikepdf.NameTree(self.pike.Root.Names.Dests)
        return {
            str(name): (self._page_numbers[dest[0].objgen], float(dest[3]))
            for name, dest in tree.items()
        }

    def page_text(self, number: int) -> str:
        """The page's text as PDFium reads it, without the bidi controls (invisible marks)
        the text layer gives it to keep punctuation on its side."""
        text = self.pdfium[number - 1].get_textpage().get_text_range()
        return text.translate(_BIDI_CONTROLS)

    def render(self, number: int, dpi: int = 100) -> object:
        return self.pdfium[number - 1].render(scale=dpi / 72, grayscale=True).to_pil()

    def destinations(self) -> dict[str, int]:
        """Each named destination (an element id) and the 1-based page it points to."""
        tree = pikepdf.NameTree(self.pike.Root.Names.Dests)
        return {str(name): self._page_numbers[dest[0].objgen] for name, dest in tree.items()}

    def links(self) -> list[Link]:
        found = []
        for number, page in enumerate(self.pike.pages, 1):
            for annotation in page.obj.get("/Annots", []):
                if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                    rect = tuple(float(v) for v in annotation.Rect)
                    found.append(Link(number, str(annotation.Dest), rect))  # type: ignore[arg-type]
        return found

    def outline(self) -> list[tuple[str, int, list]]:
        """The bookmarks as a tree: (title, page, children)."""

        def walk(items: list) -> list[tuple[str, int, list]]:
            return [
                (item.title, self._page_numbers[item.destination[0].objgen], walk(item.children))
                for item in items
            ]

        with self.pike.open_outline() as outline:
            return walk(outline.root)


def folio(reader: PdfReader, number: int) -> str:
    width = reader.size_mm(number)[0] * MM
    return reader.text_in(number, 0, 0, width, MARGIN_BAND)


# Bidi controls a text layer may carry around runs: invisible, and no part of the words.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                                         "\u2066\u2067\u2068\u2069"))  # fmt: skip


def visible(text: str) -> str:
    """The text without its bidi controls."""
    return text.translate(_BIDI_CONTROLS)


def running_head(reader: PdfReader, number: int, band: float = 16 * MM) -> str:
    """The words in the top margin (``band`` is within it: A4's is 20 mm, A5's 15 mm)."""
    width, height = (side * MM for side in reader.size_mm(number))
    return visible(reader.text_in(number, 0, height - band, width, height))


def blank_pages(reader: PdfReader) -> set[int]:
    """The pages with no text at all, left blank so that what follows opens on a recto."""
    return {n for n in range(1, len(reader) + 1) if not reader.page_text(n).strip()}


def assert_folios(reader: PdfReader, profile: str) -> None:
    """A folio on every page but the first and the blank ones, in the profile's digits, at
    the fore-edge."""
    assert folio(reader, 1) == ""
    for number in sorted(set(range(2, len(reader) + 1)) - blank_pages(reader)):
        assert folio(reader, number) == to_digits(number, profile), number
        width = reader.size_mm(number)[0] * MM
        half = (0, width / 2) if number % 2 else (width / 2, width)  # the fore-edge half
        assert reader.text_in(number, half[0], 0, half[1], MARGIN_BAND) == folio(reader, number)


def heading_tree(title: str, headings: tuple[Heading, ...]) -> list[tuple[str, list]]:
    """The headings nested as their levels nest, under the title."""
    root: tuple[str, list] = (title, [])
    stack: list[tuple[int, tuple[str, list]]] = [(0, root)]
    for heading in headings:
        while stack[-1][0] >= heading.level:
            stack.pop()
        node: tuple[str, list] = (heading.text, [])
        stack[-1][1][1].append(node)
        stack.append((heading.level, node))
    return [root]


def titles(outline: list[tuple[str, int, list]]) -> list[tuple[str, list]]:
    return [(title, titles(children)) for title, _, children in outline]


def is_recto(number: int) -> bool:
    """Page 1 is a recto, and so is every other page after it: a left-hand page when the
    book is bound on the right (CSS Paged Media 3, section 4.3.3)."""
    return number % 2 == 1


def binding_and_fore_edge(reader: PdfReader, number: int, rtl: bool = True) -> tuple[float, float]:
    """The page's blank margins beside its text, at the binding edge and at the fore-edge,
    in points. A recto of a book bound on the right has its binding edge on its right."""
    width = reader.size_mm(number)[0] * MM
    extent = reader.text_extent(number)
    left, right = extent.left, width - extent.right
    binding_on_right = is_recto(number) == rtl
    return (right, left) if binding_on_right else (left, right)


def contents_pages(reader: PdfReader, heading_ids: set[str]) -> list[int]:
    """The pages of the table of contents: those with links to the headings."""
    return sorted({link.page for link in reader.links() if link.target in heading_ids})


def assert_book_pages(reader: PdfReader, title: str, headings: tuple[Heading, ...],
                      head_band: float) -> None:  # fmt: skip
    """A book as a reader leafs through it: the title alone on page 1; the contents on
    pages of their own, from a recto; each chapter opening on a recto, with no running head
    above it; and the pages left blank before a recto blank indeed."""
    ids = {heading.id for heading in headings}
    where = reader.destinations()
    blank = blank_pages(reader)
    assert title in " ".join(visible(reader.page_text(1)).split()), "the title is on page 1"
    assert not [link for link in reader.links() if link.page == 1], "a link on the title page"
    contents = contents_pages(reader, ids)
    assert contents[0] > 1 and is_recto(contents[0]), contents
    assert contents == list(range(contents[0], contents[-1] + 1)), contents
    assert all(where[i] > contents[-1] for i in ids), "a heading on the contents' pages"
    assert set(range(2, contents[0])) <= blank, "the title page's verso is left blank"
    after = contents[-1] + 1  # the text opens on the recto after the contents
    assert is_recto(after) or after in blank, after
    for chapter in (heading for heading in headings if heading.level == 1):
        page = where[chapter.id]
        assert is_recto(page), (chapter.text, page)
        binding, fore_edge = binding_and_fore_edge(reader, page)
        assert binding < fore_edge - 3 * MM, (chapter.text, page, binding, fore_edge)
        assert running_head(reader, page, band=head_band) == "", (chapter.text, page)
        if page + 1 <= len(reader) and page + 1 not in blank:
            assert running_head(reader, page + 1, band=head_band), page + 1
