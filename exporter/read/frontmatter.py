"""Validate front matter into ``Metadata``: each known key once, strictly, by type."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

from ..choices import JUSTIFICATIONS, PAPERS, SCRIPT_STYLES, default_script_style, paper_name
from ..errors import FrontMatterError
from ..model import Metadata, Source, base_language, direction_of
from ..numerals import PROFILES, default_profile
from .source import front_matter_key_lines

_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
KNOWN_KEYS = frozenset(
    {"title", "subtitle", "author", "date", "lang", "dir", "description", "keywords",
     "publisher", "rights", "identifier", "cover", "numerals", "paper", "toc",
     "script_style", "summary", "source_organization", "contact_name", "contact_email",
     "justify"}
)  # fmt: skip


def clean_text(value: str) -> str:
    """Text fit for a title, an author or a file name: no control or bidi-control characters
    (they could reorder the text around them), whitespace collapsed. ZWJ and ZWNJ stay."""
    kept = "".join(
        " " if char in "\t\n\r" else char
        for char in value
        if char in "\t\n\r\u200c\u200d"
        or unicodedata.category(char) not in {"Cc", "Cf"}
        or char in "\u00ad\u200e\u200f"
    )
    kept = kept.replace("\u00ad", "").replace("\u200e", "").replace("\u200f", "")
    return " ".join(kept.split())


class _Reader:
    """Reads typed values out of the front matter, naming the key and line on error."""

    def __init__(self, source: Source):
        self.source = source
        self.data = source.front_matter
        self.lines = front_matter_key_lines(source)

    def fail(self, key: str, problem: str) -> FrontMatterError:
        return FrontMatterError(f"{key} {problem}", path=self.source.path, line=self.lines.get(key))

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(key, "must be text")
        cleaned = clean_text(str(value))
        if not cleaned:
            raise self.fail(key, "must not be empty")
        return cleaned

    def text_list(self, key: str, *, split_commas: bool = False) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        if split_commas and isinstance(value, str):
            items = value.replace("،", ",").split(",")
        result = []
        for item in items:
            if isinstance(item, Mapping) and isinstance(item.get("name"), str):
                item = item["name"]  # Pandoc's `author: [{name: ...}]`
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                raise self.fail(key, "must be text or a list of text")
            if cleaned := clean_text(str(item)):
                result.append(cleaned)
        return tuple(result)

    def date(self, key: str) -> dt.date | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip()[:10])
            except ValueError:
                pass
        raise self.fail(key, "must be a date written YYYY-MM-DD")

    def flag(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is None or isinstance(value, bool):
            return value
        raise self.fail(key, "must be true or false")

    def paper(self, key: str) -> str | None:
        value = self.text(key)
        if value is None:
            return None
        if (paper := paper_name(value)) is None:
            raise self.fail(key, f"must be one of {', '.join(PAPERS)}, not {value!r}")
        return paper


def read_metadata(
    source: Source, *, fallback_title: str | None, numerals: str | None = None
) -> Metadata:
    """The front matter as ``Metadata``; ``numerals``, when given, overrides the file's."""
    fields = _Reader(source)
    lang = fields.text("lang") or "ar"
    if not _LANG.match(lang):
        raise fields.fail("lang", f"must be a language tag such as ar, fa or ur, not {lang!r}")
    direction = fields.text("dir") or direction_of(lang)
    if direction not in {"rtl", "ltr"}:
        raise fields.fail("dir", "must be rtl or ltr")
    profile = numerals or fields.text("numerals") or default_profile(lang)
    if profile not in PROFILES:
        raise fields.fail("numerals", f"must be one of {', '.join(PROFILES)}")
    style = fields.text("script_style") or default_script_style(base_language(lang))
    if style not in SCRIPT_STYLES:
        raise fields.fail(
            "script_style", f"must be one of {', '.join(SCRIPT_STYLES)}, not {style!r}"
        )
    justify = fields.text("justify")
    if justify is not None and justify not in JUSTIFICATIONS:
        raise fields.fail("justify", f"must be one of {', '.join(JUSTIFICATIONS)}, not {justify!r}")
    title = fields.text("title") or (clean_text(fallback_title) if fallback_title else None)
    return Metadata(
        title=title or source.stem,
        lang=lang,
        dir=direction,
        subtitle=fields.text("subtitle"),
        authors=fields.text_list("author"),
        date=fields.date("date"),
        description=fields.text("description"),
        keywords=fields.text_list("keywords", split_commas=True),
        publisher=fields.text("publisher"),
        rights=fields.text("rights"),
        identifier=fields.text("identifier"),
        cover=fields.text("cover"),
        numerals=profile,
        paper=fields.paper("paper"),
        toc=fields.flag("toc"),
        script_style=style,
        justify=justify,
        summary=fields.text("summary"),
        source_organization=fields.text("source_organization"),
        contact_name=fields.text("contact_name"),
        contact_email=fields.text("contact_email"),
        extra=MappingProxyType(
            {k: v for k, v in source.front_matter.items() if k not in KNOWN_KEYS}
        ),
    )
