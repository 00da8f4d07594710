"""Wrap the directional runs of one paragraph's inline content in single elements.

WeasyPrint 70 places the inline boxes of a right-to-left line in reverse order instead of
by the bidi algorithm (``layout/inline.py``, "Reorder inline blocks when direction is
right-to-left"), so a Latin run that spans ``<b>``, ``<i>``, ``<code>`` or a link comes out
with its words reversed. One element carrying ``dir`` around the whole run is laid out in
its own direction; browsers treat the same element as an isolate (HTML, "The dir
attribute"), which leaves the visual order the bidi algorithm gives unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from .levels import paragraph_levels

OBJECT = "\ufffc"  # how an image or an isolated element looks to the bidi algorithm
LRM, RLM = "\u200e", "\u200f"  # a strong character of either direction
EXPLICIT_OPENERS = frozenset("\u202a\u202b\u202d\u202e\u2066\u2067\u2068")
EXPLICIT_CLOSERS = frozenset("\u202c\u2069")


@dataclass
class Tag:
    """A start tag, an end tag, or a void element (``img``, ``br``, ``wbr``)."""

    name: str
    attrs: list[tuple[str, str | None]]
    kind: str  # "start", "end" or "void"
    partner: int = -1  # the index of the matching end (for a start) or start (for an end)

    def html(self, *, drop_id: bool = False) -> str:
        if self.kind == "end":
            return f"</{self.name}>"
        parts = [self.name]
        for name, value in self.attrs:
            if drop_id and name == "id":
                continue
            parts.append(name if value is None else f'{name}="{escape(value, quote=True)}"')
        return f"<{' '.join(parts)}>"


@dataclass
class Raw:
    """Finished HTML that counts as one character to the paragraph around it (an isolate):
    a neutral object, as HTML makes an element with ``dir``; or, for inline code and a
    technical token against the paragraph's direction, a strong character of their own
    direction, as the words of a Latin phrase are, so that "macOS 10.15.7" stays one
    left-to-right run inside Arabic. Where that differs from the neutral object browsers
    see, the bidi pass wraps the run, which browsers then follow."""

    html: str
    stands_for: str = OBJECT


Token = str | Tag | Raw  # a str token is one character
# A paragraph as parsed: strings of any length between the tags. Split into tokens
# (``one_per_character``) only when the pass has work to do in it.
Piece = str | Tag | Raw


@dataclass
class Wrap:
    """A ``<span>`` to put around tokens ``start`` to ``end`` (inclusive)."""

    start: int
    end: int
    attrs: list[tuple[str, str]] = field(default_factory=list)


def pair_tags(tokens: list[Token]) -> None:
    """Set ``partner`` on every start and end tag (the input is well nested)."""
    open_tags: list[int] = []
    for index, token in enumerate(tokens):
        if isinstance(token, Tag) and token.kind == "start":
            open_tags.append(index)
        elif isinstance(token, Tag) and token.kind == "end" and open_tags:
            start = open_tags.pop()
            tokens[start].partner, token.partner = index, start  # type: ignore[union-attr]


def one_per_character(pieces: list[Piece]) -> list[Token]:
    tokens: list[Token] = []
    for piece in pieces:
        if isinstance(piece, str):
            tokens.extend(piece)
        else:
            tokens.append(piece)
    return tokens


def paragraph_text(pieces: list[Piece]) -> str:
    """The paragraph's text as the bidi algorithm sees it: ``bidi_text``'s text."""
    text = "".join(piece if isinstance(piece, str) else _object_char(piece) for piece in pieces)
    if _has_explicit_controls(text):
        return bidi_text(one_per_character(pieces))[0]
    return text.translate(_AS_SPACES)


def bidi_text(
    tokens: list[Token], *, keep_newlines: bool = False
) -> tuple[str, list[tuple[int, int]]]:
    """The paragraph as the bidi algorithm sees it, and the first and last token behind
    each of its characters.

    A line break ends a bidi paragraph (U+2029); a newline in running text is a space. An
    embedding, override or isolate the author typed, from its opening control to its
    closing one, counts as one neutral object: no wrap may cut into it."""
    pieces = [token if isinstance(token, str) else _object_char(token) for token in tokens]
    text = "".join(pieces)
    if not _has_explicit_controls(text):
        # Each token is one character or none: the text and its places in one pass each.
        where = [(index, index) for index, piece in enumerate(pieces) if piece]
        return (text if keep_newlines else text.translate(_AS_SPACES)), where
    chars: list[str] = []
    where: list[tuple[int, int]] = []
    depth, opened_at = 0, 0
    for index, token in enumerate(tokens):
        if isinstance(token, str) and token in EXPLICIT_OPENERS:
            depth, opened_at = depth + 1, opened_at if depth else index
            continue
        if isinstance(token, str) and token in EXPLICIT_CLOSERS and depth:
            depth -= 1
            if not depth:
                chars.append(OBJECT)
                where.append((opened_at, index))
            continue
        char = _bidi_char(token, keep_newlines) if not depth else None
        if char is not None:
            chars.append(char)
            where.append((index, index))
    return "".join(chars), where


def _bidi_char(token: Token, keep_newlines: bool) -> str | None:
    if isinstance(token, str):
        return token if keep_newlines or token not in "\n\t" else " "
    return _object_char(token) or None


def _object_char(token: Tag | Raw) -> str:
    """What an element stands for in the paragraph's text: an object, a paragraph break,
    or nothing (the start or end of an inline element)."""
    if isinstance(token, Raw):
        return token.stands_for
    if token.kind == "void" and token.name == "img":
        return OBJECT
    if token.kind == "void" and token.name == "br":
        return "\u2029"
    return ""


_AS_SPACES = str.maketrans("\n\t", "  ")


def _has_explicit_controls(text: str) -> bool:
    return any(control in text for control in EXPLICIT_OPENERS | EXPLICIT_CLOSERS)


def levels_by_segment(text: str, base_level: int) -> list[int]:
    """Levels of each bidi paragraph in ``text`` (split at U+2029 and newlines)."""
    levels: list[int] = []
    start = 0
    for index, char in enumerate(text + "\u2029"):
        if char in "\u2029\n":
            levels.extend(paragraph_levels(text[start:index], base_level))
            if index < len(text):
                levels.append(base_level)
            start = index + 1
    return levels


def direction_runs(levels: list[int], base_level: int) -> list[tuple[int, int, str]]:
    """Every maximal run of characters above each level, innermost last: ``(first, last,
    direction)`` in character positions."""
    runs = []
    for level in range(base_level + 1, max(levels, default=base_level) + 1):
        direction = "rtl" if level % 2 else "ltr"
        start = None
        for position, value in enumerate([*levels, -1]):
            if value >= level and start is None:
                start = position
            elif value < level and start is not None:
                runs.append((start, position - 1, direction))
                start = None
    return runs


def crosses_markup(tokens: list[Token], start: int, end: int) -> bool:
    """True when tokens ``start`` to ``end`` are more than one text box in WeasyPrint; an
    isolate alone is laid out on its own already."""
    if start == end and isinstance(tokens[start], Raw):
        return False
    return any(not isinstance(token, str) for token in tokens[start : end + 1])


def widen(tokens: list[Token], start: int, end: int) -> tuple[int, int]:
    """Take in the elements that begin and end exactly at the run's edges, so that the
    wrap goes around ``<b>Apple</b>`` rather than splitting it into empty halves."""
    changed = True
    while changed:
        changed = False
        before, after = (tokens[start - 1] if start else None), tokens[end + 1 : end + 2]
        if isinstance(before, Tag) and before.kind == "start" and before.partner <= end + 1:
            start -= 1
            changed = True
        closing = after[0] if after else None
        if isinstance(closing, Tag) and closing.kind == "end" and closing.partner >= start:
            end += 1
            changed = True
    return start, end


def rebuild(tokens: list[Token], wraps: list[Wrap]) -> str:
    """Serialise the tokens with the wraps inserted, splitting any element that straddles
    a wrap's edge (the copy after the split drops the ``id``, which must stay unique)."""
    opens: dict[int, list[Wrap]] = {}
    closes: dict[int, list[Wrap]] = {}
    for wrap in sorted(wraps, key=lambda w: (w.start, -w.end)):
        opens.setdefault(wrap.start, []).append(wrap)
        closes.setdefault(wrap.end, []).insert(0, wrap)
    out: list[str] = []
    stack: list[Tag | Wrap] = []
    for index, token in enumerate(tokens):
        for wrap in opens.get(index, ()):
            _open_wrap(out, stack, wrap)
        _emit(out, stack, token)
        for wrap in closes.get(index, ()):
            _close_wrap(out, stack, wrap)
    return "".join(out)


def _open_tag(item: Tag | Wrap, *, copy: bool = False) -> str:
    if isinstance(item, Wrap):
        return Tag("span", list(item.attrs), "start").html()
    return item.html(drop_id=copy)


def _close_tag(item: Tag | Wrap) -> str:
    return "</span>" if isinstance(item, Wrap) else f"</{item.name}>"


def _open_wrap(out: list[str], stack: list[Tag | Wrap], wrap: Wrap) -> None:
    split_from = next(
        (i for i, item in enumerate(stack) if isinstance(item, Tag) and item.partner <= wrap.end),
        len(stack),
    )
    moved = stack[split_from:]
    out.extend(_close_tag(item) for item in reversed(moved))
    del stack[split_from:]
    out.append(_open_tag(wrap))
    stack.append(wrap)
    out.extend(_open_tag(item, copy=True) for item in moved)
    stack.extend(moved)


def _close_wrap(out: list[str], stack: list[Tag | Wrap], wrap: Wrap) -> None:
    moved: list[Tag | Wrap] = []
    while stack and stack[-1] is not wrap:
        moved.insert(0, stack.pop())
    out.extend(_close_tag(item) for item in reversed(moved))
    if stack:
        stack.pop()
        out.append("</span>")
    out.extend(_open_tag(item, copy=True) for item in moved)
    stack.extend(moved)


# What ``html.escape(char, quote=False)`` gives, looked up: the tokens are single characters,
# and a paragraph has thousands of them.
_ESCAPED = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ESCAPE = str.maketrans(_ESCAPED)


def serialised(pieces: list[Piece]) -> str:
    """The pieces (or tokens) as HTML with no wrap: what ``rebuild(tokens, [])`` gives for
    their tokens, in one pass."""
    return "".join(
        piece.translate(_ESCAPE) if isinstance(piece, str)
        else piece.html if isinstance(piece, Raw) else piece.html()
        for piece in pieces
    )  # fmt: skip


def _emit(out: list[str], stack: list[Tag | Wrap], token: Token) -> None:
    if isinstance(token, str):
        out.append(_ESCAPED.get(token, token))
    elif isinstance(token, Raw):
        out.append(token.html)
    elif token.kind == "start":
        out.append(token.html())
        stack.append(token)
    elif token.kind == "end":
        if stack and isinstance(stack[-1], Tag):
            stack.pop()
        out.append(token.html())
    else:
        out.append(token.html())
