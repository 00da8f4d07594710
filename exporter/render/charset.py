"""The characters an article shows: what the font subsets and the glyph-coverage check
must cover."""

from __future__ import annotations

import functools
import re

from lxml import etree

from ..bundle import TEMPLATES_DIR
from ..fragment import parse_fragment
from ..model import Article
from .bodytree import shared_body
from .templates import labels_for

# Jinja2's tags, expressions and comments: what is left of a template is its own text.
_JINJA = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.DOTALL)
# The markers WeasyPrint draws, as text in the element's font, for a bulleted list nested
# one, two and more deep: its user-agent stylesheet's disc and circle, then the dash the
# stylesheet sets in place of its square (templates/css/common.css.j2).
LIST_MARKERS = ("\u2022", "\u25e6", "\u2013")


@functools.cache
def _label_text(lang: str) -> str:
    """The visible strings of one language: the values, not the keys of labels.json."""
    values = labels_for(lang).values()
    return " ".join(v if isinstance(v, str) else " ".join(map(str, v)) for v in values)


@functools.cache
def _template_characters(name: str) -> frozenset[str]:
    text = _JINJA.sub(" ", (TEMPLATES_DIR / name).read_text(encoding="utf-8"))
    return frozenset(char for char in text if ord(char) > 0x7F)


def _rendered_templates(article: Article, target: str | None) -> list[str]:
    """The HTML templates a target renders for the article (every one when ``target`` is
    None): ``footnotes-web`` only for the web and only with notes, ``epub/`` only for the
    ebook."""
    names = []
    for path in sorted(TEMPLATES_DIR.rglob("*.html.j2")):
        name = path.relative_to(TEMPLATES_DIR).as_posix()
        kind, _, which = name.removesuffix(".html.j2").rpartition("-")
        if name.startswith("epub/"):
            kind, which = "epub", "ebook"
        if (kind == "footnotes" and not article.footnotes) or (
            kind and target is not None and which != target
        ):
            continue
        names.append(name)
    return names


def template_text(article: Article, target: str | None = None) -> str:
    """The characters the templates write themselves (a note's back-link arrow, the comma
    between authors): their text outside Jinja2's tags, ASCII left out."""
    chars = set().union(*map(_template_characters, _rendered_templates(article, target)))
    return "".join(sorted(chars))


def _list_markers(trees: list[etree._Element]) -> str:
    """The markers of the bulleted lists, by how deep they nest."""
    depth = max((len(ul.xpath("ancestor::ul | ancestor::ol")) + 1
                 for tree in trees for ul in tree.iter("ul")), default=0)  # fmt: skip
    return "".join(LIST_MARKERS[: min(depth, len(LIST_MARKERS))])


@functools.lru_cache(maxsize=4096)
def _note_tree(html: str) -> etree._Element:
    return parse_fragment(html)


def note_trees(article: Article) -> list[etree._Element]:
    """Each footnote's text, parsed once per process: read them, never change them."""
    return [_note_tree(note.html) for note in article.footnotes]


def document_strings(article: Article, target: str | None = None) -> list[str]:
    """Every text that can reach the page of ``target`` (of any, when None): body, notes,
    metadata, visible labels, the templates' own characters, digits and list markers."""
    meta = article.metadata
    trees = [shared_body(article.body_html), *note_trees(article)]
    return [
        *(" ".join(tree.itertext()) for tree in trees),
        meta.title,
        meta.subtitle or "",
        " ".join(meta.authors),
        meta.description or "",
        _label_text(meta.lang),
        template_text(article, target),
        "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹،,.:-–()[]",
        # Browsers and reading systems draw these markers as shapes; WeasyPrint, as text.
        _list_markers(trees) if target in (None, "print") else "",
    ]


def document_text(article: Article, target: str | None = None) -> str:
    """Every character that can reach the page of ``target`` (of any, when None), once
    each, sorted."""
    return "".join(sorted(set("".join(document_strings(article, target)))))
