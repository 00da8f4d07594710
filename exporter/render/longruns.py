"""Long runs of inline elements with nowhere to break, made cheap in the print body before
WeasyPrint lays them out.

WeasyPrint 70 breaks a line by walking back over the inline boxes that wait on it for a
place to break (``layout/inline.py``: ``split_inline_box``, ``_break_waiting_children``),
again for each box that does not fit; and every inline element costs it a box and a text
layout of its own. Along a run of inline elements with no break opportunity between them,
such as Markdown's ``a`b`c`d`…`` or ``*a**b**c*…`` with no space, the first cost grows with
the square of the run's length. Such a run cannot fit on one line anyway (it would run off
the page), and no writer means it.

So in a run of more than ``LONGEST_RUN`` inline elements, the elements past that many are
set as plain text: their tags are taken out (their text stays, in order), which leaves one
text box where there were thousands, and a zero-width space (U+200B, a break opportunity,
UAX #14 class ZW) after every ``BREAK_EVERY``-th of them lets the run wrap. An element
that carries an id, a link or a note keeps its tags and gets the break opportunity only.
The export warns that it did this. Only the print target is concerned: browsers and
e-readers lay such runs out in linear time.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

from lxml import etree

from ..errors import ExportWarning

ZERO_WIDTH_SPACE = "\u200b"
# Runs up to this many inline elements are left alone: no article's text comes near it
# (a word of 64 pieces each with its own formatting), and it costs WeasyPrint little.
LONGEST_RUN = 64
BREAK_EVERY = 16
# Phrasing elements whose boxes sit on a line (HTML Living Standard, 3.2.5.2.5).
INLINE = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins",
     "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
     "var"}
)  # fmt: skip
# What CSS Text 3 (4.1.1) counts as document white space, and the zero-width space: a
# break opportunity between words.
_SPACE = re.compile(r"[ \t\n\r\f\u200b]")
# Attributes that only style or orient an element: one with no other may lose its tags.
_PLAIN_ATTRIBUTES = frozenset({"dir", "lang", "class"})


@dataclass
class _Run:
    """The inline elements closed since the last break opportunity, in the order closed,
    and those of them opened inside it that may lose their tags."""

    closed: list[etree._Element] = field(default_factory=list)
    plain: list[tuple[int, etree._Element]] = field(default_factory=list)  # (closed as)


@dataclass
class _Edits:
    breaks: list[etree._Element] = field(default_factory=list)  # a break after each
    unwrap: list[etree._Element] = field(default_factory=list)


class _Walk:
    """The body in document order, cut into runs at every break opportunity."""

    def __init__(self) -> None:
        self.edits = _Edits()
        self.run = _Run()
        self.number = 0  # of the run, so that an element is known to open and close in one
        self.opened: dict[etree._Element, int] = {}

    def element(self, element: etree._Element) -> None:
        inline = element.tag in INLINE
        if inline:
            self.opened[element] = self.number
        else:
            self.end_run()  # a block or a void element: no inline element spans it
        self.text(element.text)
        for child in element:
            self.element(child)
            self.text(child.tail)
        if not inline:
            self.end_run()
            return
        self.run.closed.append(element)
        if _is_plain(element) and self.opened.pop(element) == self.number:
            self.run.plain.append((len(self.run.closed) - 1, element))

    def text(self, text: str | None) -> None:
        if text and _SPACE.search(text):
            self.end_run()

    def end_run(self) -> None:
        run, self.run, self.number = self.run, _Run(), self.number + 1
        if len(run.closed) <= LONGEST_RUN:
            return
        self.edits.breaks += run.closed[LONGEST_RUN + BREAK_EVERY - 1 :: BREAK_EVERY]
        self.edits.unwrap += [element for at, element in run.plain if at >= LONGEST_RUN]


def flatten_long_runs(body: etree._Element) -> None:
    """``body`` with its long runs of inline elements made cheap (see the docstring)."""
    if sum(1 for _ in body.iter(*INLINE)) <= LONGEST_RUN:
        return
    walk = _Walk()
    walk.element(body)
    walk.end_run()
    for element in walk.edits.breaks:
        element.tail = ZERO_WIDTH_SPACE + (element.tail or "")
    for element in walk.edits.unwrap:
        _unwrap(element)
    if walk.edits.unwrap:
        warnings.warn(
            ExportWarning(
                f"the PDF sets {len(walk.edits.unwrap)} formatted pieces of text that run "
                f"together with no space (over {LONGEST_RUN} in a row) as plain text"
            ),
            stacklevel=2,
        )


def _is_plain(element: etree._Element) -> bool:
    classes = element.get("class", "")
    return (
        set(element.attrib) <= _PLAIN_ATTRIBUTES and "note" not in classes and "foot" not in classes
    )


def _unwrap(element: etree._Element) -> None:
    """Take the element's tags out, its text, children and tail staying where they were."""
    parent = element.getparent()
    at = parent.index(element)
    before = element.getprevious()
    lead = element.text or ""
    if before is None:
        parent.text = (parent.text or "") + lead
    else:
        before.tail = (before.tail or "") + lead
    children = list(element)
    for offset, child in enumerate(children):
        parent.insert(at + offset, child)
    tail = element.tail or ""
    if children:
        children[-1].tail = (children[-1].tail or "") + tail
    elif before is None:
        parent.text = (parent.text or "") + tail
    else:
        before.tail = (before.tail or "") + tail
    parent.remove(element)
