"""Embedding levels of one paragraph by the Unicode Bidirectional Algorithm (UAX #9).

Only what the bidi pass needs: the weak-type rules W1-W7, the neutral rules N1-N2, the
implicit levels I1-I2 and the whitespace reset L1, for a paragraph without explicit
embeddings. Explicit formatting characters count as boundary neutrals (X9); an inline
element with its own ``dir`` reaches this module as one object replacement character
(U+FFFC, type ON), which is how an isolate looks from outside (UAX #9, section 3.3.2).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable

STRONG = frozenset({"L", "R", "AL"})
# X9: removed from the paragraph; they take the level of the character before them.
REMOVED = frozenset({"BN", "LRE", "RLE", "LRO", "RLO", "PDF"})
ISOLATE_CONTROLS = frozenset({"LRI", "RLI", "FSI", "PDI"})
ISOLATE_CHARS = "\u2066\u2067\u2068\u2069"
NEUTRAL = frozenset({"B", "S", "WS", "ON"})
# The classes that can take a character above the paragraph's level: in a left-to-right
# paragraph (level 0) right-to-left letters and Arabic numbers, in a right-to-left one
# (level 1) left-to-right letters and numbers of either kind.
_AGAINST = (frozenset({"R", "AL", "AN"}), frozenset({"L", "EN", "AN"}))


@functools.lru_cache(maxsize=4096)  # a paragraph has thousands of characters, a few dozen kinds
def bidi_class(char: str) -> str:
    """The character's bidi class; an unassigned code point counts as L (UAX #9, 3.2)."""
    kind = unicodedata.bidirectional(char) or "L"
    return "ON" if kind in ISOLATE_CONTROLS else kind


def can_rise(characters: Iterable[str], base_level: int) -> bool:
    """Whether any of ``characters`` could take a level above the paragraph's. When none
    can, every rule leaves the whole paragraph at its base level (W1-W7 turn numbers into
    L or keep them EN/AN, N1-N2 give neutrals the embedding's own direction at both ends).
    Most Arabic paragraphs are so."""
    against = _AGAINST[base_level % 2]
    return any(bidi_class(char) in against for char in characters)


def paragraph_levels(text: str, base_level: int) -> list[int]:
    """The resolved embedding level of every character of ``text``."""
    if not can_rise(set(text), base_level):
        return [base_level] * len(text)  # and the rules are saved
    classes = [bidi_class(char) for char in text]
    kept = [i for i, kind in enumerate(classes) if kind not in REMOVED]
    types = [classes[i] for i in kept]
    outer = "R" if base_level % 2 else "L"  # sos and eos
    _resolve_weak(types, outer)
    _resolve_neutral(types, outer, "R" if base_level % 2 else "L")
    levels = [base_level] * len(text)
    for index, kind in zip(kept, types, strict=True):
        levels[index] = _implicit_level(kind, base_level)
    for index, kind in enumerate(classes):
        if kind in REMOVED:
            levels[index] = levels[index - 1] if index else base_level
    _reset_whitespace(text, classes, levels, base_level)
    return levels


def _resolve_weak(types: list[str], sos: str) -> None:
    for i, kind in enumerate(types):  # W1
        if kind == "NSM":
            types[i] = types[i - 1] if i else sos
    last_strong = sos
    for i, kind in enumerate(types):  # W2, W3
        if kind == "EN" and last_strong == "AL":
            kind = "AN"
        if kind in STRONG:
            last_strong = kind
        types[i] = "R" if kind == "AL" else kind
    for i in range(1, len(types) - 1):  # W4
        before, here, after = types[i - 1], types[i], types[i + 1]
        if before == after == "EN" and here in {"ES", "CS"}:
            types[i] = "EN"
        elif before == after == "AN" and here == "CS":
            types[i] = "AN"
    _spread_terminators(types)  # W5
    last_strong = sos
    for i, kind in enumerate(types):  # W6, W7
        if kind in {"ES", "ET", "CS"}:
            types[i] = "ON"
        elif kind == "EN" and last_strong == "L":
            types[i] = "L"
        elif kind in {"L", "R"}:
            last_strong = kind


def _spread_terminators(types: list[str]) -> None:
    """W5: a sequence of European terminators next to a European number becomes one."""
    i = 0
    while i < len(types):
        if types[i] != "ET":
            i += 1
            continue
        end = i
        while end < len(types) and types[end] == "ET":
            end += 1
        if (i > 0 and types[i - 1] == "EN") or (end < len(types) and types[end] == "EN"):
            types[i:end] = ["EN"] * (end - i)
        i = end


def _resolve_neutral(types: list[str], outer: str, embedding: str) -> None:
    """N1, N2: neutrals between two strong types of one direction take it (numbers count
    as R); any other run of neutrals takes the embedding direction."""

    def strength(kind: str) -> str:
        return "L" if kind == "L" else "R"

    i = 0
    while i < len(types):
        if types[i] not in NEUTRAL:
            i += 1
            continue
        end = i
        while end < len(types) and types[end] in NEUTRAL:
            end += 1
        before = strength(types[i - 1]) if i > 0 else outer
        after = strength(types[end]) if end < len(types) else outer
        types[i:end] = [before if before == after else embedding] * (end - i)
        i = end


def _implicit_level(kind: str, base_level: int) -> int:
    """I1, I2."""
    if base_level % 2 == 0:
        return base_level + {"R": 1, "AN": 2, "EN": 2}.get(kind, 0)
    return base_level + (1 if kind in {"L", "EN", "AN"} else 0)


def _reset_whitespace(text: str, classes: list[str], levels: list[int], base: int) -> None:
    """L1: separators, and whitespace before them or at the paragraph's end, take the
    paragraph level."""
    trailing = True
    for i in range(len(text) - 1, -1, -1):
        kind = classes[i]
        if kind in {"S", "B"}:
            levels[i] = base
            trailing = True
        elif trailing and (kind == "WS" or kind in REMOVED or text[i] in ISOLATE_CHARS):
            levels[i] = base
        else:
            trailing = False
