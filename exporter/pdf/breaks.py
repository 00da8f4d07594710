"""Long runs of inline elements with nowhere to break, made cheap before WeasyPrint lays
them out.

WeasyPrint 70 breaks a line by walking back over the inline boxes that wait on it for a
place to break (``layout/inline.py``: ``split_inline_box``, ``_break_waiting_children``),
again for each box that does not fit; and every inline element costs it a box and a text
layout of its own. Along a run of inline elements with no break opportunity between them,
such as Markdown's ``a`b`c`d`…`` or ``*a**b**c*…`` with no space, the first cost grows with
the square of the run's length: a line of 20 000 such characters takes many minutes. Such
a run cannot fit on one line anyway (it would run off the page), and no writer means it.

So in a run of more than ``_LONGEST_RUN`` inline elements, the elements past that many are
set as plain text: their tags are taken out (their text stays, in order), which leaves one
text box where there were thousands, and a zero-width space (U+200B, a break opportunity,
UAX #14 class ZW) after every ``_BREAK_EVERY``-th of them lets the run wrap. An element
that carries an id, a link or a note keeps its tags and gets the break opportunity only.
The export warns that it did this. An article without such a run is handed over unchanged,
byte for byte; only the PDF is concerned (browsers and e-readers lay such runs out in
linear time).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

from ..errors import ExportWarning

ZERO_WIDTH_SPACE = "\u200b"
# Runs up to this many inline elements are left alone: no article's text comes near it
# (a word of 64 pieces each with its own formatting), and it costs WeasyPrint little.
_LONGEST_RUN = 64
_BREAK_EVERY = 16
# Phrasing elements whose boxes sit on a line (HTML Living Standard, 3.2.5.2.5): a text
# character in place of the end tag of one is text in an inline context.
_INLINE = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins",
     "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
     "var"}
)  # fmt: skip
_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[\s/][^>]*)?)>|[^<]+|<")
_ATTRIBUTE = re.compile(r"""([^\s"'=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
# What CSS Text 3 (4.1.1) counts as document white space, and the zero-width space: a
# break opportunity between words.
_SPACE = re.compile(r"[ \t\n\r\f\u200b]")
# Attributes that only style or orient an element: one with no other may lose its tags.
_PLAIN_ATTRIBUTES = frozenset({"dir", "lang", "class"})


@dataclass
class _Run:
    """The inline elements closed since the last break opportunity."""

    closings: list[tuple[int, int]] = field(default_factory=list)  # each end tag's span
    pairs: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


@dataclass
class _Edits:
    remove: set[tuple[int, int]] = field(default_factory=set)  # spans of tags taken out
    breaks: set[int] = field(default_factory=set)  # where a zero-width space goes
    flattened: int = 0


def with_break_opportunities(html: str) -> str:
    """``html`` with its long runs of inline elements made cheap (see the docstring)."""
    start = html.find("<body")
    if start < 0 or html.count("</", start) <= _LONGEST_RUN:
        return html
    edits = _plan(html, start)
    if not edits.breaks:
        return html
    if edits.flattened:
        warnings.warn(
            ExportWarning(
                f"the PDF sets {edits.flattened} formatted pieces of text that run together "
                f"with no space (over {_LONGEST_RUN} in a row) as plain text"
            ),
            stacklevel=2,
        )
    return _apply(html, edits)


def _plan(html: str, start: int) -> _Edits:
    edits = _Edits()
    run = _Run()
    opened: list[tuple[str, tuple[int, int], bool, int]] = []  # name, span, plain, run number
    runs = 0
    for token in _TOKEN.finditer(html, start):
        closing, name = token.group(1), token.group(2)
        if name is None or name.lower() not in _INLINE:
            if name is not None or _SPACE.search(token.group()):
                _end_run(run, edits)
                run, runs = _Run(), runs + 1
            if name is not None:
                opened.clear()  # a block or a void element: no inline element spans it
            continue
        if not closing:
            opened.append((name.lower(), token.span(), _is_plain(token.group(3)), runs))
            continue
        run.closings.append(token.span())
        for index in range(len(opened) - 1, -1, -1):
            if opened[index][0] == name.lower():
                _, span, plain, number = opened.pop(index)
                if plain and number == runs:
                    run.pairs.append((span, token.span()))
                break
    _end_run(run, edits)
    return edits


def _is_plain(attributes: str) -> bool:
    found = _ATTRIBUTE.findall(attributes)
    names = {name.lower() for name, _ in found}
    classes = " ".join(value for name, value in found if name.lower() == "class")
    return names <= _PLAIN_ATTRIBUTES and "note" not in classes and "foot" not in classes


def _end_run(run: _Run, edits: _Edits) -> None:
    if len(run.closings) <= _LONGEST_RUN:
        return
    past = run.closings[_LONGEST_RUN:]
    edits.breaks.update(end for _, end in past[_BREAK_EVERY - 1 :: _BREAK_EVERY])
    last_kept = run.closings[_LONGEST_RUN - 1]
    for start_tag, end_tag in run.pairs:
        if end_tag > last_kept:
            edits.remove.update((start_tag, end_tag))
            edits.flattened += 1


def _apply(html: str, edits: _Edits) -> str:
    pieces: list[str] = []
    last = 0
    cuts = sorted([(begin, end, "") for begin, end in edits.remove]
                  + [(at, at, ZERO_WIDTH_SPACE) for at in edits.breaks])  # fmt: skip
    for begin, end, insert in cuts:
        pieces += [html[last:begin], insert]
        last = max(last, end)
    pieces.append(html[last:])
    return "".join(pieces)
