"""A drawn line's text operators, regrouped so that every word's glyphs sit together.

WeasyPrint draws a line as a few ``[...] TJ`` arrays of glyph codes and adjustments, in
visual order, with a text rise (``Ts``) around a mark lifted by GPOS. Here those
operators are cut into tokens, each glyph is matched with the characters Pango shaped it
from, and the line is written again with each word's glyphs inside marked content; a
run against the document's direction is drawn as ``runorder.py`` says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .runorder import Token, adjustment, segments_last_first
from .textorder import pdfium_kind

_TJ_TOKEN = re.compile(rb"<([0-9a-fA-F]*)>|(-?[0-9.]+)")


@dataclass(frozen=True)
class DrawnGlyph:
    """One glyph as Pango shaped it: where its characters are in the line's text."""

    start: int  # UTF-8 byte offsets of its cluster in the layout text
    end: int
    rtl: bool
    run: int  # which Pango run (a font and a direction) it belongs to
    glyph_id: int
    font: object  # the run's PangoFont
    width: float = 0.0  # its advance in the PDF, in thousandths of the font size


def _words_of(text: bytes) -> list[int]:
    """For each byte of the line's text, the index of the word it belongs to (-1 for
    white space)."""
    index, owner, previous_space = -1, [], True
    for char in text.decode("utf-8"):
        space = char.isspace()
        if not space and previous_space:
            index += 1
        owner.extend([-1 if space else index] * len(char.encode("utf-8")))
        previous_space = space
    return owner


class _BitmapFont(Exception):
    """A TJ of one-byte codes: a bitmap font, left as WeasyPrint drew it."""


def _tokens(operation: bytes) -> list[bytes] | None:
    """The glyph codes and adjustments of a ``[...] TJ``, one glyph a token."""
    if not (operation.startswith(b"[") and operation.endswith(b"] TJ")):
        return None
    tokens: list[bytes] = []
    for codes, number in _TJ_TOKEN.findall(operation[1:-4]):
        if number:
            tokens.append(number)
        elif len(codes) % 4:
            raise _BitmapFont
        else:
            tokens.extend([b"<" + codes[i : i + 4] + b">" for i in range(0, len(codes), 4)])
    return tokens


@dataclass(slots=True)
class _Event:
    """One piece of the drawn line: an operator, or a token of a TJ array."""

    operation: bytes | None = None
    token: bytes | None = None
    segment: int = -1  # the word segment a glyph belongs to, -1 for none
    width: float = 0.0  # a glyph's advance, in thousandths of the font size
    kind: str = ""  # the PDFium kind of a glyph's characters (textorder.pdfium_kind)
    font: object = None  # a glyph's PangoFont
    space: bool = False  # a glyph drawn for white space
    # Set once, read for every event many times over: a glyph code, or a TJ number.
    is_glyph: bool = False
    is_number: bool = False


def _token_event(token: bytes) -> _Event:
    glyph = token[:1] == b"<"
    return _Event(token=token, is_glyph=glyph, is_number=not glyph)


def _events(drawn: list[bytes]) -> list[_Event] | None:
    events: list[_Event] = []
    for operation in drawn:
        try:
            tokens = _tokens(operation)
        except _BitmapFont:
            return None
        if tokens is None:
            events.append(_Event(operation=operation))
            continue
        events.extend([_token_event(token) for token in tokens])
        events.append(_Event(operation=b""))  # the end of the array
    return events


def _segments(
    events: list[_Event], glyphs: list[DrawnGlyph], text: bytes, rtl_document: bool
) -> list[tuple[str, bool]] | None:
    """Number the words' glyph runs; return each one's characters (logical order) and
    whether it is right to left. A run against the document's direction ("Open
    Publishing Summit" in Arabic) is one segment, spaces included: word by word, the
    readers would put its words in the line's order, backwards."""
    owner = _words_of(text)
    glyph_events = [e for e in events if e.is_glyph]
    if len(glyph_events) != len(glyphs):
        return None
    texts: list[str] = []
    ranges: list[set[tuple[int, int]]] = []
    previous: tuple[int, int] | None = None
    for event, glyph in zip(glyph_events, glyphs, strict=True):
        event.width, event.font = glyph.width, glyph.font
        characters = text[glyph.start : glyph.end].decode("utf-8")
        event.kind, event.space = pdfium_kind(characters[:1] or " "), characters.isspace()
        word = owner[glyph.start] if glyph.start < len(owner) else -1
        key = None if word < 0 else (glyph.run, word)
        if glyph.rtl != rtl_document:  # the whole run, spaces and all, under one key
            key = (-1, len(ranges) if previous is None or previous[0] != -1 else previous[1])
        if key is not None and key != previous:
            ranges.append(set())
            texts.append("rtl" if glyph.rtl else "ltr")
        if key is not None:
            ranges[-1].add((glyph.start, glyph.end))
            event.segment = len(ranges) - 1
        previous = key
    _attach_spaces(glyph_events, glyphs, ranges, [(way == "rtl") == rtl_document for way in texts])
    return [
        (b"".join(text[s:e] for s, e in sorted(spans)).decode("utf-8"), way == "rtl")
        for spans, way in zip(ranges, texts, strict=True)
    ]


def _attach_spaces(
    glyph_events: list[_Event],
    glyphs: list[DrawnGlyph],
    ranges: list[set[tuple[int, int]]],
    preferred: list[bool],
) -> None:
    """Put each space glyph in the span of a word beside it, its character in that span's
    text: the word on its left, else on its right, a word in the document's direction
    first. Alone in a text object, a space glyph has an empty box, and PDFium drops such an
    object (cpdf_textpage.cpp, ProcessTextObject): the words around it would then run
    together or be cut at the wrong place."""
    spaces = {index for index, event in enumerate(glyph_events) if event.segment < 0}
    words = [event.segment for event in glyph_events]
    forward, backward = range(len(words)), range(len(words) - 1, -1, -1)
    for only_preferred in (True, False):
        for order in (forward, backward):
            beside = -1
            for index in order:
                if index not in spaces:
                    beside = words[index]
                elif (
                    glyph_events[index].segment < 0
                    and beside >= 0
                    and (preferred[beside] or not only_preferred)
                ):
                    glyph_events[index].segment = beside
                    ranges[beside].add((glyphs[index].start, glyphs[index].end))


Opener = Callable[[str, bool], list[bytes]]


def _run_arrays(
    array: list[_Event], events: list[_Event], segment: int, against: bool
) -> list[list[bytes]] | None:
    """The TJ arrays that draw a run against the document's direction (``runorder.py``)
    when ``array`` holds all of it and a space glyph of its font is at hand."""
    if not against:
        return None
    glyphs = [e for e in array if e.is_glyph]
    if sum(e.segment == segment and e.is_glyph for e in events) != len(glyphs):
        return None
    space = next((e for e in events if e.is_glyph and e.space and e.font == glyphs[0].font), None)
    if space is None or any(e.font != space.font for e in glyphs):
        return None
    tokens = [Token(e.token or b"", e.width, e.kind if e.is_glyph else "") for e in array]
    return segments_last_first(tokens, Token(space.token or b"", space.width, space.kind))


def rewrite_line(
    drawn: list[bytes], glyphs: list[DrawnGlyph], text: bytes, opener: Opener, rtl_document: bool
) -> list[bytes]:
    """The line's operators with every word's glyphs inside an ActualText span; the
    operators unchanged when they do not match the glyphs Pango reports."""
    events = _events(drawn)
    texts = None if events is None else _segments(events, glyphs, text, rtl_document)
    if events is None or texts is None:
        return drawn
    events = draw_bases_first(events)
    out: list[bytes] = []
    array: list[_Event] = []
    open_segment, depth = -1, 0

    def flush() -> None:
        against = open_segment >= 0 and rtl_document and not texts[open_segment][1]
        trailing = []
        while array and not array[-1].is_glyph:
            trailing.insert(0, array.pop().token or b"")
        arrays = _run_arrays(array, events, open_segment, against)
        if arrays is None:
            arrays = [[e.token or b"" for e in array]]
        arrays[-1].extend(trailing)
        out.extend(b"[" + b"".join(_join(tokens)) + b"] TJ" for tokens in arrays if tokens)
        array.clear()

    def close() -> None:
        # An adjustment after a word's last glyph moves the pen for what follows: kept
        # inside, it stretches the word's box over its neighbour and PDFium misorders them.
        trailing = []
        while array and not array[-1].is_glyph:
            trailing.insert(0, array.pop())
        flush()
        out.extend([b"EMC"] * depth)
        array.extend(trailing)

    for event in events:
        if event.is_glyph and event.segment != open_segment:
            close()
            opening = opener(*texts[event.segment]) if event.segment >= 0 else []
            out.extend(opening)
            open_segment, depth = event.segment, len(opening)
        if event.token is not None:
            array.append(event)
        else:
            flush()
            if event.operation:
                out.append(event.operation)
    close()
    return out


def _raised_mark(events: list[_Event], at: int) -> tuple[float, int, float, int] | None:
    """At ``events[at]``, a glyph raised by WeasyPrint (``r Ts [a <mark>] TJ 0 Ts``)
    and followed, after adjustments only, by a glyph of the same word: the adjustment
    before it, the mark's index, the adjustments between, and the next glyph's index."""
    rise = events[at].operation or b""
    if not rise.endswith(b" Ts") or float(rise.split()[0]) == 0:
        return None
    index, before = at + 1, 0.0
    while index < len(events) and events[index].is_number:
        before += float(events[index].token or 0)
        index += 1
    mark = index
    if mark + 2 >= len(events) or not events[mark].is_glyph or events[mark].segment < 0:
        return None
    if events[mark + 1].operation != b"" or events[mark + 2].operation != b"0 Ts":
        return None
    index, between = mark + 3, 0.0
    while index < len(events) and (events[index].is_number or events[index].operation == b""):
        between += float(events[index].token or 0) if events[index].is_number else 0
        index += 1
    if index == len(events) or events[index].segment != events[mark].segment:
        return None
    return before, mark, between, index


def draw_bases_first(events: list[_Event]) -> list[_Event]:
    """Draw each raised mark after the letter that follows it instead of before, at the
    same place. WeasyPrint draws a mark lifted by GPOS as its own text object, with a text
    rise; when that object opens a word (a right-to-left word whose last letter bears a
    mark), PDFium takes the rise for a new line and cuts the line there."""
    at = 0
    while at < len(events):
        found = _raised_mark(events, at)
        if found is None:
            at += 1
            continue
        before, mark, between, base = found
        mark_width, base_width = events[mark].width, events[base].width
        base_at = -before + mark_width - between  # pen positions, thousandths, leftward -
        mark_at = -before
        number = lambda value: _token_event(adjustment(value))  # noqa: E731
        events[at:base + 1] = [
            number(-base_at), events[base], _Event(operation=b""), events[at],
            number(base_at + base_width - mark_at), events[mark], _Event(operation=b""),
            _Event(operation=b"0 Ts"), number(-(base_at + base_width - mark_at - mark_width)),
        ]  # fmt: skip
        at += 9
    return events


def _join(tokens: list[bytes]) -> list[bytes]:
    """Adjacent glyph codes share one hex string, as WeasyPrint writes them."""
    joined: list[bytes] = []
    codes: list[bytes] = []  # the glyph codes of the hex string being gathered
    for token in tokens:
        if token[:1] == b"<":
            codes.append(token[1:-1])
            continue
        if codes:
            joined.append(b"<" + b"".join(codes) + b">")
            codes = []
        joined.append(b" " + token + b" ")
    if codes:
        joined.append(b"<" + b"".join(codes) + b">")
    return joined
