"""Each line of a right-to-left paragraph laid out once, where WeasyPrint 70 lays it out twice.

WeasyPrint's ``get_next_linebox`` (layout/inline.py) lays a line out, asks
``avoid_collisions`` where the line goes now that its height is known, and lays the line out
again unless that is where it started. For a right-to-left block it compares right edges,
written as ``position_x + width``. But for a right-to-left line box ``avoid_collisions``
returns the right edge itself as ``position_x``, and the width it started from was taken
before the layout: 0 when there is no float. The two sides agree only for an empty line,
so every line of an Arabic paragraph is split, shaped by Pango and measured a second time,
with the same result: half the line layouts of an Arabic document are done for nothing.

The fix is made from outside the loop, which stays WeasyPrint's. When the place found after
the layout is exactly the place the line started from (same right edge, top and available
width), a second layout would start from the same inputs as the first (the floats placed by
the first are set aside and placed again) and give the same line; the comparison is then
given the left edge it expects, so it holds, and the loop ends after one layout, as it does
for a left-to-right line. When a float moves the line, WeasyPrint's answer is passed on
untouched, and the loop runs as it always did.
"""

from __future__ import annotations

import contextlib
import functools
import math
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .replacing import replaced

Place = tuple[float, float, float]  # avoid_collisions: position_x, position_y, available width


@dataclass
class _LineInProgress:
    """What ``get_next_linebox`` saw for the line it is making."""

    linebox: Any
    start: Place | None = None  # the place before the layout
    width_at_start: float = 0.0  # the line box's width then, which the comparison adds
    # The first layout was answered: a second one (a float moved the line) compares with
    # the place it started from, not this one, so it is left to WeasyPrint.
    answered: bool = False


class _LinesInProgress(threading.local):
    """One entry per get_next_linebox call in progress: an inline-block makes lines of its
    own while its line is being made. Per thread: two threads laying out documents at once
    each have their own."""

    def __init__(self) -> None:
        self.stack: list[_LineInProgress] = []


_in_progress = _LinesInProgress()


def _edge_for_comparison(line: _LineInProgress, laid_out: Any) -> float | None:
    """A ``position_x`` for which WeasyPrint's right-to-left comparison,
    ``position_x + line.width == start_x + width_at_start``, holds in floating point; None
    if there is none next to the exact answer."""
    assert line.start is not None
    target = line.start[0] + line.width_at_start
    candidate = target - laid_out.width
    for _ in range(4):
        total = candidate + laid_out.width
        if total == target:
            return candidate
        candidate = math.nextafter(candidate, math.inf if total < target else -math.inf)
    return None


def once_per_line(
    avoid_collisions: Callable[..., Place], get_next_linebox: Callable[..., Any]
) -> tuple[Callable[..., Place], Callable[..., Any]]:
    """The two wrappers, for layout/inline.py's names."""

    @functools.wraps(get_next_linebox)
    def next_linebox(*args: Any, **kwargs: Any) -> Any:
        lines = _in_progress.stack
        lines.append(_LineInProgress(linebox=args[1]))
        try:
            return get_next_linebox(*args, **kwargs)
        finally:
            lines.pop()

    @functools.wraps(avoid_collisions)
    def collisions(context: Any, box: Any, containing_block: Any, outer: bool = True) -> Place:
        place = avoid_collisions(context, box, containing_block, outer)
        lines = _in_progress.stack
        if not lines:
            return place
        line = lines[-1]
        if box is line.linebox:
            # Asked for the line box before the loop (and again after each layout).
            if line.start is None:
                line.start, line.width_at_start = place, box.width
            return place
        # Asked for the laid-out line: the answer that decides whether to lay it out again.
        first_layout, line.answered = not line.answered, True
        if not first_layout or containing_block.style["direction"] != "rtl" or place != line.start:
            return place
        edge = _edge_for_comparison(line, box)
        return place if edge is None else (edge, place[1], place[2])

    collisions.lays_rtl_lines_once = True  # type: ignore[attr-defined]
    return collisions, next_linebox


@contextlib.contextmanager
def lay_out_rtl_lines_once() -> Iterator[None]:
    """Within the block, the two names of WeasyPrint's inline layout (layout/inline.py) are
    wrapped; after it, they are WeasyPrint's own again."""
    from weasyprint.layout import inline

    collisions, next_linebox = once_per_line(inline.avoid_collisions, inline.get_next_linebox)
    with (
        replaced(inline, "avoid_collisions", collisions),
        replaced(inline, "get_next_linebox", next_linebox),
    ):
        yield
