"""The read-back check of every PDF export: the written PDF's copy-out text, read by PDFium,
against the text that was laid out. And the normalisation it shares with the measurements
(``tests/textscore.py``).

Both texts are normalised the same way first: NFKC (which also folds any presentation
form back to its letter), tatweel and bidi controls removed. Then:

- *letters*: the letters, marks and digits (Unicode categories L, M, N), one per item;
- *words*: maximal runs of such characters, so punctuation and spacing never count, and
  a word glued to its punctuation is still the same word.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

TATWEEL = "\u0640"
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
PRESENTATION_FORMS = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_PRESENTATION_FORM = re.compile(
    "[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in PRESENTATION_FORMS) + "]"
)


_DROPPED = dict.fromkeys(map(ord, TATWEEL + "".join(BIDI_CONTROLS)))


class _ItemsOnly(dict[int, int | str | None]):
    """A ``str.translate`` table, filled as characters come: tatweel and bidi controls
    dropped, letters, marks and digits (Unicode categories L, M, N) kept, anything else
    made a space. A book's text goes through it in C, not one Python step a character."""

    def __missing__(self, code: int) -> int | str | None:
        if len(self) >= _MOST_KEPT:  # an input of very many distinct characters
            self.clear()
        if code in _DROPPED:
            self[code] = None
        else:
            self[code] = code if unicodedata.category(chr(code))[0] in "LMN" else " "
        return self[code]


_MOST_KEPT = 65_536
_ITEMS_ONLY = _ItemsOnly()


def _items_only(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_ITEMS_ONLY)


def letters(text: str) -> list[str]:
    return list(_items_only(text).replace(" ", ""))


def words(text: str) -> list[str]:
    return _items_only(text).split()


def presentation_forms(text: str) -> str:
    """The presentation-form characters in ``text`` (there should be none)."""
    return "".join(sorted(set(_PRESENTATION_FORM.findall(text))))


def pdfium_text(pdf: Path | bytes) -> str:
    """The text PDFium (Chrome's PDF engine) extracts, page after page."""
    return "\n".join(pdfium_pages(pdf))


def pdfium_page_count(pdf: Path | bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def pdfium_pages(pdf: Path | bytes, first: int = 0, stop: int | None = None) -> list[str]:
    """The text PDFium extracts from each page, from page ``first`` (0 for the first) to
    ``stop`` (excluded; the end if None)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for number in range(first, len(document) if stop is None else stop):
            page = document[number]
            text_page = page.get_textpage()
            pages.append(text_page.get_text_range())
            text_page.close()
            page.close()
        return pages
    finally:
        document.close()


_BLOCKS = frozenset(
    (
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    )
)  # fmt: skip


def visible_text(html: str) -> str:
    """The text of an HTML document's body as laid out, blocks apart, words whole (inline
    markup inside a word does not split it)."""
    from lxml import html as lxml_html

    body = lxml_html.document_fromstring(html).body
    for element in body.iter():
        if element.tag in _BLOCKS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    return body.text_content()


# Below this share of the words coming back, whatever their order, the export warns
# (``--strict``: fails). Order is left to the measurements (scripts/extraction.py and
# tests/test_text_layer.py, targets: letters 1.000, words 0.99 in order): PDFium reorders
# left-to-right runs inside right-to-left text (code, URLs, Latin names) on its own, for
# any producer; a word it cannot give back at all means the text layer is damaged.
MIN_WORDS_FOUND = 0.95
# ... and only when at least this many words are lost: in a note of a dozen words, one
# word that PDFium runs into a left-to-right neighbour is not a damaged layer.
MIN_WORDS_MISSING = 5


def words_found(source_text: str, extracted: str) -> tuple[float, list[str]]:
    """The share of the source's words that come back, each as often as it occurs, in
    any order; and the source words that do not, in source order."""
    available = Counter(words(extracted))
    wanted = words(source_text)
    missing = []
    for word in wanted:
        if available[word] > 0:
            available[word] -= 1
        else:
            missing.append(word)
    return (1 - len(missing) / len(wanted) if wanted else 1.0), missing


def check_text_layer(
    pdf: bytes, html: str, read_back: Callable[[bytes], str] = pdfium_text
) -> None:
    """Read the written PDF back with PDFium (``read_back``: ``pdfium_text`` or another
    way to the same text) and compare with the text that was laid out; warn, naming the
    first words that do not come back, when too many are lost or a presentation form
    appears."""
    import warnings

    from ..errors import ExportWarning

    extracted = read_back(pdf)  # first: it may hand pages to the other process at once
    laid_out = visible_text(html)
    share, missing = words_found(laid_out, extracted)
    forms = presentation_forms(extracted)
    damaged = share < MIN_WORDS_FOUND and len(missing) >= MIN_WORDS_MISSING
    if not damaged and not forms:
        return
    problem = (
        f"the PDF's text layer gives back {share:.3f} of the words (PDFium); "
        f"first words missing: {'، '.join(missing[:3]) or 'none'}"
    )
    if forms:
        problem += f"; presentation forms: {forms}"
    warnings.warn(ExportWarning(problem), stacklevel=2)
