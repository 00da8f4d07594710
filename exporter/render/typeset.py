"""How an article is set: the families of its text and its code, in the stylesheet's
order, and the line heights that keep its lines apart."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..model import Article
from .bodytree import shared_body
from .charset import document_strings, document_text, note_trees
from .leading import line_height
from .typefaces import FontFace, code_families, faces_used, text_families

# Text set bold inside the body: its words are measured in the bold face too.
_BOLD_INLINE = ("strong", "b", "th")


@dataclass(frozen=True)
class Typeset:
    script_style: str  # "naskh" or "nastaliq" (choices.SCRIPT_STYLES)
    text_families: tuple[str, ...]
    code_families: tuple[str, ...]
    leading: float  # the body's line height, in em
    heading_leading: float  # the title's and the headings', set bold


def _bold_texts(trees: list[etree._Element]) -> list[str]:
    return [" ".join(e.itertext()) for tree in trees for e in tree.iter(*_BOLD_INLINE)]


def typeset_for(article: Article) -> Typeset:
    style = article.metadata.script_style
    headings = [article.metadata.title, *(heading.text for heading in article.headings)]
    bold = _bold_texts([shared_body(article.body_html), *note_trees(article)])
    return Typeset(
        script_style=style,
        text_families=text_families(style),
        code_families=code_families(style),
        leading=line_height(style, document_strings(article), bold),
        heading_leading=line_height(style, (), headings),
    )


def article_faces(article: Article, target: str) -> tuple[FontFace, ...]:
    """The faces the article's output for ``target`` declares and embeds."""
    return faces_used(
        article.body_html,
        document_text(article, target),
        article.metadata.script_style,
        note_trees(article),
    )
