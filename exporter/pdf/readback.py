"""The read-back check of every PDF export: the written PDF's copy-out text, read by PDFium,
against the logical text of the source as it was laid out (the print HTML). And the
normalisation and comparison it shares with the measurements (``tests/textscore.py``,
``scripts/extraction.py``).

- *tokens*: the white-space-separated pieces of the text, in Unicode NFC, tatweel and
  bidi controls removed: a word with its punctuation, its quotes and brackets, its signs
  and its zero width non-joiners, as a reader copies it. A comma that lands on the next
  word, a lost ZWNJ or a presentation form costs the token.
- *letters*: the letters, marks and digits (Unicode categories L, M, N) of the text in
  NFKC, one per item, tatweel and bidi controls removed.

Each is compared in order (``pdf/textmatch.py``): the share of the source's items a
reader gives back in the source's order. The notes the print layout moves to the foot of
a page are matched on their own, after the body.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .textmatch import gaps, lcs_length, matched

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


_TOKEN_DROPPED = dict.fromkeys(map(ord, TATWEEL + "".join(BIDI_CONTROLS)))


def tokens(text: str) -> list[str]:
    """The text's white-space-separated tokens, NFC, without tatweel or bidi controls."""
    return unicodedata.normalize("NFC", text).translate(_TOKEN_DROPPED).split()


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

    return _blocks_apart(lxml_html.document_fromstring(html).body).text_content()


def _blocks_apart(root: Any) -> Any:
    """``root`` with a line break around each block element's text, so that the text of
    two blocks never runs into one word."""
    for element in root.iter():
        if element.tag in _BLOCKS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    return root


@dataclass(frozen=True)
class LogicalText:
    """The text of a laid-out document in reading order: the body, and each note the print
    layout moves to the foot of its page."""

    body: str
    notes: tuple[str, ...] = ()


def logical_text(html: str) -> LogicalText:
    """The logical text of the print HTML's body, each placed note apart. The table of
    contents (``role="doc-toc"``) is left out: it repeats the headings, with the leaders and
    page numbers the layout adds. A table's footer is read after its rows."""
    from lxml import html as lxml_html

    from ..render.footnotes import PLACED_NOTE_CLASS

    body = lxml_html.document_fromstring(html).body
    for contents in body.xpath("//*[@role='doc-toc']"):
        tail = contents.tail
        contents.clear()
        contents.tail = tail
    for footer in body.xpath("//table/tfoot"):
        # Laid out under the rows (on every page the table runs over), wherever it is in
        # the source (HTML, 4.9.7).
        footer.getparent().append(footer)
    notes = []
    for note in body.xpath(f"//*[contains(concat(' ', @class, ' '), ' {PLACED_NOTE_CLASS} ')]"):
        notes.append(_blocks_apart(note).text_content())
        tail = note.tail
        note.clear()
        note.tail = tail
    return LogicalText(_blocks_apart(body).text_content(), tuple(notes))


@dataclass(frozen=True)
class Comparison:
    """What a reader gave back of a text: the shares of its tokens and letters found in
    order, the presentation forms in the reader's text, and the first source tokens not
    found, each with what the reader has at its place."""

    tokens: float
    letters: float
    presentation_forms: str
    differences: tuple[tuple[str, str], ...]


def compare(reference: LogicalText, extracted: str) -> Comparison:
    """``extracted`` (a reader's text of the whole document) against ``reference``: the
    body first, then the notes, in order, among the reader's tokens the body left over."""
    found = tokens(extracted)
    parts = [tokens(reference.body), [t for note in reference.notes for t in tokens(note)]]
    pairings = _pairings(parts, found)
    tokens_in_order = letters_in_order = 0
    differences: list[tuple[str, str]] = []
    for number, (wanted, pairs) in enumerate(zip(parts, pairings, strict=True)):
        elsewhere = {j for other, pairs_of in enumerate(pairings) if other != number
                     for _, j in pairs_of}  # fmt: skip
        counts = _count(wanted, pairs, found, elsewhere, differences)
        tokens_in_order += counts[0]
        letters_in_order += counts[1]
    tokens_wanted = sum(map(len, parts))
    letters_wanted = sum(len(letters(t)) for wanted in parts for t in wanted)
    return Comparison(
        tokens=tokens_in_order / tokens_wanted if tokens_wanted else 1.0,
        letters=letters_in_order / letters_wanted if letters_wanted else 1.0,
        presentation_forms=presentation_forms(extracted),
        differences=tuple(differences),
    )


def _pairings(parts: list[list[str]], found: list[str]) -> list[list[tuple[int, int]]]:
    """Each part's tokens paired in order with the reader's tokens the parts before it
    left free."""
    taken: set[int] = set()
    pairings = []
    for wanted in parts:
        free = [j for j in range(len(found)) if j not in taken]
        pairs = [(i, free[j]) for i, j in matched(wanted, [found[j] for j in free])]
        taken.update(j for _, j in pairs)
        pairings.append(pairs)
    return pairings


def _count(
    wanted: list[str], pairs: list[tuple[int, int]], found: list[str], elsewhere: set[int],
    differences: list[tuple[str, str]],
) -> tuple[int, int]:  # fmt: skip
    """The tokens and letters of ``wanted`` found in order: those paired, and what the
    stretches between the pairs share with the reader's tokens there (those another part
    took left out). The first unpaired source tokens go to ``differences``, with the
    reader's tokens at their place."""
    others = [j for j in range(len(found)) if j not in elsewhere]
    place = {j: k for k, j in enumerate(others)}
    local = [(i, place[j]) for i, j in pairs]
    tokens_found = len(pairs)
    letters_found = sum(len(letters(wanted[i])) for i, _ in pairs)
    for source_gap, found_gap in gaps(local, len(wanted), len(others)):
        source_tokens = [wanted[i] for i in source_gap]
        found_tokens = [found[others[k]] for k in found_gap]
        tokens_found += lcs_length(source_tokens, found_tokens)
        letters_found += lcs_length(
            [c for t in source_tokens for c in letters(t)],
            [c for t in found_tokens for c in letters(t)],
        )
        if len(differences) < _DIFFERENCES_NAMED:
            differences.append((" ".join(source_tokens), " ".join(found_tokens[:8])))
    return tokens_found, letters_found


# The export warns (``--strict``: fails) when PDFium gives back fewer of the source's tokens
# in order, or loses any letter.
MIN_TOKENS_FOUND = 0.99
MIN_LETTERS_FOUND = 1.0
_DIFFERENCES_NAMED = 3


def check_text_layer(
    pdf: bytes, html: str, read_back: Callable[[bytes], str] = pdfium_text
) -> None:
    """Read the written PDF back with PDFium (``read_back``: ``pdfium_text`` or another
    way to the same text) and compare it with the logical text that was laid out; warn,
    naming the first tokens that do not come back as written, when fewer than
    ``MIN_TOKENS_FOUND`` of the tokens come back in order, a letter is lost, or a
    presentation form appears."""
    import warnings

    from ..errors import ExportWarning

    extracted = read_back(pdf)  # first: it may hand pages to the other process at once
    found = compare(logical_text(html), extracted)
    tokens_short = found.tokens < MIN_TOKENS_FOUND
    letters_short = found.letters < MIN_LETTERS_FOUND
    if not (tokens_short or letters_short or found.presentation_forms):
        return
    differences = "; ".join(
        f"{wanted} as {got or '(nothing)'}"
        for wanted, got in found.differences[:_DIFFERENCES_NAMED]
    )
    problem = (
        f"the PDF's text layer gives back {found.tokens:.3f} of the tokens and "
        f"{found.letters:.4f} of the letters in order (PDFium); "
        f"first tokens not copied as written: {differences or 'none'}"
    )
    if found.presentation_forms:
        problem += f"; presentation forms: {found.presentation_forms}"
    warnings.warn(ExportWarning(problem), stacklevel=2)
