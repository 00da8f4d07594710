"""Reading a written PDF back as a reader and a print shop would: page boxes, where the
text sits, the words in a margin, bookmarks, links and where they lead (PDFium and pikepdf)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2

MM = 72 / 25.4  # PDF points in a millimetre


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

    def page_text(self, number: int) -> str:
        return self.pdfium[number - 1].get_textpage().get_text_range()

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
