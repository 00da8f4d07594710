"""Keep each page footnote on the page of its call, where WeasyPrint 70 moves it away.

When a paragraph's line overflows the page and orphans or widows forbid breaking before
it, WeasyPrint 70 makes room by moving notes already set on the page (whose calls are
higher up on it) to the next page, and sets the line; the notes called from that very line
are then never laid out at all (PR Kozea/WeasyPrint#2437, for issue #2432): in a book,
notes end up a page after their call, and some are lost. CSS GCPM 3, section 2 wants a
note on its call's page; breaking before the paragraph, as WeasyPrint does on a page
without notes, keeps both the notes and orphans and widows.

This wraps WeasyPrint's line layout: when a call has moved notes that were already on the
page, the notes are put back and the paragraph is reported as not fitting, so the page
breaks before it (the engine's own path for orphans).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable, Iterator
from typing import Any

from .errors import EngineMismatchError
from .replacing import replaced
from .versions import UNPATCHED_FLAG

# The parameters this wrapper reads, by position, in WeasyPrint 70's _linebox_layout.
_EXPECTED = ("context", "box", "index", "child", "new_children", "page_is_empty")


def _calls_in(lines: list[Any]) -> set[Any]:
    """The notes called from these laid-out lines."""
    return {
        box.footnote
        for line in lines
        for box in line.descendants()
        if getattr(box, "footnote", None) is not None
    }


def keep_notes_with_calls(linebox_layout: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(linebox_layout)
    def layout(*args: Any) -> Any:
        context, new_children, page_is_empty = args[0], args[4], args[5]
        placed = list(context.current_page_footnotes)
        reported_before = list(context.reported_footnotes)
        result = linebox_layout(*args)
        moved = [n for n in context.reported_footnotes if n not in reported_before]
        if page_is_empty or not moved:
            return result
        stay = _calls_in(new_children)
        if not any(note in placed or note in stay for note in moved):
            return result  # only notes whose lines went to the next page with them
        for note in moved:
            if note in placed:
                context.reported_footnotes.remove(note)
        laid_here = [n for n in context.current_page_footnotes if n not in placed]
        context.current_page_footnotes[:] = placed + laid_here
        context._update_footnote_area()
        _abort, _stop, resume_at, position_y, new_footnotes, max_lines = result
        # Abort: the caller unlays this call's notes and lines and breaks before the box.
        return True, False, resume_at, position_y, new_footnotes, max_lines

    layout.keeps_notes_with_calls = True  # type: ignore[attr-defined]
    return layout


def check_signature(linebox_layout: Callable[..., Any]) -> None:
    """Raise ``EngineMismatchError`` unless ``linebox_layout`` takes, first, the parameters
    the wrapper reads by position: with others there, it would read the wrong ones."""
    found = tuple(inspect.signature(linebox_layout).parameters)
    if found[: len(_EXPECTED)] == _EXPECTED:
        return
    raise EngineMismatchError(
        "weasyprint.layout.block._linebox_layout takes "
        f"({', '.join(found)}), where the footnote fix expects it to start with "
        f"({', '.join(_EXPECTED)}), as in WeasyPrint 70.0: export with {UNPATCHED_FLAG} to "
        "run WeasyPrint without the patches"
    )


@contextlib.contextmanager
def keep_notes_on_their_pages() -> Iterator[None]:
    """Within the block, WeasyPrint's line layout (layout/block.py) is wrapped; after it,
    it is WeasyPrint's own again."""
    from weasyprint.layout import block

    check_signature(block._linebox_layout)
    with replaced(block, "_linebox_layout", keep_notes_with_calls(block._linebox_layout)):
        yield
