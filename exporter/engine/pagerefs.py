"""pydyf's list of page references, made once per page count instead of once per use.

WeasyPrint 70 reads ``PDF.page_references[n]`` for one page each time it tags a box
(pdf/tags.py) or adds an outline entry, and pydyf builds the reference of every page on
each read: about 13,000 reads of a 300-page list for the tagged 300-page book, four
million references made to use one each time, seconds of its export. pydyf only ever
appends pages, so the list is made again only when the number of pages has changed.
"""

from __future__ import annotations

from typing import Any

_CACHE = "_page_references_by_count"


def install() -> None:
    """Replace the property, once per process: it answers as pydyf's own does."""
    import pydyf

    standard = pydyf.PDF.page_references
    if getattr(standard.fget, "made_once_per_count", False):
        return

    def page_references(pdf: Any) -> tuple[bytes, ...]:
        count = len(pdf.pages["Kids"])
        cached = pdf.__dict__.get(_CACHE)
        if cached is None or cached[0] != count:
            cached = pdf.__dict__[_CACHE] = (count, standard.fget(pdf))
        return cached[1]  # type: ignore[no-any-return]

    page_references.made_once_per_count = True  # type: ignore[attr-defined]
    pydyf.PDF.page_references = property(page_references)
