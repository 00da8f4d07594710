"""Make ranges of a paragraph's tokens left-to-right isolates.

Each range becomes one ``Raw`` object, ``<span dir="ltr">`` around its content, as an
author's ``<span dir="ltr">`` is handled: its content is a paragraph of its own (UAX #9,
X5a-X5c), which WeasyPrint lays out in its own direction. To the paragraph around it, it is
one strong left-to-right character, as a Latin word would be (``runs.Raw``). An
element that straddles the range's edge is split there, as ``runs.rebuild`` splits one at a
wrap's edge: closed before the isolate and opened again inside it, or closed at the end of
the isolate and opened again after it. The copy drops the ``id``, which must stay unique.
"""

from __future__ import annotations

from collections.abc import Callable

from .levels import can_rise
from .runs import LRM, OBJECT, Raw, Tag, Token, bidi_text, pair_tags, widen
from .tokens import find_tokens

ISOLATE_START = '<span dir="ltr">'
ISOLATE_END = "</span>"


def isolate_technical_tokens(
    tokens: list[Token], base_level: int, render_inside: Callable[[list[Token]], str]
) -> list[Token]:
    """``tokens`` (tags paired) with every technical token made an isolate, in a paragraph
    where anything could be laid out against its direction, or a right-to-left one; in a
    left-to-right one where nothing can, each token already reads as written, and the
    paragraph is left as it is."""
    text, where = bidi_text(tokens)
    if base_level == 0 and not can_rise(set(text), base_level):
        return tokens
    ranges: list[tuple[int, int]] = []
    for found in find_tokens(text):
        first, last = where[found.start][0], where[found.end - 1][1]
        # Take in an element that holds just the token, rather than leave it empty.
        wide = widen(tokens, first, last)
        ranges.append(wide if not ranges or wide[0] > ranges[-1][1] else (first, last))
    if not ranges:
        return tokens
    # In right-to-left text a token stands for a Latin word; in left-to-right text it is a
    # neutral object, as browsers take an element with dir (``runs.Raw``).
    isolated = isolate_ranges(tokens, ranges, render_inside, LRM if base_level else OBJECT)
    pair_tags(isolated)
    return isolated


def isolate_ranges(
    tokens: list[Token],
    ranges: list[tuple[int, int]],
    render_inside: Callable[[list[Token]], str],
    stands_for: str,
) -> list[Token]:
    """``tokens`` with each range ``(first, last)`` (sorted, apart; tags paired) made one
    isolate whose content ``render_inside`` writes. The tags kept are fresh copies, so the
    caller pairs them again."""
    out: list[Token] = []
    done = 0
    for first, last in ranges:
        out.extend(_copy(token) for token in tokens[done:first])
        before, inside, after = _split_at_edges(tokens, first, last)
        out.extend(before)
        out.append(Raw(ISOLATE_START + render_inside(inside) + ISOLATE_END, stands_for))
        out.extend(after)
        done = last + 1
    out.extend(_copy(token) for token in tokens[done:])
    return out


def _split_at_edges(
    tokens: list[Token], first: int, last: int
) -> tuple[list[Token], list[Token], list[Token]]:
    """What goes before the isolate, in it, and after it: the range's tokens with the
    elements that cross its edges closed and opened again on each side."""
    starts = [
        index
        for index, token in enumerate(tokens)
        if isinstance(token, Tag) and token.kind == "start"
    ]
    # Opened before the range and closed inside it; opened inside and closed after it.
    entering = [i for i in starts if i < first and first <= _partner(tokens, i) <= last]
    leaving = [i for i in starts if first <= i <= last and _partner(tokens, i) > last]
    before = [_end_of(tokens[i]) for i in reversed(entering)]
    inside = [
        *(_start_copy(tokens[i]) for i in entering),
        *(_copy(token) for token in tokens[first : last + 1]),
        *(_end_of(tokens[i]) for i in reversed(leaving)),
    ]
    after = [_start_copy(tokens[i]) for i in leaving]
    return before, inside, after


def _partner(tokens: list[Token], index: int) -> int:
    tag = tokens[index]
    assert isinstance(tag, Tag)
    return tag.partner


def _copy(token: Token) -> Token:
    return Tag(token.name, list(token.attrs), token.kind) if isinstance(token, Tag) else token


def _start_copy(token: Token) -> Tag:
    assert isinstance(token, Tag)
    return Tag(token.name, [(n, v) for n, v in token.attrs if n != "id"], "start")


def _end_of(token: Token) -> Tag:
    assert isinstance(token, Tag)
    return Tag(token.name, [], "end")
