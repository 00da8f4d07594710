"""The print PDF's page setup: paper, table of contents, bleed and printer's marks, resolved
once from the options, the front matter and the article (option > front matter > default)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..choices import DEFAULT_PAPER, paper_name

if TYPE_CHECKING:
    from ..model import Article
    from ..options import Options


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
