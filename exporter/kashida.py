"""Where a justified Arabic line may be lengthened by kashida, and by how much: pure rules.

Arabic justifies a line mostly by lengthening the joins between letters (kashida, U+0640
tatweel), not by widening its spaces. The W3C's Arabic and Persian Layout Requirements
(alreq, section "Justification") and the order Microsoft Office applies name where a
kashida may go, from the most to the least wanted:

1. after a tatweel the author wrote (it is lengthened);
2. after an initial or medial seen or sad (س ش ص ض);
3. before a final taa marbuta, haa or dal (ة ه د ذ);
4. before a final alef, tah, lam, kaf or gaf (ا ط ظ ل ك ک گ);
5. before a final waw or ra (و ر ز ژ);
6. before a final yeh or alef maqsura (ي ى ی ئ);
7. before a medial baa-like letter (ب ت ث ن ي ئ پ ی);
8. any other join of two letters.

At most one kashida per word, and never after a letter that does not join the next
(Unicode's joining types, ArabicShaping.txt: ا د ذ ر ز و ة ء ...), inside a ligature the
font forms (a join inside one shaped glyph cluster, such as lam-alef or Allah), between a
letter and its marks (harakat attach to their letter), across a zero width non-joiner, or
in anything that is not Arabic letters (Latin, digits).

This module knows no font and no engine: the engine gives it a word's text and the
clusters the font shaped it into (``exporter/engine/kashida.py``), and the line's slack
(``allocate``).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

TATWEEL = "\u0640"
ZERO_WIDTH_JOINER = "\u200d"

# Letters that join only the letter before them (joining type R in ArabicShaping.txt) or no
# letter at all (U), in the Arabic and Arabic Supplement blocks; every other Arabic letter
# joins on both sides (D).
_RIGHT_JOINING = frozenset(
    "\u0622\u0623\u0624\u0625\u0627\u0629\u062f\u0630\u0631\u0632\u0648"
    "\u0671\u0672\u0673\u0675\u0676\u0677"
    + "".join(map(chr, range(0x0688, 0x069A)))
    + "\u06c0\u06c3\u06c4\u06c5\u06c6\u06c7\u06c8\u06c9\u06ca\u06cb\u06cd\u06cf\u06d2\u06d3"
    "\u06d5\u06ee\u06ef\u0759\u075a\u075b\u076b\u076c\u0771\u0773\u0774\u0778\u0779"
)
_NON_JOINING = frozenset("\u0621\u0674\u06d5\u06dd")
_ARABIC_LETTERS = (range(0x0620, 0x064B), range(0x066E, 0x06D4), range(0x06D5, 0x06D6),
                   range(0x06EE, 0x0700), range(0x0750, 0x0780))  # fmt: skip

_SEEN_SAD = frozenset("سشصض")
_TAA_MARBUTA_HAA_DAL = frozenset("ةهدذۀە")
_ALEF_TAH_LAM_KAF_GAF = frozenset("اأإآٱطظلكکگ")
_WAW_RA = frozenset("وؤرزژ")
_YEH_MAQSURA = frozenset("يىیئ")
_BAA_LIKE = frozenset("بتثنيئپیٹ")
_LAM = frozenset("لڵڶڷ")
_ALEF = frozenset("اأإآٱٲٳٵ")

LOWEST_PRIORITY = 8


def is_letter(char: str) -> bool:
    """An Arabic letter (or the tatweel), as opposed to a mark, a digit or anything else."""
    code = ord(char)
    return char == TATWEEL or (
        any(code in block for block in _ARABIC_LETTERS) and unicodedata.category(char) == "Lo"
    )


def joins_next(char: str) -> bool:
    """Whether a letter, when another letter follows, joins it (joining type D or C)."""
    return is_letter(char) and char not in _RIGHT_JOINING and char not in _NON_JOINING


def joins_previous(char: str) -> bool:
    """Whether a letter joins the letter before it (joining type D, R or C)."""
    return is_letter(char) and char not in _NON_JOINING


@dataclass(frozen=True)
class Join:
    """A place in a word where a kashida may go: before the character at ``index`` (of the
    text given), with its priority (1 is the most wanted)."""

    index: int
    priority: int


def _units(word: str, start: int) -> list[tuple[int, str]]:
    """A word's letters, each with the index (in the text) where it starts; a letter's
    marks belong to it and never start a unit."""
    return [(start + i, char) for i, char in enumerate(word) if is_letter(char)]


def _is_allah(word: str) -> bool:
    """The word Allah (الله, لله, with any marks): the font draws it as one ligature."""
    bare = "".join(char for char in word if is_letter(char))
    return bare.endswith("لله") and len(bare) <= 5


def _priority(before: str, after: str, after_is_final: bool) -> int:
    if before == TATWEEL:
        return 1
    if before in _SEEN_SAD:
        return 2
    if after_is_final:
        for priority, letters in (
            (3, _TAA_MARBUTA_HAA_DAL),
            (4, _ALEF_TAH_LAM_KAF_GAF),
            (5, _WAW_RA),
            (6, _YEH_MAQSURA),
        ):
            if after in letters:
                return priority
    elif after in _BAA_LIKE:
        return 7
    return LOWEST_PRIORITY


def word_joins(text: str, start: int, end: int, cluster_starts: frozenset[int]) -> list[Join]:
    """The joins of the word ``text[start:end]`` a kashida may go at, most wanted first
    (among equals, the one nearer the word's end first, as alreq prefers)."""
    word = text[start:end]
    if _is_allah(word) or not all(is_letter(c) or unicodedata.category(c) == "Mn" for c in word):
        return []
    units = _units(word, start)
    joins: list[Join] = []
    for number, ((_, before), (index, after)) in enumerate(itertools.pairwise(units)):
        if not (joins_next(before) and joins_previous(after)) or after == TATWEEL:
            continue
        if before in _LAM and after in _ALEF:
            continue  # lam-alef: always a ligature
        if index not in cluster_starts:
            continue  # inside a glyph the font forms from several letters
        after_is_final = number + 2 == len(units) or not joins_next(after)
        joins.append(Join(index, _priority(before, after, after_is_final)))
    return sorted(joins, key=lambda join: (join.priority, -join.index))


def _word_pattern() -> re.Pattern[str]:
    """An Arabic letter, then letters and marks (Mn, of any script)."""
    letters = "".join(chr(c) for block in _ARABIC_LETTERS for c in block if is_letter(chr(c)))
    letters += TATWEEL
    marks = "".join(chr(c) for c in range(0x0300, 0x10000) if unicodedata.category(chr(c)) == "Mn")
    return re.compile(f"[{re.escape(letters)}][{re.escape(letters + marks)}]*")


_WORD = _word_pattern()


def words(text: str) -> Iterable[tuple[int, int]]:
    """The (start, end) of each run of Arabic letters and marks in ``text``: a zero width
    non-joiner, a space, a digit or a Latin letter ends one."""
    return [match.span() for match in _WORD.finditer(text)]


def best_joins(text: str, cluster_starts: Iterable[int]) -> list[Join]:
    """For each word of ``text`` that has one, its most wanted join; ``cluster_starts`` are
    the indices (in ``text``) where the font's glyph clusters start."""
    starts = frozenset(cluster_starts)
    found = []
    for start, end in words(text):
        joins = word_joins(text, start, end, starts)
        if joins:
            found.append(joins[0])
    return found


@dataclass(frozen=True)
class Allocation:
    lengths: tuple[float, ...]  # per candidate, in the order given; 0 where none
    left_over: float  # what the kashidas could not take, for the spaces


def _spread(indices: Sequence[int], count: int) -> list[int]:
    """``count`` of ``indices``, spread evenly along them."""
    if count >= len(indices):
        return list(indices)
    step = len(indices) / count
    return [indices[int(step * (k + 0.5))] for k in range(count)]


def allocate(
    slack: float, priorities: Sequence[int], *, preferred: float, most: float, least: float
) -> Allocation:
    """The slack of a line shared out as kashidas, one per candidate word (``priorities``,
    in line order): about ``preferred`` each, so that a small slack lengthens a few joins of
    the highest priorities and a large one lengthens more, never more than ``most`` nor
    less than ``least`` each. What they cannot take is left over for the spaces."""
    if slack <= 0 or not priorities or slack < least:
        return Allocation((0.0,) * len(priorities), max(slack, 0.0))
    wanted = min(len(priorities), max(1, round(slack / preferred)))
    chosen: list[int] = []
    for level in sorted(set(priorities)):
        if len(chosen) >= wanted:
            break
        at_level = [i for i, priority in enumerate(priorities) if priority == level]
        chosen.extend(_spread(at_level, wanted - len(chosen)))
    each = min(most, slack / len(chosen))
    while each < least and len(chosen) > 1:  # too thin to show: fewer, longer ones
        chosen.pop()
        each = min(most, slack / len(chosen))
    lengths = [0.0] * len(priorities)
    for index in chosen:
        lengths[index] = each
    return Allocation(tuple(lengths), slack - each * len(chosen))
