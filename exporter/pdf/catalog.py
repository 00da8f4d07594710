"""Finishing touches on the PDF's catalog that WeasyPrint does not write itself."""

from __future__ import annotations

from collections.abc import Callable

import pydyf

Finisher = Callable[[object, pydyf.PDF], None]


def reading_direction_finisher(direction: str) -> Finisher:
    """A ``write_pdf(finisher=...)`` callable that records the reading order of the pages.

    ``/ViewerPreferences /Direction /R2L`` (ISO 32000-1, section 12.2, table 150) makes a
    viewer lay out spreads right to left, as a right-bound book is read. WeasyPrint 70 does
    not write it; its tagged output already sets ``/DisplayDocTitle`` in the same dictionary,
    so the key is merged in, never the dictionary replaced."""

    def finish(document: object, pdf: pydyf.PDF) -> None:
        preferences = pdf.catalog.get("ViewerPreferences")
        if not isinstance(preferences, pydyf.Dictionary):
            preferences = pydyf.Dictionary()
        preferences["Direction"] = "/R2L" if direction == "rtl" else "/L2R"
        pdf.catalog["ViewerPreferences"] = preferences

    return finish
