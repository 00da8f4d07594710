"""How much of a text a PDF reader gives back in order: the source's items matched, in
order, with the items of the reader's text.

*Found in order* is the length of a common subsequence of the two item sequences divided
by the number of items in the source: items the reader adds (folios, running heads, list
numbers) cost nothing, items it drops, changes or moves do.

The common subsequence is found the way patience diff finds one: items that occur once in
each sequence are matched first, in the longest run that keeps their order, and the gaps
between them are matched the same way, down to gaps small enough for the exact dynamic
programme. On two versions of one text it is the longest common subsequence, found in
about linear time, which the export-time check needs for a book of thousands of words.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Hashable, Sequence

# Gaps with no item unique on both sides are matched exactly up to this many cells of the
# dynamic programme; bigger ones are left unpaired (``gaps`` counts what they share).
_EXACT_CELLS = 40_000


def lcs_length(source: Sequence[Hashable], other: Sequence[Hashable]) -> int:
    """Length of the longest common subsequence, bit-parallel (Hyyrö 2004, after
    Allison and Dix 1986): one big-integer step per item of ``other``."""
    masks: dict[Hashable, int] = {}
    for position, item in enumerate(source):
        masks[item] = masks.get(item, 0) | (1 << position)
    full = (1 << len(source)) - 1
    row = full
    for item in other:
        matches = row & masks.get(item, 0)
        row = ((row + matches) | (row - matches)) & full
    return len(source) - row.bit_count()


def matched(source: Sequence[Hashable], other: Sequence[Hashable]) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` with ``source[i] == other[j]``, increasing in both."""
    pairs: list[tuple[int, int]] = []
    ranges = [(0, len(source), 0, len(other))]
    while ranges:
        a0, a1, b0, b1 = ranges.pop()
        while a0 < a1 and b0 < b1 and source[a0] == other[b0]:
            pairs.append((a0, b0))
            a0, b0 = a0 + 1, b0 + 1
        while a0 < a1 and b0 < b1 and source[a1 - 1] == other[b1 - 1]:
            a1, b1 = a1 - 1, b1 - 1
            pairs.append((a1, b1))
        if a0 == a1 or b0 == b1:
            continue
        anchors = _anchors(source, other, a0, a1, b0, b1)
        if anchors:
            pairs.extend(anchors)
            starts = [(a0, b0), *((i + 1, j + 1) for i, j in anchors)]
            ends = [*anchors, (a1, b1)]
            ranges.extend((i0, i1, j0, j1) for (i0, j0), (i1, j1) in zip(starts, ends, strict=True))
        elif (a1 - a0) * (b1 - b0) <= _EXACT_CELLS:
            pairs.extend(_exact(source, other, a0, a1, b0, b1))
    pairs.sort()
    return pairs


def gaps(
    pairs: list[tuple[int, int]], source_length: int, other_length: int
) -> list[tuple[range, range]]:
    """The stretches of both sequences between consecutive pairs (and before the first,
    after the last) that hold a source item: what the pairing left unmatched."""
    found = []
    previous = (-1, -1)
    for pair in [*pairs, (source_length, other_length)]:
        if pair[0] > previous[0] + 1:
            found.append((range(previous[0] + 1, pair[0]), range(previous[1] + 1, pair[1])))
        previous = pair
    return found


def _anchors(
    source: Sequence[Hashable], other: Sequence[Hashable], a0: int, a1: int, b0: int, b1: int
) -> list[tuple[int, int]]:
    """The items found once in ``source[a0:a1]`` and once in ``other[b0:b1]``, paired, in
    the longest run that keeps their order in both (patience sorting)."""
    in_source = Counter(source[a0:a1])
    in_other = Counter(other[b0:b1])
    where = {other[j]: j for j in range(b0, b1) if in_other[other[j]] == 1}
    candidates = [
        (i, where[source[i]])
        for i in range(a0, a1)
        if in_source[source[i]] == 1 and source[i] in where
    ]
    tops: list[int] = []  # the smallest last j of an increasing run of each length
    top_index: list[int] = []
    back: list[int] = []
    for number, (_, j) in enumerate(candidates):
        length = bisect_left(tops, j)
        if length == len(tops):
            tops.append(j)
            top_index.append(number)
        else:
            tops[length], top_index[length] = j, number
        back.append(top_index[length - 1] if length else -1)
    run: list[tuple[int, int]] = []
    number = top_index[-1] if top_index else -1
    while number >= 0:
        run.append(candidates[number])
        number = back[number]
    return run[::-1]


def _exact(
    source: Sequence[Hashable], other: Sequence[Hashable], a0: int, a1: int, b0: int, b1: int
) -> list[tuple[int, int]]:
    """A longest common subsequence of two small gaps, by the dynamic programme."""
    rows, columns = a1 - a0, b1 - b0
    table = [[0] * (columns + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        item, row, below = source[a0 + i], table[i], table[i + 1]
        for j in range(columns - 1, -1, -1):
            if item == other[b0 + j]:
                row[j] = below[j + 1] + 1
            else:
                row[j] = max(below[j], row[j + 1])
    pairs = []
    i = j = 0
    while i < rows and j < columns:
        if source[a0 + i] == other[b0 + j]:
            pairs.append((a0 + i, b0 + j))
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs
