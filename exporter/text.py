"""The characters an article shows: what the font subsets must cover."""

from __future__ import annotations

import functools
import html
import json
import re

from .model import Article
from .templates import all_labels

_TAG = re.compile(r"<[^>]*>")


@functools.cache
def _label_text() -> str:
    return json.dumps(all_labels(), ensure_ascii=False)


def document_text(article: Article) -> str:
    """Every character that can reach the page: body, metadata, visible labels and digits."""
    meta = article.metadata
    parts = [
        html.unescape(_TAG.sub(" ", article.body_html)),
        meta.title,
        meta.subtitle or "",
        " ".join(meta.authors),
        meta.description or "",
        _label_text(),
        "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹،,.:-–()[]",
    ]
    return "".join(sorted(set("".join(parts))))
