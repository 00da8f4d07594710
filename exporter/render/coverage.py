"""The glyph-coverage check: before anything is rendered, every character the outputs
will show is looked up in the cmaps of the bundled fonts. A character none of them draws
would come out as an empty box or a gap, so it is reported with its code point and line."""

from __future__ import annotations

import unicodedata
import warnings

from ..errors import ExportWarning
from ..model import Article
from .charset import document_text
from .typefaces import uncovered


def warn_uncovered(article: Article) -> list[str]:
    """Warn once for each character no bundled font draws; return those characters."""
    missing = uncovered(document_text(article))
    lines = article.source.raw.decode("utf-8", errors="replace").splitlines()
    for char in missing:
        line = next((number for number, text in enumerate(lines, 1) if char in text), None)
        name = unicodedata.name(char, "unnamed character")
        warnings.warn(
            ExportWarning(
                f"no bundled font draws {char} (U+{ord(char):04X} {name}); "
                "it would show as an empty box",
                path=article.source.path,
                line=line,
            ),
            stacklevel=2,
        )
    return missing
