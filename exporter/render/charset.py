"""The characters an article shows: what the font subsets must cover."""

from __future__ import annotations

import functools

from ..model import Article
from .bodytree import shared_body
from .templates import labels_for


@functools.cache
def _label_text(lang: str) -> str:
    """The visible strings of one language: the values, not the keys of labels.json."""
    values = labels_for(lang).values()
    return " ".join(v if isinstance(v, str) else " ".join(map(str, v)) for v in values)


def document_text(article: Article) -> str:
    """Every character that can reach the page: body, metadata, visible labels and digits."""
    meta = article.metadata
    parts = [
        " ".join(shared_body(article.body_html).itertext()),
        meta.title,
        meta.subtitle or "",
        " ".join(meta.authors),
        meta.description or "",
        _label_text(meta.lang),
        "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹،,.:-–()[]",
    ]
    return "".join(sorted(set("".join(parts))))
