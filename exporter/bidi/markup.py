"""The bidi pass: the pass between parsing and rendering that makes every engine order
mixed Arabic and Latin text as the Unicode bidi algorithm does.

It reads the sanitised body HTML block by block. For each paragraph of inline content it
wraps every directional run that crosses markup in one ``<span dir>`` (see
``bidi/runs.py``), gives a paragraph written mostly in the other direction its own ``dir``,
tags runs of Hebrew and Greek with their ``lang``, and closes bidi controls the author
left open. The same body then serves the PDF, the EPUB and the web page.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

from ..model import base_language
from .isolates import isolate_technical_tokens
from .levels import bidi_class, can_rise
from .runs import (
    LRM,
    OBJECT,
    RLM,
    Piece,
    Raw,
    Tag,
    Token,
    Wrap,
    bidi_text,
    crosses_markup,
    direction_runs,
    levels_by_segment,
    one_per_character,
    pair_tags,
    paragraph_text,
    rebuild,
    serialised,
    widen,
)
from .tokens import find_tokens

INLINE_TAGS = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "del", "dfn", "em", "i", "img",
     "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time",
     "u", "var", "wbr"}
)  # fmt: skip
VOID_TAGS = frozenset({"br", "img", "wbr", "hr", "col", "area", "source"})
# Elements whose text is code, typed for a machine: no technical token is looked for in it.
LITERAL_TAGS = frozenset({"code", "kbd", "samp"})
# Blocks that hold one paragraph: each gets the direction most of its letters have.
AUTO_DIRECTION = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "figcaption", "dt", "dd", "caption"}
)
# Embeddings and overrides end with PDF, isolates with PDI (UAX #9, 2.1-2.4).
OPENERS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c",
           "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}  # fmt: skip
CLOSERS = frozenset({"\u202c", "\u2069"})
# Scripts whose runs can be given a language: one language writes each of them here.
SCRIPT_LANGUAGES = (("\u0590", "\u05ff", "he"), ("\ufb1d", "\ufb4f", "he"),
                    ("\u0370", "\u03ff", "el"), ("\u1f00", "\u1fff", "el"))  # fmt: skip


def apply_bidi_pass(body_html: str, *, lang: str, direction: str) -> str:
    """The body with its runs isolated and its paragraphs given their direction."""
    bidi_pass = _BidiPass(base_language(lang), direction)
    bidi_pass.feed(body_html)
    bidi_pass.close()
    return bidi_pass.result()


def strong_direction(text: str) -> str | None:
    """The direction a paragraph reads in: that of its first strong letter (UAX #9, P2),
    when most of its words read that way too; ``None`` when unclear. Counting words, not
    letters: a sentence of Arabic with two long English names stays Arabic."""
    firsts = [first_strong(word) for word in text.split()]
    words = [direction for direction in firsts if direction]
    if not words:
        return None
    share = words.count(words[0]) / len(words)
    return words[0] if share > 0.5 else None


def first_strong(text: str) -> str | None:
    for char in text:
        kind = bidi_class(char)
        if kind == "L":
            return "ltr"
        if kind in {"R", "AL"}:
            return "rtl"
    return None


# The C0 and C1 controls (Unicode category Cc) but tab and newline: not allowed in XHTML
# content, dropped.
_WITHOUT_CONTROLS = dict.fromkeys([*range(0x20), *range(0x7F, 0xA0)])
del _WITHOUT_CONTROLS[ord("\t")], _WITHOUT_CONTROLS[ord("\n")]
# The embeddings, overrides and isolates the pass closes (``close_controls``).
_BIDI_CONTROLS = frozenset(OPENERS) | CLOSERS


@dataclass
class _Block:
    tag: str
    direction: str
    lang: str
    start_at: int  # index of its start tag in the output
    has_blocks: bool = False


class _BidiPass(HTMLParser):
    def __init__(self, lang: str, direction: str):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.inline: list[Piece] = []
        self.blocks = [_Block("", direction, lang, -1)]

    def result(self) -> str:
        self._flush()
        return "".join(self.out)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in INLINE_TAGS:
            if tag == "code" and "dir" not in dict(attrs) and self.blocks[-1].tag != "pre":
                attrs = [*attrs, ("dir", "ltr")]  # inline code: one left-to-right isolate
            self.inline.append(Tag(tag, attrs, "void" if tag in VOID_TAGS else "start"))
            return
        self._flush()
        parent = self.blocks[-1]
        parent.has_blocks = True
        given = dict(attrs)
        if tag == "pre" and "dir" not in given:
            attrs, given["dir"] = [*attrs, ("dir", "ltr")], "ltr"  # code reads left to right
        self.out.append(Tag(tag, attrs, "start").html())
        if tag not in VOID_TAGS:
            self.blocks.append(
                _Block(
                    tag,
                    given.get("dir") or parent.direction,
                    base_language(given.get("lang") or parent.lang),
                    len(self.out) - 1 if tag in AUTO_DIRECTION and "dir" not in given else -1,
                )
            )

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        if tag in INLINE_TAGS:
            self.inline.append(Tag(tag, [], "end"))
            return
        if len(self.blocks) == 1 or self.blocks[-1].tag != tag:
            return  # a stray end tag; the sanitiser's output has none
        block = self.blocks[-1]
        if block.start_at >= 0 and not block.has_blocks:
            self._set_direction(block)
        self._flush()
        self.out.append(f"</{tag}>")
        self.blocks.pop()

    def handle_data(self, data: str) -> None:
        if text := data.translate(_WITHOUT_CONTROLS):
            self.inline.append(text)

    def _set_direction(self, block: _Block) -> None:
        text = paragraph_text(self.inline)
        found = strong_direction(text)
        if found and found != block.direction:
            block.direction = found
            start = self.out[block.start_at]
            self.out[block.start_at] = f'{start[:-1]} dir="{found}">'

    def _flush(self) -> None:
        if self.inline:
            block = self.blocks[-1]
            paragraph = Paragraph(block.direction, block.lang, block.tag == "pre")
            self.out.append(paragraph.render(self.inline))
            self.inline = []


@dataclass
class Paragraph:
    """One paragraph's inline content, in one base direction."""

    direction: str
    lang: str
    preformatted: bool = False
    literal: bool = False  # code: no technical token is isolated in it

    def render(self, pieces: list[Piece]) -> str:
        if self._left_as_is(pieces):
            return serialised(pieces)
        tokens = one_per_character(pieces)
        if not _BIDI_CONTROLS.isdisjoint(_text_of(pieces)):
            tokens = close_controls(tokens)
        pair_tags(tokens)
        tokens = self._isolate_elements(tokens)
        if self._left_as_is(tokens):  # all it had was in isolates (a note call, a <bdi>)
            return serialised(tokens)
        pair_tags(tokens)
        tokens = self._isolate_technical_tokens(tokens)
        return rebuild(tokens, self.direction_wraps(tokens) + self.language_wraps(tokens))

    def _left_as_is(self, pieces: list[Piece]) -> bool:
        """Nothing here for the pass to do: no bidi control, no letter or number that
        could take a run against the paragraph's direction, no Hebrew or Greek, no element
        that isolates its content, no technical token. Most Arabic paragraphs are so, and
        skip its passes without being split into characters."""
        text = _text_of(pieces)
        # An isolate that stands for a strong character (code against the paragraph's
        # direction) can take the neutrals between two of them along, as a letter would.
        characters = set(text) | {p.stands_for for p in pieces if isinstance(p, Raw)}
        return (
            characters.isdisjoint(_BIDI_CONTROLS)
            and not can_rise(characters, 1 if self.direction == "rtl" else 0)
            and not any(map(script_language, characters))
            and not any(isinstance(piece, Tag) and _may_isolate(piece) for piece in pieces)
            and not self._isolates_tokens_of(text)
        )

    def _isolates_tokens_of(self, text: str) -> bool:
        """A token of neutral characters only (``../``) in right-to-left text, where
        nothing else could rise, would still come out reversed."""
        isolating = self.direction == "rtl" and not (self.literal or self.preformatted)
        return isolating and bool(find_tokens(text))

    def direction_wraps(self, tokens: list[Token]) -> list[Wrap]:
        text, where = bidi_text(tokens, keep_newlines=self.preformatted)
        base = 1 if self.direction == "rtl" else 0
        wraps = []
        for first, last, direction in direction_runs(levels_by_segment(text, base), base):
            start, end = where[first][0], where[last][1]
            if crosses_markup(tokens, start, end):
                start, end = widen(tokens, start, end)
                wraps.append(Wrap(start, end, [("dir", direction)]))
        return wraps

    def language_wraps(self, tokens: list[Token]) -> list[Wrap]:
        """``<span lang>`` around each run of Hebrew or Greek letters (with the spaces,
        marks and punctuation between them) in a paragraph of another language."""
        wraps: list[Wrap] = []
        current: Wrap | None = None
        for index, token in enumerate(tokens):
            if not isinstance(token, str):
                current = None
                continue
            language = script_language(token)
            if language and language != self.lang:
                if current and current.attrs[0][1] == language:
                    current.end = index
                else:
                    current = Wrap(index, index, [("lang", language)])
                    wraps.append(current)
            elif language or not _joins_words(token):
                current = None
        return wraps

    def _isolate_technical_tokens(self, tokens: list[Token]) -> list[Token]:
        """Every technical token (``bidi/tokens.py``) made a left-to-right isolate; none in
        code, which is one isolate already."""
        if self.literal or self.preformatted:
            return tokens
        inner = Paragraph("ltr", self.lang, literal=True)
        return isolate_technical_tokens(tokens, 1 if self.direction == "rtl" else 0, inner.render)

    def _isolate_elements(self, tokens: list[Token]) -> list[Token]:
        """An inline element that carries ``dir`` is an isolate (HTML, "The dir
        attribute"): render its content as a paragraph of its own, and let the text around
        it see one neutral object."""
        out: list[Token] = []
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if isinstance(token, Tag) and token.kind == "start" and token.partner > index:
                direction = self._isolate_direction(token, tokens[index + 1 : token.partner])
                if direction:
                    literal = self.literal or token.name in LITERAL_TAGS
                    inner = Paragraph(str(direction), self.lang, self.preformatted, literal)
                    body = inner.render(tokens[index + 1 : token.partner])
                    # Code against the paragraph's direction stands for a word of its own
                    # direction, an author's isolate for a neutral object (HTML, "The dir
                    # attribute").
                    against = literal and direction != self.direction
                    stands_for = (LRM if direction == "ltr" else RLM) if against else OBJECT
                    out.append(Raw(token.html() + body + f"</{token.name}>", stands_for))
                    index = token.partner + 1
                    continue
            out.append(
                Tag(token.name, token.attrs, token.kind) if isinstance(token, Tag) else token
            )
            index += 1
        return out

    def _isolate_direction(self, tag: Tag, content: list[Token]) -> str | None:
        """The direction of an element that isolates its content; a ``<bdi>`` without
        one gets the direction of its letters, written out for WeasyPrint."""
        given = dict(tag.attrs).get("dir")
        if given in {"ltr", "rtl"}:
            return given
        if tag.name != "bdi":
            return None
        found = strong_direction(bidi_text(content)[0]) or self.direction
        tag.attrs = [*[(n, v) for n, v in tag.attrs if n != "dir"], ("dir", found)]
        return found


def _text_of(pieces: list[Piece]) -> str:
    return "".join(piece for piece in pieces if isinstance(piece, str))


def _may_isolate(tag: Tag) -> bool:
    """Whether the element's content may be a paragraph of its own (``_isolate_elements``:
    a ``bdi``, or a ``dir`` of ``ltr`` or ``rtl``)."""
    return tag.name == "bdi" or any(name == "dir" for name, _ in tag.attrs)


@functools.cache
def script_language(char: str) -> str | None:
    for first, last, language in SCRIPT_LANGUAGES:
        if first <= char <= last and unicodedata.category(char)[0] in "LM":
            return language
    return None


@functools.cache
def _joins_words(char: str) -> bool:
    """Spaces, marks and punctuation may sit inside a run of one script."""
    return unicodedata.category(char)[0] in "ZMP"


def close_controls(tokens: list[Token]) -> list[Token]:
    """Close every embedding, override or isolate at the end of the inline element (or
    paragraph) that opened it, so it cannot reorder the text after it; drop closers that
    close nothing."""
    out: list[Token] = []
    scopes: list[list[str]] = [[]]
    for token in tokens:
        if isinstance(token, Tag) and token.kind == "start":
            scopes.append([])
        elif isinstance(token, Tag) and token.kind == "end":
            out.extend(reversed(scopes.pop() if len(scopes) > 1 else []))
        elif isinstance(token, str) and token in OPENERS:
            scopes[-1].append(OPENERS[token])
        elif isinstance(token, str) and token in CLOSERS:
            scope = scopes[-1]
            if token not in scope or (token == "\u202c" and scope[-1] != token):
                continue  # UAX #9, X6a and X7: a closer with nothing to close is ignored
            while scope.pop() != token:
                pass  # a PDI also closes the embeddings opened inside its isolate
        out.append(token)
    out.extend(reversed(scopes[0]))
    return out
