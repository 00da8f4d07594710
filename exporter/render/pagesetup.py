"""The print PDF's page setup: paper, table of contents, bleed and printer's marks, resolved
once from the options, the front matter and the article (option > front matter > default)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..choices import DEFAULT_PAPER, default_justification, paper_name
from ..model import base_language

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
    justify: str = "spaces"  # one of JUSTIFICATIONS: how justified lines take up slack

    @property
    def css_marks(self) -> str:
        return " ".join(self.marks) or "none"


def chapter_count(article: Article) -> int:
    return sum(1 for heading in article.headings if heading.level == 1)


def wants_contents(article: Article, options: Options) -> bool:
    """A table of contents (in print and on the web): as the option says, else the front
    matter, else one when the article has two or more chapters."""
    toc = options.toc if options.toc is not None else article.metadata.toc
    return toc if toc is not None else chapter_count(article) >= 2


def resolve_page_setup(article: Article, options: Options) -> PageSetup:
    metadata = article.metadata
    return PageSetup(
        paper=paper_name(options.paper or metadata.paper or DEFAULT_PAPER) or DEFAULT_PAPER,
        toc=wants_contents(article, options),
        chapters=chapter_count(article) > 0,
        bleed=options.bleed,
        marks=options.marks,
        justify=options.justify
        or metadata.justify
        or default_justification(base_language(metadata.lang), metadata.script_style),
    )
