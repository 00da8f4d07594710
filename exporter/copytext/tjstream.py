"""A drawn line's text operators, regrouped so that every word's glyphs sit together.

WeasyPrint draws a line as a few ``[...] TJ`` arrays of glyph codes and adjustments, in
visual order, with a text rise (``Ts``) around a mark lifted by GPOS. Here those
operators are cut into events, each glyph is matched with the characters Pango shaped it
from, and the line is written again with each word's glyphs inside marked content; a
run against the document's direction is drawn as ``copytext/runorder.py`` says.

This runs for every line of every page, so a line is kept as plain lists: an event is a
glyph's number in the line (``int``), a TJ adjustment (``bytes``), or another operator
(``_Operator``); what is known of glyph ``n`` is at index ``n`` of the line's lists.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from typing import Any, NamedTuple

from .runorder import Token, adjustment, segments_last_first
from .textorder import pdfium_kind

_TJ_TOKEN = re.compile(rb"<([0-9a-fA-F]*)>|(-?[0-9.]+)")
_WHITE_SPACE = re.compile(r"(\s+)")  # \s is what str.isspace() calls white space


class DrawnGlyph(NamedTuple):
    """One glyph as Pango shaped it: where its characters are in the line's text."""

    start: int  # UTF-8 byte offsets of its cluster in the layout text
    end: int
    rtl: bool
    run: int  # which Pango run (a font and a direction) it belongs to
    font: object  # its run's font, numbered within the line (only ever compared)
    width: float = 0.0  # its advance in the PDF, in thousandths of the font size


class _Operator(NamedTuple):
    """An operator of the drawn line other than a TJ; the empty one ends a TJ array."""

    text: bytes


_END = _Operator(b"")
_NO_RISE = _Operator(b"0 Ts")

Event = int | bytes | _Operator


def _words_of(text: bytes) -> list[int]:
    """For each byte of the line's text, the index of the word it belongs to (-1 for
    white space)."""
    owner: list[int] = []
    index = -1
    # Split around white space: words at even places, the white space between at odd ones.
    for place, part in enumerate(_WHITE_SPACE.split(text.decode("utf-8"))):
        if not part:
            continue
        if place % 2 == 0:
            index += 1
        owner.extend([index if place % 2 == 0 else -1] * len(part.encode("utf-8")))
    return owner


def _events(drawn: list[bytes]) -> tuple[list[Event], list[bytes]] | None:
    """The line's events, and each glyph's code (four hex digits) by its number; None for
    a TJ of one-byte codes (a bitmap font), left as WeasyPrint drew it."""
    events: list[Event] = []
    codes: list[bytes] = []
    for operation in drawn:
        if not (operation.startswith(b"[") and operation.endswith(b"] TJ")):
            events.append(_Operator(operation))
            continue
        for hexes, number in _TJ_TOKEN.findall(operation[1:-4]):
            if number:
                events.append(number)
            elif len(hexes) % 4:
                return None
            else:
                first = len(codes)
                codes.extend([hexes[i : i + 4] for i in range(0, len(hexes), 4)])
                events.extend(range(first, len(codes)))
        events.append(_END)
    return events, codes


def _segments(
    glyphs: list[DrawnGlyph], text: bytes, rtl_document: bool
) -> tuple[list[int], list[tuple[str, bool]], list[int]]:
    """The word segment of each glyph (-1 for none), and each segment's characters
    (logical order), whether it is right to left, and where it starts in the text. A run
    against the document's direction ("Open Publishing Summit" in Arabic) is one segment,
    spaces included: word by word, the readers would put its words in the line's order,
    backwards."""
    owner = _words_of(text)
    known = len(owner)
    segment = [-1] * len(glyphs)
    ranges: list[set[tuple[int, int]]] = []
    ways: list[bool] = []
    previous: tuple[int, int] | None = None
    for number, (start, end, rtl, _, _, _) in enumerate(glyphs):
        if rtl != rtl_document:  # the whole run, spaces and all, under one key
            key = (-1, len(ranges) if previous is None or previous[0] != -1 else previous[1])
        else:  # a word, whatever runs its glyphs are in (a bracket may be in one of its own)
            word = owner[start] if start < known else -1
            if word < 0:
                previous = None
                continue
            key = (0, word)
        if key != previous:
            ranges.append(set())
            ways.append(rtl)
        ranges[-1].add((start, end))
        segment[number] = len(ranges) - 1
        previous = key
    _attach_spaces(segment, glyphs, ranges, [way == rtl_document for way in ways])
    drawn = _drawn_bytes(glyphs, len(text))
    texts = [
        (_with_undrawn(sorted(spans), drawn, text), way)
        for spans, way in zip(ranges, ways, strict=True)
    ]
    return segment, texts, [min(spans)[0] for spans in ranges]


def _drawn_bytes(glyphs: list[DrawnGlyph], length: int) -> bytearray:
    """For each byte of the line's text, 1 when a drawn glyph shapes it."""
    drawn = bytearray(length)
    for glyph in glyphs:
        drawn[glyph.start : glyph.end] = b"\x01" * (min(glyph.end, length) - glyph.start)
    return drawn


# Invisible characters that shape no glyph and yet belong to the text: the zero width
# non-joiner of Persian "می‌گوید" and "کتاب‌فروشی", the zero width joiner. Pango draws them
# as gaps (PANGO_GLYPH_EMPTY), so no glyph's characters hold them.
_UNDRAWN_KEPT = frozenset("\u200c\u200d")


def _with_undrawn(spans: list[tuple[int, int]], drawn: bytearray, text: bytes) -> str:
    """A segment's characters: those of its glyphs (``spans``, in logical order), and the
    invisible characters Pango drew no glyph for (``_UNDRAWN_KEPT``) between them or right
    after its last one."""
    parts: list[bytes] = []
    for number, (start, end) in enumerate(spans):
        parts.append(text[start:end])
        stop = spans[number + 1][0] if number + 1 < len(spans) else len(text)
        gap = end
        while gap < stop and not drawn[gap]:
            gap += 1
        kept = text[end:gap].decode("utf-8", "ignore")
        parts.append("".join(c for c in kept if c in _UNDRAWN_KEPT).encode())
    return b"".join(parts).decode("utf-8")


def _marked_ends(
    texts: list[tuple[str, bool]], starts: list[int], rtl_document: bool, joins: tuple[bool, bool]
) -> list[tuple[bool, bool]]:
    """For each segment, whether each end of it gets the mark that ends a run against the
    document's direction (``textorder.order_for_poppler``): every end but one where the
    run goes on into the text box before or after (``joins``). Inside one text box, two
    such segments are apart because something in the document's direction is between."""
    marked = [(True, True)] * len(texts)
    if texts:
        first = min(range(len(texts)), key=starts.__getitem__)
        last = max(range(len(texts)), key=starts.__getitem__)
        if joins[0] and texts[first][1] != rtl_document:
            marked[first] = (False, True)
        if joins[1] and texts[last][1] != rtl_document:
            marked[last] = (marked[last][0], False)
    return marked


def _attach_spaces(
    segment: list[int],
    glyphs: list[DrawnGlyph],
    ranges: list[set[tuple[int, int]]],
    preferred: list[bool],
) -> None:
    """Put each space glyph in the span of a word beside it, its character in that span's
    text: the word on its left, else on its right, a word in the document's direction
    first. Alone in a text object, a space glyph has an empty box, and PDFium drops such an
    object (cpdf_textpage.cpp, ProcessTextObject): the words around it would then run
    together or be cut at the wrong place.

    A word of one glyph beside the space draws it, though its character stays in the text
    of the word chosen: PDFium takes the direction of a text object of one character from
    its guess for the whole page (GetTextObjectWritingMode), and on a page of a sparse
    table it guesses top to bottom (FindTextlineFlowOrientation), so a row number of one
    digit drawn alone would end the line there and its row's cells come out of order."""
    words = segment[:]  # the neighbours are words, never spaces attached meanwhile
    count = len(words)
    lone = _lone_words(words)
    for number, word in enumerate(words):
        if word >= 0:
            continue
        left = number - 1
        while left >= 0 and words[left] < 0:
            left -= 1
        right = number + 1
        while right < count and words[right] < 0:
            right += 1
        beside = [words[left]] if left >= 0 else []
        if right < count:
            beside.append(words[right])
        chosen = next((w for w in beside if preferred[w]), beside[0] if beside else -1)
        if chosen >= 0:
            drawn_in = next((w for w in beside if w in lone), chosen)
            lone.discard(drawn_in)
            segment[number] = drawn_in
            ranges[chosen].add((glyphs[number].start, glyphs[number].end))


def _lone_words(words: list[int]) -> set[int]:
    """The words drawn as one glyph with white space (or the line's end) on both sides: a
    digit, a letter; not a minus sign before its number, a part of one word."""
    counts = Counter(words)
    count = len(words)
    return {
        word
        for number, word in enumerate(words)
        if word >= 0 and counts[word] == 1
        and (number == 0 or words[number - 1] < 0)
        and (number + 1 == count or words[number + 1] < 0)
    }  # fmt: skip


class Opening(NamedTuple):
    """What opens a segment's span: ``outer`` once around all its glyphs, and inside it,
    around each text operator (TJ) that draws them, ``main`` for the one that draws the
    segment's first glyph of its own direction (its first glyph when it has none),
    ``other`` for the rest, and ``edges`` for the lone spaces drawn at the edges of a run
    against the document's direction (``copytext/runorder.py``); each operator closed by
    one EMC. A word drawn in several operators (a raised mark, a bracket in a run of its
    own) gives its replacement text to one of them, its main one, for a reader that takes
    the text of the first operator of a span it meets, whichever that is."""

    outer: list[Any]
    main: list[Any]
    other: list[Any]
    edges: list[Any]


# A segment's characters, its direction, and which of its ends are marked: the operators
# that open its span (all of them outer), or an ``Opening``.
Opener = Callable[[str, bool, tuple[bool, bool]], "list[Any] | Opening"]
# The same for the words that start and end a text, told which they are (first, last).
EndsOpener = Callable[[str, bool, tuple[bool, bool], bool, bool], "list[Any] | Opening"]


def _tj(items: list[int | bytes], codes: list[bytes]) -> bytes:
    """A TJ operator: adjacent glyph codes share one hex string, as WeasyPrint writes them.
    An item is a glyph's number, a glyph code in angle brackets, or an adjustment."""
    parts: list[bytes] = []
    hexes: list[bytes] = []  # the glyph codes of the hex string being gathered
    for item in items:
        if type(item) is int:
            hexes.append(codes[item])
        elif item[:1] == b"<":
            hexes.append(item[1:-1])
        else:
            if hexes:
                parts.append(b"<" + b"".join(hexes) + b">")
                hexes = []
            parts.append(b" " + item + b" ")
    if hexes:
        parts.append(b"<" + b"".join(hexes) + b">")
    return b"[" + b"".join(parts) + b"] TJ"


# A font's space glyph, for a line that has none of its own: (glyph id, advance), by the
# glyphs' ``font``.
SpareSpaces = dict[object, tuple[int, float]]


class _Line:
    """What the rewriting needs to know of the line besides its events."""

    def __init__(
        self, glyphs: list[DrawnGlyph], text: bytes, codes: list[bytes], segment: list[int],
        spare_spaces: SpareSpaces,
    ) -> None:  # fmt: skip
        self.glyphs, self.text, self.codes, self.segment = glyphs, text, codes, segment
        self.spare_spaces = spare_spaces

    def characters(self, number: int) -> str:
        glyph = self.glyphs[number]
        return self.text[glyph.start : glyph.end].decode("utf-8")

    def token(self, number: int) -> Token:
        """Glyph ``number`` as ``copytext/runorder.py`` takes it."""
        kind = pdfium_kind(self.characters(number)[:1] or " ")
        return Token(b"<" + self.codes[number] + b">", self.glyphs[number].width, kind)

    def space(self, font: object) -> Token | None:
        """A space glyph of ``font`` drawn on this line, else the font's spare one."""
        drawn = (
            number for number, glyph in enumerate(self.glyphs)
            if glyph.font == font and self.characters(number).isspace()
        )  # fmt: skip
        number = next(drawn, None)
        if number is not None:
            return self.token(number)
        if font not in self.spare_spaces:
            return None
        glyph_id, width = self.spare_spaces[font]
        return Token(b"<%04x>" % glyph_id, width, pdfium_kind(" "))


def _glyphs_end(array: list[int | bytes]) -> int:
    """Where the adjustments after the array's last glyph begin."""
    end = len(array)
    while end and type(array[end - 1]) is not int:
        end -= 1
    return end


def _run_arrays(
    array: list[int | bytes], events: list[Event], line: _Line, segment: int
) -> list[list[bytes]] | None:
    """The TJ arrays that draw a run against the document's direction (``copytext/runorder.py``)
    when ``array`` holds all of it and a space glyph of its font is at hand."""
    end = _glyphs_end(array)
    glyphs = [item for item in array[:end] if type(item) is int]
    drawn = [event for event in events if type(event) is int]
    if not glyphs or sum(line.segment[number] == segment for number in drawn) != len(glyphs):
        return None
    font = line.glyphs[glyphs[0]].font
    space = line.space(font)
    if space is None or any(line.glyphs[number].font != font for number in glyphs):
        return None
    tokens = [line.token(item) if type(item) is int else Token(item) for item in array[:end]]
    arrays = segments_last_first(tokens, space)
    if arrays is not None:
        arrays[-1].extend(array[end:])  # type: ignore[arg-type]
    return arrays


def rewrite_line(
    drawn: list[bytes], glyphs: list[DrawnGlyph], text: bytes, opener: Opener, rtl_document: bool,
    spare_spaces: SpareSpaces | None = None, joins: tuple[bool, bool] = (False, False),
    ends: EndsOpener | None = None, alone: bool = False,
) -> list[bytes]:  # fmt: skip
    """The line's operators with every word's glyphs inside an ActualText span; the
    operators unchanged when they do not match the glyphs Pango reports. ``spare_spaces``:
    the space glyph of a font whose run against the document's direction may be alone on
    this line (a link, a code in a table cell). ``joins``: whether a run against the
    document's direction at the start, and at the end, of the text goes on in the text
    box drawn before, and after, on the same line. ``ends``: the opener of the words in
    the document's direction that start and end the text, when it differs. ``alone``:
    the text is the only one drawn on its line (``_company_for_a_lone_glyph``)."""
    parsed = _events(drawn)
    if parsed is None or len(parsed[1]) != len(glyphs):
        return drawn
    events, codes = parsed
    segment, texts, starts = _segments(glyphs, text, rtl_document)
    marked = _marked_ends(texts, starts, rtl_document, joins)
    line = _Line(glyphs, text, codes, segment, spare_spaces or {})
    if any(operation.endswith(b" Ts") for operation in drawn):
        events = draw_bases_first(events, line)
    main_glyphs = _main_glyphs(events, line, texts)
    first, last = _end_words(texts, starts, rtl_document) if ends is not None else (-1, -1)
    out: list[Any] = []
    array: list[int | bytes] = []  # the TJ array being gathered
    open_segment, opening = -1, Opening([], [], [], [])
    company = _company_for_a_lone_glyph(events, line) if alone else []

    def emit(tokens: list[int | bytes], inner: list[Any] | None = None) -> None:
        if not tokens:
            return
        if company and any(type(token) is int for token in tokens):
            tokens = [*tokens, *company]
        if inner is None:
            main = open_segment >= 0 and main_glyphs[open_segment] in tokens
            inner = opening.main if main else opening.other
        out.extend([*inner, _tj(tokens, codes), *[b"EMC"] * len(inner)])

    def flush() -> None:
        if open_segment >= 0 and rtl_document and not texts[open_segment][1]:
            arrays = _run_arrays(array, events, line, open_segment)
            if arrays is not None:
                first, run, last = arrays
                emit(first, opening.edges)  # type: ignore[arg-type]
                emit(run, opening.main)  # type: ignore[arg-type]
                emit(last, opening.edges)  # type: ignore[arg-type]
                array.clear()
                return
        emit(array[:])
        array.clear()

    def close() -> None:
        # An adjustment after a word's last glyph moves the pen for what follows: kept
        # inside, it stretches the word's box over its neighbour and PDFium misorders them.
        end = _glyphs_end(array)
        trailing = array[end:]
        del array[end:]
        flush()
        out.extend([b"EMC"] * len(opening.outer))
        array.extend(trailing)

    for event in events:
        if type(event) is int:
            if segment[event] != open_segment:
                close()
                number = segment[event]
                if number >= 0 and ends is not None and number in (first, last):
                    opened = ends(*texts[number], marked[number], number == first, number == last)
                else:
                    opened = opener(*texts[number], marked[number]) if number >= 0 else []
                opening = opened if isinstance(opened, Opening) else Opening(opened, [], [], [])
                out.extend(opening.outer)
                open_segment = number
            array.append(event)
        elif type(event) is bytes:
            array.append(event)
        else:
            flush()
            if event.text:
                out.append(event.text)
    close()
    return out


def _company_for_a_lone_glyph(events: list[Event], line: _Line) -> list[int | bytes]:
    """For a text of one glyph alone on its line (a table cell's one-digit number), a
    space glyph of its font drawn after it and the adjustment that takes the pen back:
    PDFium takes the direction of a text object of one character from its guess for the
    whole page (cpdf_textpage.cpp, GetTextObjectWritingMode), top to bottom on a page of
    a sparse table, and would put the cell on a line of its own, out of its row's order.
    Nothing when the text has more glyphs or no space glyph of that font is at hand."""
    drawn = [event for event in events if type(event) is int]
    if len(drawn) != 1:
        return []
    space = line.space(line.glyphs[drawn[0]].font)
    if space is None:
        return []
    return [space.code, adjustment(space.width)]


def _end_words(
    texts: list[tuple[str, bool]], starts: list[int], rtl_document: bool
) -> tuple[int, int]:
    """The segments that start and end the text, each when it is a word in the document's
    direction (else -1)."""
    if not texts:
        return -1, -1
    first = min(range(len(texts)), key=starts.__getitem__)
    last = max(range(len(texts)), key=starts.__getitem__)
    return (first if texts[first][1] == rtl_document else -1,
            last if texts[last][1] == rtl_document else -1)  # fmt: skip


def _main_glyphs(events: list[Event], line: _Line, texts: list[tuple[str, bool]]) -> list[int]:
    """For each segment, the glyph whose TJ is its main one (``Opening``): its first glyph
    drawn of its own direction, else its first glyph drawn."""
    main = [-1] * len(texts)
    strong = [False] * len(texts)
    for event in events:
        if type(event) is not int or line.segment[event] < 0:
            continue
        number = line.segment[event]
        own = _is_strong(line.characters(event), texts[number][1])
        if main[number] < 0 or (own and not strong[number]):
            main[number], strong[number] = event, own
    return main


def _is_strong(characters: str, rtl: bool) -> bool:
    """Whether a glyph's characters hold a letter of that direction."""
    wanted = ("R", "AL") if rtl else ("L",)
    return any(unicodedata.bidirectional(char) in wanted for char in characters)


def _segment_of(event: Event, line: _Line) -> int:
    return line.segment[event] if type(event) is int else -1


def _raised_mark(events: list[Event], at: int, line: _Line) -> tuple[float, int, float, int] | None:
    """At ``events[at]``, a glyph raised by WeasyPrint (``r Ts [a <mark>] TJ 0 Ts``)
    and followed, after adjustments only, by a glyph of the same word: the adjustment
    before it, the mark's index, the adjustments between, and the next glyph's index."""
    rise = events[at]
    if not isinstance(rise, _Operator) or not rise.text.endswith(b" Ts"):
        return None
    if float(rise.text.split()[0]) == 0:
        return None
    index, before = at + 1, 0.0
    while index < len(events) and type(events[index]) is bytes:
        before += float(events[index])  # type: ignore[arg-type]
        index += 1
    mark = index
    if mark + 2 >= len(events) or _segment_of(events[mark], line) < 0:
        return None
    if events[mark + 1] != _END or events[mark + 2] != _NO_RISE:
        return None
    index, between = mark + 3, 0.0
    while index < len(events) and (type(events[index]) is bytes or events[index] == _END):
        if type(events[index]) is bytes:
            between += float(events[index])  # type: ignore[arg-type]
        index += 1
    if index == len(events) or _segment_of(events[index], line) != line.segment[events[mark]]:  # type: ignore[index]
        return None
    return before, mark, between, index


def draw_bases_first(events: list[Event], line: _Line) -> list[Event]:
    """Draw each raised mark after the letter that follows it instead of before, at the
    same place. WeasyPrint draws a mark lifted by GPOS as its own text object, with a text
    rise; when that object opens a word (a right-to-left word whose last letter bears a
    mark), PDFium takes the rise for a new line and cuts the line there. Marks stacked on
    one letter (a shadda and a fatha) are taken from the last: once the letter is drawn
    before the last, it follows the one before, and so on."""
    rises = [at for at, event in enumerate(events) if type(event) is _Operator]
    for at in reversed(rises):
        found = _raised_mark(events, at, line)
        if found is None:
            continue
        before, mark, between, base = found
        mark_width = line.glyphs[events[mark]].width  # type: ignore[index]
        base_width = line.glyphs[events[base]].width  # type: ignore[index]
        base_at = -before + mark_width - between  # pen positions, thousandths, leftward -
        mark_at = -before
        events[at:base + 1] = [
            adjustment(-base_at), events[base], _END, events[at],
            adjustment(base_at + base_width - mark_at), events[mark], _END,
            _NO_RISE, adjustment(-(base_at + base_width - mark_at - mark_width)),
        ]  # fmt: skip
    return events
