"""How much of an article's text the PDF readers get back, in order: the measurement the
tests and ``scripts/extraction.py`` make, the same comparison as the export-time check
(``exporter.pdf.readback.compare``).

*Found in order* is the share of the source's items that come out in the source's order:
1.000 means every token (or letter, or word) of the source comes out; items the reader
adds (folios, running heads) cost nothing, items it drops, changes or moves do. A *token*
is a white-space-separated piece of text with its punctuation and zero width non-joiners;
a *word* (the older measure, kept for comparison) is a run of letters and digits only.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path

from exporter.pdf.readback import (
    Comparison,
    LogicalText,
    compare,
    logical_text,
    pdfium_text,
    words,
)
from exporter.pdf.textmatch import lcs_length


def found_in_order(source: Sequence[Hashable], other: Sequence[Hashable]) -> float:
    return lcs_length(source, other) / len(source) if source else 1.0


@dataclass(frozen=True)
class Score:
    tokens: float
    letters: float
    words: float
    presentation_forms: str
    differences: tuple[tuple[str, str], ...]


def score(reference: LogicalText, extracted: str) -> Score:
    found: Comparison = compare(reference, extracted)
    source_words = words(" ".join((reference.body, *reference.notes)))
    return Score(
        tokens=found.tokens,
        letters=found.letters,
        words=found_in_order(source_words, words(extracted)),
        presentation_forms=found.presentation_forms,
        differences=found.differences,
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


def laid_out_text(source: Path) -> LogicalText:
    """The logical text of an article as the PDF writer lays it out (the print HTML's
    body, each placed note apart)."""
    from exporter.options import make_options
    from exporter.pdf.printhtml import render_print_html
    from exporter.read.parser import parse_article
    from exporter.read.source import read_source

    options = make_options()
    article = parse_article(read_source(source, max_size=options.max_size), options)
    return logical_text(render_print_html(article, options))
