"""How much of an article's text the PDF readers get back, in order: the measurement the
tests and ``scripts/extraction.py`` make (the export-time check is ``exporter.pdf.readback``).

*Found in order* is the length of the longest common subsequence of the two item
sequences divided by the number of items in the source: 1.000 means every letter (or
word) of the source comes out, in the source's order; items the reader adds (folios,
running heads) cost nothing, items it drops, changes or moves do.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path

from exporter.pdf.readback import letters, pdfium_text, presentation_forms, visible_text, words


def lcs_length(source: Sequence[Hashable], other: Sequence[Hashable]) -> int:
    """Length of the longest common subsequence, bit-parallel (Hyyrö 2004, after
    Allison and Dix 1986): one big-integer step per item of ``other``."""
    masks: dict[Hashable, int] = {}
    for position, item in enumerate(source):
        masks[item] = masks.get(item, 0) | (1 << position)
    full = (1 << len(source)) - 1
    row = full
    for item in other:
        matches = row & masks.get(item, 0)
        row = ((row + matches) | (row - matches)) & full
    return len(source) - row.bit_count()


def found_in_order(source: Sequence[Hashable], other: Sequence[Hashable]) -> float:
    return lcs_length(source, other) / len(source) if source else 1.0


@dataclass(frozen=True)
class Score:
    letters: float
    words: float
    presentation_forms: str


def score(source_text: str, extracted: str) -> Score:
    return Score(
        letters=found_in_order(letters(source_text), letters(extracted)),
        words=found_in_order(words(source_text), words(extracted)),
        presentation_forms=presentation_forms(extracted),
    )


def poppler_text(pdf: Path) -> str:
    """poppler's ``pdftotext``, in reading order (not ``-layout``)."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def mupdf_text(pdf: Path) -> str:
    """MuPDF's ``mutool draw -F txt``."""
    done = subprocess.run(
        ["mutool", "draw", "-q", "-F", "txt", "-o", "-", str(pdf)], capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


READERS: dict[str, Callable[[Path], str]] = {
    "poppler": poppler_text,
    "pdfium": pdfium_text,
    "mupdf": mupdf_text,
}


def laid_out_text(source: Path) -> str:
    """The text of an article as the PDF writer lays it out (the print HTML's body)."""
    from exporter.options import make_options
    from exporter.pdf.printhtml import render_print_html
    from exporter.read.parser import parse_article
    from exporter.read.source import read_source

    options = make_options()
    article = parse_article(read_source(source, max_size=options.max_size), options)
    return visible_text(render_print_html(article, options))
