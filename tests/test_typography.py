"""Arabic typography defaults, read back from the outputs."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

from fontTools.ttLib import TTFont
from lxml import etree

from tests.conftest import ROOT

Outputs = Callable[[str], dict[str, Path]]
ARABIC_PUNCTUATION = "،؛؟."


def poppler_lines(pdf: Path) -> list[list[tuple[float, str]]]:
    """Each line poppler finds, as its words with their left edges."""
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"],
                           capture_output=True, check=True).stdout  # fmt: skip
    root = etree.fromstring(xhtml, etree.XMLParser(recover=True))
    return [
        [(float(w.get("xMin")), w.text or "") for w in line.iter("{*}word")]
        for line in root.iter("{*}line")
    ]


def test_no_line_starts_with_arabic_punctuation(corpus_outputs: Outputs) -> None:
    # A mark pushed past a line break stands alone at the line's right edge (it follows
    # its word without a space); the order poppler gives the letters of a word in does
    # not matter for that.
    lines = poppler_lines(corpus_outputs("vocalised-stacks")["pdf"])
    assert len(lines) > 8
    for words in lines:
        first = max(words)[1]  # a right-to-left line starts at its right edge
        letters = [c for c in first if c.isalnum() or c in ARABIC_PUNCTUATION]
        assert not set(letters) <= set(ARABIC_PUNCTUATION), words


def test_line_height_comes_from_the_font_extents(corpus_outputs: Outputs) -> None:
    font = TTFont(ROOT / "fonts" / "Amiri-Regular.ttf")
    hhea = font["hhea"]
    extent = (hhea.ascent - hhea.descent + hhea.lineGap) / font["head"].unitsPerEm
    css = corpus_outputs("vocalised-stacks")["html"].read_text(encoding="utf-8")
    line_height = float(re.search(r"html \{[^}]*line-height: ([\d.]+);", css).group(1))
    assert extent <= line_height < extent + 0.01


def test_arabic_is_neither_letter_spaced_nor_hyphenated(corpus_outputs: Outputs) -> None:
    css = corpus_outputs("vocalised-stacks")["html"].read_text(encoding="utf-8")
    rule = re.search(r":lang\(ar\), :lang\(fa\), :lang\(ur\) \{([^}]*)\}", css).group(1)
    assert "letter-spacing: 0;" in rule and "hyphens: none;" in rule
    assert "text-justify: inter-word" in css
    assert not re.search(r"letter-spacing: (?!0;)", css)
