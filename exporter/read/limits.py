"""Limits that turn pathological input into a clear error instead of a hang or a crash."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..errors import LimitError

# Elements that cannot nest by accident: void elements, and those whose end tag HTML may
# leave out (HTML Living Standard, 13.1.2.4 "Optional tags"): an HTML parser closes them
# when the next one opens, so twenty `<p>` in a row are not twenty levels deep.
_NOT_NESTING = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr", "p", "li", "dt", "dd", "rt", "rp", "optgroup", "option", "tr", "td", "th",
     "thead", "tbody", "tfoot", "colgroup", "caption", "html", "head", "body"}
)  # fmt: skip
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>")


def nesting_depth(html: str) -> int:
    """How deep elements nest in an HTML fragment, counted the way an HTML parser would
    build them. Runs in linear time over any input, well-formed or not."""
    depth = deepest = 0
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.groups()
        if self_closing or name.lower() in _NOT_NESTING:
            continue
        if closing:
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def check_depth(html: str, max_depth: int) -> None:
    """Checked on the HTML markdown-it renders, raw HTML included, before the sanitiser
    parses it: html5ever takes quadratic time on deep nesting."""
    depth = nesting_depth(html)
    if depth > max_depth:
        raise LimitError(
            f"the text nests {depth} levels deep (blockquotes, lists or HTML), "
            f"over the limit of {max_depth}: flatten it or raise --max-depth"
        )


def check_footnotes(env: Mapping[str, object], max_footnotes: int) -> None:
    """Checked on the parser's list of notes, before any of them is rendered."""
    notes = env.get("footnotes")
    count = len(notes.get("list", ())) if isinstance(notes, Mapping) else 0
    if count > max_footnotes:
        raise LimitError(
            f"the text has {count} footnotes, over the limit of {max_footnotes}: "
            "raise --max-footnotes"
        )
