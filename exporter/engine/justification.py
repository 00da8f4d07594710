"""No justification inside text the stylesheet marks as not to be stretched: inline code.

WeasyPrint 70 justifies a line by widening every space and no-break space on it
(``justify_line`` in layout/inline.py), those of inline code too: the spaces of
``pip install --upgrade`` open up like the words' around them, and the code no longer
reads as typed. CSS gives text a way out, ``text-justify: none`` (CSS Text 3, 7.2: no
justification opportunity in it), which WeasyPrint does not know. The print stylesheet
writes the same value as a custom property, ``--text-justify: none``, which WeasyPrint
keeps and inherits; within this patch a text box that carries it counts no space for the
line's justification and keeps its own layout, and the other spaces of its line take up
the width.

The same property set to ``kashida`` (the print stylesheet's choice for Arabic text) makes
the line's slack go first into kashidas, planned here on the line before its spaces are
widened and drawn by ``kashida.py``; the spaces take what the kashidas cannot.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from .kashida import kashida_strokes, plan_line, planned_width
from .replacing import replaced

# WeasyPrint keeps a custom property ``--name`` in the computed style as ``__name``.
PROPERTY = "__text_justify"


def never_stretched(box: Any) -> bool:
    """Whether a text box's style says ``--text-justify: none`` (only a text box, which
    has ``text``, is ever stretched itself)."""
    if not hasattr(box, "text"):
        return False
    value = box.style[PROPERTY] or ()
    return [getattr(token, "lower_value", None) for token in value
            if token.type != "whitespace"] == ["none"]  # fmt: skip


def counting(standard: Callable[[Any], int]) -> Callable[[Any], int]:
    def count_expandable_spaces(box: Any) -> int:
        return 0 if never_stretched(box) else standard(box)

    return count_expandable_spaces


def spacing(
    standard: Callable[[Any, Any, float, float], float], count: Callable[[Any], int]
) -> Callable[..., float]:
    from weasyprint.formatting_structure.boxes import LineBox

    def add_word_spacing(context: Any, box: Any, justification_spacing: float,
                         x_advance: float) -> float:  # fmt: skip
        if isinstance(box, LineBox):  # justify_line's call, for the whole line
            justification_spacing = plan_line(box, justification_spacing, count(box))
        if never_stretched(box):
            box.position_x += x_advance  # moved along with its line, not widened
            return x_advance
        x_advance = standard(context, box, justification_spacing, x_advance)
        if hasattr(box, "text") and (kashidas := planned_width(box)):
            box.width += kashidas  # the glyphs after each join move on (kashida.py)
            x_advance += kashidas
        return x_advance

    return add_word_spacing


@contextlib.contextmanager
def code_never_stretched() -> Iterator[None]:
    """Within the block, a text box marked ``--text-justify: none`` is not stretched when
    its line is justified, and one marked ``kashida`` is justified with kashidas; after it,
    WeasyPrint justifies as its own code does."""
    from weasyprint.layout import inline

    count = counting(inline.count_expandable_spaces)
    with (
        replaced(inline, "count_expandable_spaces", count),
        replaced(inline, "add_word_spacing", spacing(inline.add_word_spacing, count)),
        kashida_strokes(),
    ):
        yield
