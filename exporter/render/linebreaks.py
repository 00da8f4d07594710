"""Where a line may break, set on the body tree of each target.

Three kinds of text break badly where the engines break them by Unicode's rules (UAX #14):

- a title or heading whose last word is short, left alone on the heading's last line: the
  last two words are kept together;
- inline code, split at its spaces or after a hyphen (``--`` / ``upgrade``): code short
  enough to fit any line is kept whole, longer code breaks at its spaces only;
- addresses (URLs, e-mail addresses) and version strings, broken after ``https://`` or at a
  hyphen that reads as part of them (``dev-`` / ``team@example.com``): an address may break
  after ``/``, ``.``, ``?`` or ``@`` only, a version string not at all.

Text kept together is put in a ``<span class="unbroken">`` (``white-space: nowrap`` in the
stylesheet). Not a no-break space: the PDF's text layer would copy it out as one, and its
bidi class (CS) is not a space's. For the ebook and the web, each break allowed inside an
address is a ``<wbr>`` (browsers break a URL nowhere else) and each hyphenated word of long
code a span of its own. The PDF gets neither: each element of a left-to-right run inside
Arabic is a text box of its own, which PDFium copies out box by box from the right, so a
run split into elements copies out backwards; and WeasyPrint draws ``<wbr>`` as a
zero-width space. Pango breaks after ``/`` and ``?`` on its own, and an address short
enough to fit any line is kept whole instead.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import replace

from lxml import etree
from markupsafe import Markup

from ..fragment import parse_fragment, serialize_fragment
from ..model import NOTE_CALL_CLASS, Footnote

UNBROKEN_CLASS = "unbroken"
# A heading's last word this short (in letters, marks not counted) stays with the one
# before it, when the two are short enough to fit a heading's line on a phone.
SHORT_WORD = 6
MOST_KEPT = 20
# Inline code this long fits a phone's line (390 px) in its font (0.6 em a character), and
# a line of any paper; an address this long, in the PDF, a line of A5, the narrowest paper
# (Amiri's Latin letters, about 0.45 em each). Neither is ever broken.
WHOLE_CODE = 32
WHOLE_ADDRESS = 60
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
LITERAL = frozenset({"code", "kbd", "samp", "pre"})  # text typed for a machine

_LAST_TWO_WORDS = re.compile(r"(\S+)(\s+)(\S+)\s*\Z")
_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"  # RFC 3986, 2.2 and 2.3
_ADDRESS = re.compile(
    rf"(?P<url>(?:https?|ftp)://{_URL_CHARS}+|www\.{_URL_CHARS}+)"
    r"|(?P<email>(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"
    r"|(?P<version>(?<![\w.-])[vV]?[0-9]+(?:\.[0-9]+)+-[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)"
)
# The sentence's punctuation after an address is no part of it.
_TRAILING = ".,;:!?'\""
# A break is allowed after these, where the next character starts a new part.
_BREAK_AFTER = re.compile(r"(?<=[/.?@])(?=[A-Za-z0-9%~_])")
_SCHEME = re.compile(r"\A(?:[A-Za-z]+://)?")


def set_line_breaks(tree: etree._Element, *, split_runs: bool) -> None:
    """Keep headings' last words, code and addresses together in a parsed body (or note);
    with ``split_runs`` (not for the PDF), set where long code and addresses may break
    with elements inside them."""
    for heading in list(tree.iter(*HEADINGS)):
        # Not round a note's call: in print the note itself is set after it, in the heading.
        if not any(sup.get("class") == NOTE_CALL_CLASS for sup in heading.iter("sup")):
            keep_last_words(heading)
    for code in list(tree.iter("code")):
        if _in_literal(code.getparent()):
            continue
        if len(_text(code)) <= WHOLE_CODE:
            _add_class(code)
        elif split_runs and len(code) == 0:
            _keep_hyphenated_words(code)
    _set_address_breaks(tree, split_runs)


def with_line_breaks(note: Footnote, *, split_runs: bool) -> Footnote:
    """A note (of the ebook or the web, set apart from the body) with its line breaks set."""
    tree = parse_fragment(note.html)
    set_line_breaks(tree, split_runs=split_runs)
    return replace(note, html=serialize_fragment(tree))


def unbroken_end(html: str) -> Markup:
    """Shown HTML (``TitleBlock``), its last two words kept together as a heading's are (for
    the title block's title and subtitle)."""
    holder = parse_fragment(html)
    keep_last_words(holder)
    return Markup(serialize_fragment(holder))


def keep_last_words(element: etree._Element) -> None:
    """The element's last two words in one unbroken span, when the last is short."""
    found = _LAST_TWO_WORDS.search(_text(element))
    if found is None or found.end(3) - found.start(1) > MOST_KEPT:
        return
    letters = [char for char in found.group(3) if not unicodedata.category(char).startswith("M")]
    if len(letters) <= SHORT_WORD:
        _wrap_from(element, found.start(1), found.start(2))


def _wrap_from(element: etree._Element, start: int, space: int) -> None:
    """Wrap what ``element`` holds from the character at ``start`` to its end (``space``:
    where the space between the two words is) in an unbroken span, or in the child that
    holds both words. A cut inside a child that holds more moves back to the child's start."""
    offset = len(element.text or "")
    if start < offset:
        _wrap(element, 0, cut=start)
        return
    for index, child in enumerate(element):
        size = len(_text(child))
        if start < offset + size:
            if space < offset + size:
                _wrap_from(child, start - offset, space - offset)
            elif offset + size - start <= MOST_KEPT:
                _wrap(element, index, cut=None)
            return
        offset += size
        if start < offset + len(child.tail or ""):
            _wrap(element, index + 1, cut=start - offset)
            return
        offset += len(child.tail or "")


def _wrap(element: etree._Element, index: int, cut: int | None) -> None:
    """Move the element's children from ``index`` on into a new unbroken span, with the
    text before them from ``cut`` on (None: none of it)."""
    span = etree.Element("span", {"class": UNBROKEN_CLASS})
    if cut is not None:
        holder = element[index - 1] if index else None
        text = (holder.tail if holder is not None else element.text) or ""
        span.text = text[cut:]
        if holder is not None:
            holder.tail = text[:cut]
        else:
            element.text = text[:cut]
    span.extend(element[index:])
    element.insert(index, span)


def _keep_hyphenated_words(code: etree._Element) -> None:
    """Each word of the code's text that holds a hyphen in an unbroken span, so that the
    code breaks at its spaces only (``--numerals``, not ``--`` / ``numerals``)."""
    words = re.split(r"(\s+)", code.text or "")
    if not any("-" in word for word in words):
        return
    code.text = None
    items = [_unbroken(word) if "-" in word else word for word in words]
    _put_in(code, "text", items)


def _set_address_breaks(tree: etree._Element, split_runs: bool) -> None:
    """Every address and version string in the text (code left alone) set as it may
    break. The text slots are listed first: setting one adds elements."""
    slots = [(element, "text") for element in tree.iter() if not _in_literal(element)]
    slots += [
        (child, "tail") for element in tree.iter() if not _in_literal(element) for child in element
    ]
    for owner, slot in slots:
        text = getattr(owner, slot)
        if text and _may_hold_address(text) and _ADDRESS.search(text):
            _set_slot(owner, slot, text, split_runs)


def _may_hold_address(text: str) -> bool:
    """Whether ``text`` holds what every address or version string holds: a plain test
    first, as the pattern tried at each character of a long Arabic text is slow."""
    return "://" in text or "www." in text or "@" in text or "-" in text


def _set_slot(owner: etree._Element, slot: str, text: str, split_runs: bool) -> None:
    """Rewrite one text slot (an element's text, or its tail) with its addresses set."""
    items: list[str | etree._Element] = []
    done = 0
    for found in _ADDRESS.finditer(text):
        address = _without_trailing(found.group())
        pieces = _pieces(found.group("version") is not None, address, split_runs)
        if pieces:
            items += [text[done : found.start()], *pieces]
            done = found.start() + len(address)
    if all(isinstance(item, str) for item in items):
        return
    alone = slot == "text" and owner.tag == "span" and len(owner) == 0 and done == len(text)
    if alone and len(items) == 2 and items[0] == "":  # a span that holds the address alone
        _add_class(owner)
        return
    items.append(text[done:])
    _put_in(owner, slot, items)


def _put_in(owner: etree._Element, slot: str, items: list[str | etree._Element]) -> None:
    """Set a text slot (an element's text, or its tail) to ``items``: the text before the
    first element stays in the slot, each element goes in with the text after it."""
    lead, nodes = "", []
    for item in items:
        if isinstance(item, str):
            if nodes:
                nodes[-1].tail = (nodes[-1].tail or "") + item
            else:
                lead += item
        else:
            nodes.append(item)
    setattr(owner, slot, lead or None)
    parent = owner if slot == "text" else owner.getparent()
    at = 0 if slot == "text" else parent.index(owner) + 1
    for offset, node in enumerate(nodes):
        parent.insert(at + offset, node)


def _pieces(version: bool, address: str, split_runs: bool) -> list[str | etree._Element]:
    """What one address is set as; empty when it is left as it is."""
    if version:
        return [_unbroken(address)]
    if not split_runs:
        return [_unbroken(address)] if len(address) <= WHOLE_ADDRESS else []
    scheme = _SCHEME.match(address).end()  # type: ignore[union-attr]
    bounds = [0, *(m.start() for m in _BREAK_AFTER.finditer(address, scheme + 1)), len(address)]
    out: list[str | etree._Element] = []
    for number, (start, end) in enumerate(itertools.pairwise(bounds)):
        part = address[start:end]
        if number:
            out.append(etree.Element("wbr"))
        # A hyphen, or the scheme, is a break the engines allow and readers misread.
        out.append(_unbroken(part) if "-" in part or (number == 0 and scheme) else part)
    return out


def _without_trailing(address: str) -> str:
    address = address.rstrip(_TRAILING)
    if address.endswith(")") and address.count("(") < address.count(")"):
        address = address[:-1].rstrip(_TRAILING)
    return address


def _unbroken(text: str) -> etree._Element:
    span = etree.Element("span", {"class": UNBROKEN_CLASS})
    span.text = text
    return span


def _add_class(element: etree._Element) -> None:
    classes = (element.get("class") or "").split()
    if UNBROKEN_CLASS not in classes:
        element.set("class", " ".join([*classes, UNBROKEN_CLASS]))


def _in_literal(element: etree._Element | None) -> bool:
    while element is not None:
        if element.tag in LITERAL:
            return True
        element = element.getparent()
    return False


def _text(element: etree._Element) -> str:
    return "".join(element.itertext())
