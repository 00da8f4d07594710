"""pydyf's list of page references, made once per page count instead of once per use.

WeasyPrint 70 reads ``PDF.page_references[n]`` for one page each time it tags a box
(pdf/tags.py) or adds an outline entry, and pydyf builds the reference of every page on
each read: for a tagged book, the whole list is made once per box to use one reference of
it. pydyf only ever appends pages, so the list is made again only when the number of pages
has changed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from .replacing import replaced

_CACHE = "_page_references_by_count"


def made_once_per_count(standard: Callable[[Any], tuple[bytes, ...]]) -> property:
    """The property, answering as pydyf's own ``standard`` getter does."""

    def page_references(pdf: Any) -> tuple[bytes, ...]:
        count = len(pdf.pages["Kids"])
        cached = pdf.__dict__.get(_CACHE)
        if cached is None or cached[0] != count:
            cached = pdf.__dict__[_CACHE] = (count, standard(pdf))
        return cached[1]  # type: ignore[no-any-return]

    page_references.made_once_per_count = True  # type: ignore[attr-defined]
    return property(page_references)


@contextlib.contextmanager
def page_references_once_per_count() -> Iterator[None]:
    """Within the block, ``pydyf.PDF.page_references`` is made once per page count; after
    it, it is pydyf's own property again."""
    import pydyf

    new = made_once_per_count(pydyf.PDF.page_references.fget)
    with replaced(pydyf.PDF, "page_references", new):
        yield
