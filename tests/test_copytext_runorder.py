"""``copytext/runorder.py``: a left-to-right run inside a right-to-left line drawn with its
segments from the last to the first, every glyph where it was, a lone space at each edge.

The TJ arrays are played back as ISO 32000-1, 9.4.3 says (a glyph is drawn at the pen and
moves it by its advance; a number n moves it by -n), and read back as the module's
docstring says PDFium reads a right-to-left line (segments of one kind, last to first)."""

from __future__ import annotations

from collections import Counter
from itertools import groupby

import pytest

from exporter.copytext.runorder import Token, adjustment, segments_last_first
from exporter.copytext.textorder import pdfium_kind


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (0, b"0"),
        (0.0, b"0"),
        (10, b"10"),  # the zeros of the integer part stay
        (100.0, b"100"),
        (-1100, b"-1100"),
        (-250.5, b"-250.5"),
        (1.25, b"1.25"),
        (1 / 3, b"0.3333"),  # four decimals, as pydyf writes numbers
        (1.23456, b"1.2346"),
        (0.00004, b"0"),
        (1_000_000, b"1000000"),
        (-0.0, b"0"),  # a zero is "0", whatever its sign
        (-0.00004, b"0"),
    ],
)
def test_adjustment(value: float, written: bytes) -> None:
    assert adjustment(value) == written


def test_a_token_without_a_kind_is_an_adjustment() -> None:
    assert Token(b"-120") == Token(b"-120", 0.0, "")


# --- A small font: each character's glyph code and advance (thousandths of the font size).


def code(char: str) -> bytes:
    return b"<%04x>" % ord(char)


def advance(char: str) -> float:
    if char.isspace():
        return 250
    if pdfium_kind(char) == "W" and not char.isdigit() and char not in ".,-%":
        return 0  # a combining mark
    return 400 + 20 * (ord(char) % 10)


SPACE = Token(code(" "), advance(" "), "N")
CHARACTERS = {code(char): char for char in map(chr, range(0x20, 0x370))}


def tokens_of(text: str, kerning: dict[int, float] | None = None) -> list[Token]:
    """The run's glyphs as drawn, one a character; ``kerning``: an adjustment before the
    character at that index."""
    tokens = []
    for index, char in enumerate(text):
        if kerning and index in kerning:
            tokens.append(Token(adjustment(kerning[index])))
        tokens.append(Token(code(char), advance(char), pdfium_kind(char)))
    return tokens


def played(
    arrays: list[list[bytes]], widths: dict[bytes, float]
) -> tuple[list[tuple[bytes, float]], float]:
    """Each glyph drawn with the x it is drawn at, and where the pen ends."""
    pen, drawn = 0.0, []
    for array in arrays:
        for item in array:
            if item.startswith(b"<"):
                drawn.append((item, round(pen, 4)))
                pen += widths[item]
            else:
                pen -= float(item)
    return drawn, round(pen, 4)


def widths_of(tokens: list[Token]) -> dict[bytes, float]:
    return {SPACE.code: SPACE.width} | {t.code: t.width for t in tokens if t.kind}


def pdfium_reads_right_to_left(glyph_codes: list[bytes]) -> str:
    """The characters of glyphs drawn left to right in a right-to-left line, as PDFium
    gives them: cut into segments of one kind, the segments from the last to the first."""
    text = "".join(CHARACTERS[glyph] for glyph in glyph_codes)
    segments = ["".join(group) for _, group in groupby(text, key=pdfium_kind)]
    return "".join(reversed(segments))


# --- One segment: PDFium reads it right as it is.


@pytest.mark.parametrize(
    "text",
    [
        "",  # an empty run
        "x",  # a single glyph
        "Maria",
        "2024",
        "١٢٣",  # Arabic-Indic digits: one "left weak" kind with the Latin ones
        "12.5%",  # digits, separator and terminator: all "left weak"
        "   ",  # an all-space run
        "\u064e\u0650",  # marks without a base
    ],
)
def test_a_run_of_one_segment_is_left_alone(text: str) -> None:
    assert segments_last_first(tokens_of(text), SPACE) is None


def test_a_run_of_adjustments_only_is_left_alone() -> None:
    assert segments_last_first([Token(b"-120"), Token(b"35")], SPACE) is None


# --- Worked out by hand.


def test_two_words_drawn_last_first_with_a_space_at_each_edge() -> None:
    a, b, space, c = (Token(b"<0a>", 500, "L"), Token(b"<0b>", 400, "L"),
                      Token(b"<20>", 250, "N"), Token(b"<0c>", 600, "L"))  # fmt: skip
    edge = Token(b"<03>", 250, "N")
    # Drawn at 0, 500, 900 and 1150; the run ends at 1750.
    assert segments_last_first([a, b, space, c], edge) == [
        [b"<03>"],  # the run's left edge is where the pen starts: no move
        [b"-900", b"<0c>", b"850", b"<20>", b"1150", b"<0a>", b"<0b>"],
        [b"-600", b"<03>"],  # 1750 - 250: the space ends at the run's end
    ]


def test_adjustments_before_and_inside_the_run() -> None:
    a, digit = Token(b"<41>", 500, "L"), Token(b"<33>", 450, "W")
    edge = Token(b"<20>", 250, "N")
    # A at 30, pen 530, moved back 20, 3 at 510; the run ends at 960.
    assert segments_last_first([Token(b"-30"), a, Token(b"20"), digit], edge) == [
        [b"-30", b"<20>"],
        [b"-230", b"<33>", b"930", b"<41>"],
        [b"-180", b"<20>"],
    ]


# --- Any run of several segments: every glyph where it was, PDFium reads it in order.

RUNS = [
    ("Maria Lopez", None),
    ("mp3", None),  # digits inside Latin
    ("A1", None),
    ("abc123def", None),
    ("www.example.org", None),  # "org.example" without the reordering
    ("10\u00a0km", None),  # a no-break space is a separator ("left weak"), not white space
    ("e\u0301te\u0301", None),  # combining marks: each a "left weak" segment
    ("Open Publishing Summit", {5: -40, 16: 25}),  # with kerning
    (" Maria ", None),  # spaces at both ends of the run
]


@pytest.mark.parametrize(("text", "kerning"), RUNS)
def test_every_glyph_stays_where_it_was_drawn(text: str, kerning: dict[int, float] | None) -> None:
    tokens = tokens_of(text, kerning)
    widths = widths_of(tokens)
    before, end = played([[t.code for t in tokens]], widths)
    arrays = segments_last_first(tokens, SPACE)
    assert arrays is not None
    first, _, last = arrays
    after, pen = played(arrays, widths)
    # The run's glyphs, each at its place; the two spaces at its edges, at the ends.
    assert Counter(after) - Counter(before) == Counter(
        [(SPACE.code, min(x for _, x in before)), (SPACE.code, end - SPACE.width)]
    )
    assert not Counter(before) - Counter(after)
    assert pen == end
    # Each edge space alone in its array, so that it is a text object of its own.
    assert [item for item in first if item.startswith(b"<")] == [SPACE.code]
    assert [item for item in last if item.startswith(b"<")] == [SPACE.code]


@pytest.mark.parametrize(("text", "kerning"), RUNS)
def test_pdfium_reads_the_run_in_order(text: str, kerning: dict[int, float] | None) -> None:
    arrays = segments_last_first(tokens_of(text, kerning), SPACE)
    assert arrays is not None
    glyphs = [item for item in arrays[1] if item.startswith(b"<")]
    assert pdfium_reads_right_to_left(glyphs) == text


@pytest.mark.parametrize(
    ("text", "drawn"),
    [
        ("Maria Lopez", "Lopez Maria"),
        ("mp3", "3mp"),
        ("www.example.org", "org.example.www"),
        ("abc123def", "def123abc"),
    ],
)
def test_the_segments_are_drawn_last_first(text: str, drawn: str) -> None:
    arrays = segments_last_first(tokens_of(text), SPACE)
    assert arrays is not None
    assert "".join(CHARACTERS[item] for item in arrays[1] if item.startswith(b"<")) == drawn


def test_the_right_edge_space_ends_at_the_runs_right_edge_when_a_mark_is_drawn_last() -> None:
    # "ae" then a combining acute moved back over the "e" (as WeasyPrint writes an x offset).
    tokens = [*tokens_of("ae"), Token(b"300"), Token(code("\u0301"), 0, "W")]
    widths = widths_of(tokens)
    drawn, _ = played([[t.code for t in tokens]], widths)
    right_edge = max(x + widths[glyph] for glyph, x in drawn)
    arrays = segments_last_first(tokens, SPACE)
    assert arrays is not None
    after, pen = played(arrays, widths)
    assert after[-1] == (SPACE.code, right_edge - SPACE.width)
    assert pen == played([[t.code for t in tokens]], widths)[1]  # and the pen where it was
