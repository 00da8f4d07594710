"""The values an option or a front-matter key may take: paper sizes, printer's marks and PDF
variants. Named here, apart from the stages that use them, so that checking an option
imports no stage and no engine."""

from __future__ import annotations

import re

PAPERS = ("A4", "A5", "B5", "letter")  # CSS Paged Media 3, section 8.1.1 (page-size names)
DEFAULT_PAPER = "A4"
MARKS = ("crop", "cross")  # CSS Paged Media 3, `marks`
# The two hands Arabic script is set in here: Naskh (Amiri) and Nastaliq (Noto Nastaliq
# Urdu), the hand Urdu readers expect.
SCRIPT_STYLES = ("naskh", "nastaliq")
# How a justified print line takes up its slack: kashidas first (exporter/kashida.py), or
# its spaces only.
JUSTIFICATIONS = ("kashida", "spaces")
# The languages whose Naskh print lines are justified with kashidas by default: kashidas
# beat spaces on every figure of scripts/typography.py (README, "Kashida justification").
_KASHIDA_LANGUAGES = frozenset({"ar", "fa"})
_NASTALIQ_LANGUAGES = frozenset({"ur"})
# A CSS length with an absolute unit: a print shop asks for bleed in mm, in or pt.
_LENGTH = re.compile(r"^(?:\d+(?:\.\d*)?|\.\d+)(?:mm|cm|in|pt|pc|q)$")


def paper_name(value: str) -> str | None:
    """The paper's canonical name for ``a5``, ``A5``, ``Letter``...; None if unknown."""
    return next((paper for paper in PAPERS if paper.lower() == value.strip().lower()), None)


def default_script_style(base_lang: str) -> str:
    """Nastaliq for Urdu, Naskh for Arabic, Persian and the rest."""
    return "nastaliq" if base_lang in _NASTALIQ_LANGUAGES else "naskh"


def default_justification(base_lang: str, script_style: str) -> str:
    """Kashida for Arabic and Persian set in Naskh, spaces for the rest (Nastaliq is
    justified by its spaces)."""
    if base_lang in _KASHIDA_LANGUAGES and script_style == "naskh":
        return "kashida"
    return "spaces"


def check_bleed(value: str) -> str:
    """``value`` as a CSS length, or a ValueError naming what is accepted."""
    length = value.strip().lower()
    if not _LENGTH.match(length):
        raise ValueError(f"bleed {value!r}: give a length such as 3mm, 0.125in or 9pt")
    return length


def check_marks(marks: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [mark for mark in marks if mark not in MARKS]
    if unknown:
        raise ValueError(f"unknown marks {', '.join(unknown)}: choose from {', '.join(MARKS)}")
    return tuple(mark for mark in MARKS if mark in marks)


DEFAULT_VARIANT = "pdf/a-3u"
NO_VARIANT = "none"
# WeasyPrint 70's variants (weasyprint.pdf.VARIANTS), named here so that validating an
# option does not import WeasyPrint.
VARIANTS = (
    "pdf/a-1b", "pdf/a-2b", "pdf/a-3b", "pdf/a-2u", "pdf/a-3u", "pdf/a-4u",
    "pdf/a-1a", "pdf/a-2a", "pdf/a-3a", "pdf/a-4e", "pdf/a-4f",
    "pdf/ua-1", "pdf/ua-2", "pdf/x-1a", "pdf/x-3", "pdf/x-4", "pdf/x-5g",
    NO_VARIANT,
)  # fmt: skip
