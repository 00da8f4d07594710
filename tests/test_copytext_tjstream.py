"""``copytext/tjstream.py``: a drawn line's TJ operators regrouped so that each word's glyphs
sit inside a span of their own.

The lines are laid out here as Pango would lay them out: the visual order and the levels
come from the Unicode bidi algorithm (python-bidi), one glyph a character, one run a level
and a font. What is rewritten is played back as ISO 32000-1, 9.4.3 says, to check that every
glyph is still drawn where it was."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import NamedTuple

import pytest
from bidi import algorithm, get_display

from exporter.copytext.tjstream import (
    _END,
    DrawnGlyph,
    SpareSpaces,
    _events,
    _marked_ends,
    _Operator,
    _tj,
    _words_of,
    rewrite_line,
)

FATHA, KASRA, SHADDA = "\u064e", "\u0650", "\u0651"
BOTH_ENDS = (True, True)
TEXT_MATRIX = b"1 0 0 1 72 700 Tm"

# --- Parsing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "owners"),
    [
        ("", []),
        ("ab cd", [0, 0, -1, 1, 1]),
        (" ab", [-1, 0, 0]),
        ("ab ", [0, 0, -1]),
        ("   ", [-1, -1, -1]),
        ("في بيت", [0] * 4 + [-1] + [1] * 6),  # two bytes a letter
        ("a\tb\nc", [0, -1, 1, -1, 2]),
        ("a\u00a0b", [0, -1, -1, 1]),  # a no-break space is white space to str.isspace
        ("x\u200cy", [0] * 5),  # a zero width non-joiner is not
        ("٢٠٢٤ م", [0] * 8 + [-1] + [1] * 2),
    ],
)
def test_words_of(text: str, owners: list[int]) -> None:
    assert _words_of(text.encode()) == owners


@pytest.mark.parametrize(
    ("drawn", "events", "codes"),
    [
        ([], [], []),
        ([TEXT_MATRIX], [_Operator(TEXT_MATRIX)], []),
        (
            [b"[<00010002> -120 <0003>] TJ"],
            [0, 1, b"-120", 2, _END],
            [b"0001", b"0002", b"0003"],
        ),
        # As WeasyPrint writes them: numbers glued to the hex strings, an empty hex string
        # where a run starts with an adjustment.
        ([b"[<0001>-3.5<0002>] TJ"], [0, b"-3.5", 1, _END], [b"0001", b"0002"]),
        ([b"[<>320<00aB>] TJ"], [b"320", 0, _END], [b"00aB"]),
        (
            [b"/F1 12 Tf", b"[<0001>] TJ", b"-250 Ts", b"[-120.0<0002>] TJ", b"0 Ts"],
            [
                _Operator(b"/F1 12 Tf"),
                0,
                _END,
                _Operator(b"-250 Ts"),
                b"-120.0",
                1,
                _END,
                _Operator(b"0 Ts"),
            ],
            [b"0001", b"0002"],
        ),
        ([b"[] TJ"], [_END], []),
    ],
)
def test_events(drawn: list[bytes], events: list[object], codes: list[bytes]) -> None:
    assert _events(drawn) == (events, codes)


@pytest.mark.parametrize("tj", [b"[<41> 10 <42>] TJ", b"[<004142>] TJ", b"[<0041><42>] TJ"])
def test_events_of_one_byte_codes_are_none(tj: bytes) -> None:
    assert _events([TEXT_MATRIX, tj]) is None


@pytest.mark.parametrize(
    ("items", "codes", "tj"),
    [
        ([0, 1, b"-120", 2], [b"0001", b"0002", b"0003"], b"[<00010002> -120 <0003>] TJ"),
        ([b"<0003>"], [], b"[<0003>] TJ"),
        ([b"-30", b"<0003>", 0], [b"0001"], b"[ -30 <00030001>] TJ"),
        ([b"-50"], [], b"[ -50 ] TJ"),
        ([], [], b"[] TJ"),
    ],
)
def test_tj(items: list[int | bytes], codes: list[bytes], tj: bytes) -> None:
    assert _tj(items, codes) == tj


@pytest.mark.parametrize(
    ("texts", "starts", "rtl_document", "joins", "marked"),
    [
        ([], [], True, (True, True), []),
        ([("Maria", False)], [0], True, (False, False), [(True, True)]),
        ([("Maria", False)], [0], True, (True, True), [(False, False)]),
        ([("Maria", False)], [0], True, (True, False), [(False, True)]),
        ([("Maria", False)], [0], True, (False, True), [(True, False)]),
        # A word in the document's direction is never a run that goes on.
        ([("قال", True)], [0], True, (True, True), [(True, True)]),
        # First and last by where they start in the text, not by the order drawn.
        ([("قال ", True), ("Maria", False)], [0, 7], True, (False, True),
         [(True, True), (True, False)]),
        ([("Maria", False), ("قال ", True)], [7, 0], True, (True, True),
         [(True, False), (True, True)]),
        ([("Maria ", False), ("قال ", True), ("Lopez", False)], [7, 0, 13], True, (True, True),
         [(True, True), (True, True), (True, False)]),
        ([("see ", False), ("في", True)], [0, 4], False, (False, True),
         [(True, True), (True, False)]),
    ],
)  # fmt: skip
def test_marked_ends(
    texts: list[tuple[str, bool]],
    starts: list[int],
    rtl_document: bool,
    joins: tuple[bool, bool],
    marked: list[tuple[bool, bool]],
) -> None:
    assert _marked_ends(texts, starts, rtl_document, joins) == marked


# --- Lines laid out as Pango lays them out ---------------------------------------------------


def visual_order(text: str, rtl_document: bool) -> list[tuple[int, int]]:
    """Each character's index in ``text`` and its embedding level, left to right."""
    storage = algorithm.get_empty_storage()
    storage["base_level"] = int(rtl_document)
    storage["base_dir"] = "LR"[rtl_document]
    algorithm.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    algorithm.reorder_resolved_levels(storage, False)
    order = [(char["index"], char["level"]) for char in storage["chars"]]
    # The same order as python-bidi's own entry point (no mirrored characters used here).
    assert "".join(text[i] for i, _ in order) == get_display(text, base_dir="LR"[rtl_document])
    return order


def glyph_code(font: int, char: str) -> bytes:
    return b"%x%03x" % (font, ord(char) & 0xFFF)


def advance(char: str) -> float:
    if char.isspace():
        return 250
    if unicodedata.category(char) == "Mn":
        return 200
    return 400 + 20 * (ord(char) % 10)


class Line(NamedTuple):
    drawn: list[bytes]
    glyphs: list[DrawnGlyph]
    text: bytes


# What each glyph code stands for, and its advance, in the two fonts of these lines (0 for
# Arabic, 1 for Latin when a test asks for it).
CHARACTERS = {
    glyph_code(font, char): char
    for font in (0, 1)
    for char in (*map(chr, range(0x20, 0x7F)), *map(chr, range(0x600, 0x700)), "\u0301")
}
ADVANCES = {code: advance(char) for code, char in CHARACTERS.items()}


def laid_out(
    text: str, rtl_document: bool, latin_font: int = 0, kerning: dict[int, bytes] | None = None
) -> Line:
    """``text`` drawn as WeasyPrint draws a line: a text matrix, then a font and a TJ for
    each change of font, glyphs in visual order. Characters at an even level are in
    ``latin_font``; ``kerning``: an adjustment before the glyph drawn at that place."""
    starts = [len(text[:index].encode()) for index in range(len(text) + 1)]
    glyphs: list[DrawnGlyph] = []
    run, previous = -1, None
    for index, level in visual_order(text, rtl_document):
        font = latin_font if level % 2 == 0 else 0
        if (level, font) != previous:
            run, previous = run + 1, (level, font)
        width = advance(text[index])
        glyphs.append(
            DrawnGlyph(starts[index], starts[index + 1], level % 2 == 1, run, font, width)
        )
    drawn = [TEXT_MATRIX]
    array = b""
    for number, glyph in enumerate(glyphs):
        if number == 0 or glyph.font != glyphs[number - 1].font:
            if array:
                drawn.append(b"[" + array + b">] TJ")
            drawn.append(b"/F%d 12 Tf" % glyph.font)
            array = b"<"
        if kerning and number in kerning:
            array += b">" + kerning[number] + b"<"
        char = text.encode()[glyph.start : glyph.end].decode()
        array += glyph_code(glyph.font, char)
    if array:
        drawn.append(b"[" + array + b">] TJ")
    return Line(drawn, glyphs, text.encode())


class RecordingOpener:
    """An opener that records what each span is opened for, and opens it with one BDC."""

    def __init__(self, depth: int = 1) -> None:
        self.calls: list[tuple[str, bool, tuple[bool, bool]]] = []
        self.depth = depth

    def __call__(self, characters: str, rtl: bool, marked: tuple[bool, bool]) -> list[bytes]:
        self.calls.append((characters, rtl, marked))
        return [b"/Span <</MCID %d>> BDC" % len(self.calls)] * self.depth


_TJ_ITEM = re.compile(rb"<([0-9a-fA-F]*)>|(-?\d+(?:\.\d+)?)")


def glyphs_drawn(operations: list[bytes]) -> list[tuple[bytes, float, float]]:
    """Every glyph drawn, with the x (thousandths of the font size, from the text matrix)
    and the text rise it is drawn at."""
    pen, rise, drawn = 0.0, 0.0, []
    for operation in operations:
        if operation.endswith(b" Tm"):
            pen = 0.0
        elif operation.endswith(b" Ts"):
            rise = float(operation.split()[0])
        elif operation.endswith(b" TJ"):
            for hexes, number in _TJ_ITEM.findall(operation[1:-3]):
                if number:
                    pen -= float(number)
                for start in range(0, len(hexes), 4):
                    glyph = hexes[start : start + 4]
                    drawn.append((glyph, round(pen, 4), rise))
                    pen += ADVANCES[glyph]
    return drawn


def spans_drawn(operations: list[bytes]) -> tuple[list[str], str]:
    """The characters of the glyphs drawn inside each span, in the order the spans open,
    and those drawn outside any."""
    spans: list[str] = []
    outside = ""
    open_spans: list[int] = []
    for operation in operations:
        if operation.endswith(b" BDC"):
            spans.append("")
            open_spans.append(len(spans) - 1)
        elif operation == b"EMC":
            open_spans.pop()
        elif operation.endswith(b" TJ"):
            characters = "".join(CHARACTERS[glyph] for glyph, _, _ in glyphs_drawn([operation]))
            if open_spans:
                spans[open_spans[-1]] += characters
            else:
                outside += characters
    assert not open_spans, "a span left open"
    return spans, outside


# (characters, whether right to left) of each span, in the order drawn; then the characters
# drawn inside each: a left-to-right run in right-to-left text drawn with its segments from
# the last to the first, a space at each end (copytext/runorder.py).
LINES = [
    pytest.param(
        "كتب الدرس", True, 0, None,
        [(" الدرس", True), ("كتب", True)], ["سردلا ", "بتك"],
        id="arabic words, the space with the word on its left",
    ),
    pytest.param(
        "Hello world", False, 0, None,
        [("Hello ", False), ("world", False)], ["Hello ", "world"],
        id="latin words",
    ),
    pytest.param(
        "قال Maria Lopez أمس", True, 0, None,
        [(" أمس", True), ("Maria Lopez", False), ("قال ", True)],
        ["سمأ ", " Lopez Maria ", " لاق"],
        id="a latin run in arabic, one span, spaces with the arabic words",
    ),
    pytest.param(
        "قال Maria Lopez أمس", True, 1, None,
        [(" أمس", True), ("Maria Lopez", False), ("قال ", True)],
        ["سمأ ", " Lopez Maria ", " لاق"],
        id="a latin run in a font of its own, its own space at its edges",
    ),
    pytest.param(
        "زوروا www.example.org اليوم", True, 0, None,
        [(" اليوم", True), ("www.example.org", False), ("زوروا ", True)],
        ["مويلا ", " org.example.www ", " اوروز"],
        id="an address in arabic",
    ),
    pytest.param(
        "نسخة mp3 جديدة", True, 1, {1: (0x1020, 250)},
        [(" جديدة", True), ("mp3", False), ("نسخة ", True)],
        ["ةديدج ", " 3mp ", " ةخسن"],
        id="digits inside latin, the font's spare space at the edges",
    ),
    pytest.param(
        "نسخة mp3 جديدة", True, 1, None,
        [(" جديدة", True), ("mp3", False), ("نسخة ", True)],
        ["ةديدج ", "mp3", " ةخسن"],
        id="digits inside latin, no space of the font at hand: left as drawn",
    ),
    pytest.param(
        "عام 2024 م", True, 0, None,
        [(" م", True), ("2024", False), ("عام ", True)], ["م ", "2024", " ماع"],
        id="digits in arabic: a run of one segment, left as drawn",
    ),
    pytest.param(
        "see في البيت now", False, 0, None,
        [("see ", False), ("في البيت", True), (" now", False)], ["see ", "تيبلا يف", " now"],
        id="an arabic run in english, one span, not reordered",
    ),
    pytest.param("و", True, 0, None, [("و", True)], ["و"], id="a single glyph"),
    pytest.param("x", True, 0, None, [("x", False)], ["x"], id="a single latin glyph in arabic"),
    pytest.param(
        FATHA + KASRA, True, 0, None, [(FATHA + KASRA, True)], [KASRA + FATHA],
        id="marks without a base, right to left",
    ),
    pytest.param(
        FATHA + KASRA, False, 0, None, [(FATHA + KASRA, False)], [FATHA + KASRA],
        id="marks without a base, left to right",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "rtl_document", "latin_font", "spare_spaces", "opened", "drawn"), LINES
)
def test_rewrite_line(
    text: str,
    rtl_document: bool,
    latin_font: int,
    spare_spaces: SpareSpaces | None,
    opened: list[tuple[str, bool]],
    drawn: list[str],
) -> None:
    line = laid_out(text, rtl_document, latin_font)
    opener = RecordingOpener()
    out = rewrite_line(line.drawn, line.glyphs, line.text, opener, rtl_document, spare_spaces)
    assert opener.calls == [(characters, rtl, BOTH_ENDS) for characters, rtl in opened]
    assert spans_drawn(out) == (drawn, "")
    # Every glyph where it was; the only glyphs added are the spaces at a run's edges.
    before, after = Counter(glyphs_drawn(line.drawn)), Counter(glyphs_drawn(out))
    assert not before - after
    added = after - before
    assert all(CHARACTERS[glyph] == " " for glyph, _, _ in added)
    assert added.total() == sum(map(len, drawn)) - sum(len(chars) for chars, _ in opened)
    # The operators other than TJ, in their order.
    assert [op for op in out if not op.endswith((b" TJ", b" BDC", b"EMC"))] == [
        op for op in line.drawn if not op.endswith(b" TJ")
    ]


def test_the_spaces_at_a_runs_edges_are_at_its_edges() -> None:
    line = laid_out("قال Maria Lopez أمس", True)
    out = rewrite_line(line.drawn, line.glyphs, line.text, RecordingOpener(), True)
    before = glyphs_drawn(line.drawn)
    latin = [
        (x, ADVANCES[glyph])
        for glyph, x, _ in before
        if CHARACTERS[glyph].isascii() and not CHARACTERS[glyph].isspace()
    ]
    left, right = latin[0][0], latin[-1][0] + latin[-1][1]
    added = Counter(glyphs_drawn(out)) - Counter(before)
    assert sorted(x for _, x, _ in added) == [left, right - advance(" ")]


@pytest.mark.parametrize(
    ("joins", "marked"),
    [
        ((False, False), [(True, True), (True, True), (True, True)]),
        ((True, False), [(True, True), (True, True), (True, True)]),
        ((True, True), [(True, True), (True, True), (True, True)]),
    ],
)
def test_a_line_in_the_documents_direction_at_both_ends_marks_every_end(
    joins: tuple[bool, bool], marked: list[tuple[bool, bool]]
) -> None:
    line = laid_out("قال Maria Lopez أمس", True)
    opener = RecordingOpener()
    rewrite_line(line.drawn, line.glyphs, line.text, opener, True, joins=joins)
    assert [call[2] for call in opener.calls] == marked


@pytest.mark.parametrize(
    ("text", "joins", "opened"),
    [
        ("Maria Lopez", (True, True), [("Maria Lopez", False, (False, False))]),
        ("Maria Lopez", (True, False), [("Maria Lopez", False, (False, True))]),
        ("Maria Lopez", (False, True), [("Maria Lopez", False, (True, False))]),
        # "Maria" ends the text box, "قال" (drawn after it, on its right) starts it.
        ("قال Maria", (False, True), [("Maria", False, (True, False)), ("قال ", True, BOTH_ENDS)]),
        ("قال Maria", (True, False), [("Maria", False, BOTH_ENDS), ("قال ", True, BOTH_ENDS)]),
        # The space between goes with "قال", on its left and in the document's direction.
        ("Maria قال", (True, True), [(" قال", True, BOTH_ENDS), ("Maria", False, (False, True))]),
    ],
)
def test_a_run_that_goes_on_in_the_next_text_box_is_not_marked_there(
    text: str, joins: tuple[bool, bool], opened: list[tuple[str, bool, tuple[bool, bool]]]
) -> None:
    line = laid_out(text, True)
    opener = RecordingOpener()
    rewrite_line(line.drawn, line.glyphs, line.text, opener, True, joins=joins)
    assert opener.calls == opened


def test_an_adjustment_after_a_words_last_glyph_goes_with_the_next_word() -> None:
    # "من في": drawn "يف نم", the space with "في" (on its left); kerning before "ن".
    line = laid_out("من في", True, kerning={3: b"-50"})
    assert line.drawn[-1] == b"[<064a06410020>-50<06460645>] TJ"
    opener = RecordingOpener()
    out = rewrite_line(line.drawn, line.glyphs, line.text, opener, True)
    assert opener.calls == [(" في", True, BOTH_ENDS), ("من", True, BOTH_ENDS)]
    assert out == [
        TEXT_MATRIX,
        b"/F0 12 Tf",
        b"/Span <</MCID 1>> BDC",
        b"[<064a06410020>] TJ",
        b"EMC",
        b"/Span <</MCID 2>> BDC",
        b"[ -50 <06460645>] TJ",
        b"EMC",
    ]


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_each_operator_that_opens_a_span_is_closed(depth: int) -> None:
    line = laid_out("قال Maria Lopez أمس", True)
    out = rewrite_line(line.drawn, line.glyphs, line.text, RecordingOpener(depth), True)
    opened = sum(op.endswith(b" BDC") for op in out)
    assert opened == 3 * depth
    assert out.count(b"EMC") == opened


# --- Left as drawn ---------------------------------------------------------------------------


def test_a_line_whose_glyphs_pango_does_not_report_is_left_as_drawn() -> None:
    line = laid_out("كتب الدرس", True)
    opener = RecordingOpener()
    assert rewrite_line(line.drawn, line.glyphs[1:], line.text, opener, True) is line.drawn
    assert not opener.calls


def test_a_bitmap_fonts_line_is_left_as_drawn() -> None:
    drawn = [TEXT_MATRIX, b"/F0 1 Tf", b"[<41> -20 <42>] TJ"]
    glyphs = [DrawnGlyph(0, 1, False, 0, 0), DrawnGlyph(1, 2, False, 0, 0)]
    assert rewrite_line(drawn, glyphs, b"AB", RecordingOpener(), False) is drawn


def test_an_empty_line() -> None:
    opener = RecordingOpener()
    assert rewrite_line([], [], b"", opener, True) == []
    assert rewrite_line([TEXT_MATRIX, b"/F0 12 Tf"], [], b"", opener, True) == [
        TEXT_MATRIX,
        b"/F0 12 Tf",
    ]
    assert not opener.calls


@pytest.mark.parametrize("rtl_document", [True, False])
def test_a_line_of_spaces_gets_no_span(rtl_document: bool) -> None:
    line = laid_out("   ", rtl_document)
    opener = RecordingOpener()
    out = rewrite_line(line.drawn, line.glyphs, line.text, opener, rtl_document)
    assert not opener.calls
    assert out == line.drawn


def test_a_run_of_spaces_against_the_document_is_one_span_left_as_drawn() -> None:
    # Two spaces laid out left to right in right-to-left text, as between two Latin boxes.
    glyphs = [DrawnGlyph(0, 1, False, 0, 0, 250), DrawnGlyph(1, 2, False, 0, 0, 250)]
    drawn = [TEXT_MATRIX, b"/F0 12 Tf", b"[<00200020>] TJ"]
    opener = RecordingOpener()
    out = rewrite_line(drawn, glyphs, b"  ", opener, True)
    assert opener.calls == [("  ", False, BOTH_ENDS)]
    assert out == [TEXT_MATRIX, b"/F0 12 Tf", b"/Span <</MCID 1>> BDC", b"[<00200020>] TJ", b"EMC"]


# --- Marks raised by GPOS ----------------------------------------------------------------------

# "كتبَ" as WeasyPrint draws it: the fatha first (the word's last letter bears it), raised
# and moved by its x offset, then the letters from the left; the adjustment after the mark
# takes its advance back (the mark's advance, 200, and its offset, 120).
RAISED = Line(
    [TEXT_MATRIX, b"/F0 12 Tf", b"-250 Ts", b"[-120.0<064e>] TJ", b"0 Ts",
     b"[<>320<0628062a0643>] TJ"],
    [DrawnGlyph(4, 8, True, 0, 0, 200), DrawnGlyph(4, 8, True, 0, 0, advance("ب")),
     DrawnGlyph(2, 4, True, 0, 0, advance("ت")), DrawnGlyph(0, 2, True, 0, 0, advance("ك"))],
    "كتبَ".encode(),
)  # fmt: skip

# "كتبَّ" with a shadda and a fatha on its last letter, both raised.
STACKED = Line(
    [TEXT_MATRIX, b"/F0 12 Tf", b"-250 Ts", b"[-120.0<064e>] TJ", b"0 Ts", b"[<>320] TJ",
     b"-200 Ts", b"[-100.0<0651>] TJ", b"0 Ts", b"[<>300<0628062a0643>] TJ"],
    [DrawnGlyph(4, 10, True, 0, 0, 200), DrawnGlyph(4, 10, True, 0, 0, 200),
     DrawnGlyph(4, 10, True, 0, 0, advance("ب")), DrawnGlyph(2, 4, True, 0, 0, advance("ت")),
     DrawnGlyph(0, 2, True, 0, 0, advance("ك"))],
    ("كتب" + SHADDA + FATHA).encode(),
)  # fmt: skip

RAISED_LINES = [
    pytest.param(RAISED, id="one raised mark"),
    pytest.param(STACKED, id="two raised marks"),
]


@pytest.mark.parametrize("line", [RAISED, STACKED], ids=["one raised mark", "two raised marks"])
def test_raised_marks_stay_where_they_were_drawn(line: Line) -> None:
    opener = RecordingOpener()
    out = rewrite_line(line.drawn, line.glyphs, line.text, opener, True)
    assert opener.calls == [(line.text.decode(), True, BOTH_ENDS)]
    assert Counter(glyphs_drawn(out)) == Counter(glyphs_drawn(line.drawn))
    assert out[-1] == b"EMC"


@pytest.mark.parametrize("line", RAISED_LINES)
def test_a_word_opens_with_a_glyph_on_the_baseline(line: Line) -> None:
    out = rewrite_line(line.drawn, line.glyphs, line.text, RecordingOpener(), True)
    opened = next(n for n, op in enumerate(out) if op.endswith(b" BDC"))
    first_glyph, _, rise = glyphs_drawn(out)[len(glyphs_drawn(out[:opened]))]
    assert (CHARACTERS[first_glyph], rise) == ("ب", 0)


def test_a_raised_mark_drawn_last_is_left_in_place() -> None:
    # "é" decomposed, the acute raised: nothing of the word follows it.
    drawn = [TEXT_MATRIX, b"/F0 12 Tf", b"[<0065>] TJ", b"250 Ts", b"[-300<0301>] TJ", b"0 Ts"]
    glyphs = [DrawnGlyph(0, 3, False, 0, 0, 500), DrawnGlyph(0, 3, False, 0, 0, 200)]
    out = rewrite_line(drawn, glyphs, "e\u0301".encode(), RecordingOpener(), False)
    assert glyphs_drawn(out) == glyphs_drawn(drawn)
    assert [op for op in out if op.endswith(b" Ts")] == [b"250 Ts", b"0 Ts"]


def test_the_words_that_start_and_end_the_text_get_the_ends_opener() -> None:
    line = laid_out("قال الكاتب نعم", True)
    calls: list[tuple[str, bool, bool]] = []

    def ends(chars: str, rtl: bool, marked: tuple[bool, bool], first: bool, last: bool) -> list:
        calls.append((chars, first, last))
        return [b"/Span <<>> BDC"]

    opener = RecordingOpener()
    rewrite_line(line.drawn, line.glyphs, line.text, opener, True, ends=ends)
    assert sorted(calls) == sorted([("قال", True, False), (" نعم", False, True)])
    assert [chars for chars, _, _ in opener.calls] == [" الكاتب"]
