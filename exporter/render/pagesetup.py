"""The print PDF's page setup: paper, table of contents, bleed and printer's marks, resolved
once from the options, the front matter and the article (option > front matter > default)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Article
    from ..options import Options

PAPERS = ("A4", "A5", "B5", "letter")  # CSS Paged Media 3, section 8.1.1 (page-size names)
DEFAULT_PAPER = "A4"
MARKS = ("crop", "cross")  # CSS Paged Media 3, `marks`
# A CSS length with an absolute unit: a print shop asks for bleed in mm, in or pt.
_LENGTH = re.compile(r"^(?:\d+(?:\.\d*)?|\.\d+)(?:mm|cm|in|pt|pc|q)$")


def paper_name(value: str) -> str | None:
    """The paper's canonical name for ``a5``, ``A5``, ``Letter``...; None if unknown."""
    return next((paper for paper in PAPERS if paper.lower() == value.strip().lower()), None)


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


@dataclass(frozen=True)
class PageSetup:
    paper: str  # one of PAPERS
    toc: bool
    chapters: bool  # the article has `#` chapters: running heads follow them
    bleed: str | None  # a CSS length, or None for no bleed
    marks: tuple[str, ...]

    @property
    def css_marks(self) -> str:
        return " ".join(self.marks) or "none"


def chapter_count(article: Article) -> int:
    return sum(1 for heading in article.headings if heading.level == 1)


def resolve_page_setup(article: Article, options: Options) -> PageSetup:
    metadata = article.metadata
    chapters = chapter_count(article)
    toc = options.toc if options.toc is not None else metadata.toc
    return PageSetup(
        paper=paper_name(options.paper or metadata.paper or DEFAULT_PAPER) or DEFAULT_PAPER,
        toc=toc if toc is not None else chapters >= 2,
        chapters=chapters > 0,
        bleed=options.bleed,
        marks=options.marks,
    )
