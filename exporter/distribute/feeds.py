"""The catalog's feeds, planned once for both formats: the root acquisition feed, its pages
past ``PAGE_SIZE`` entries, and past ``NAVIGATION_AFTER`` entries navigation feeds by
author, by language and by month, each leading to an acquisition feed of its own."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..bundle import TEMPLATES_DIR
from ..model import base_language
from .files import FEEDS_DIR, NAVIGATION_AFTER, PAGE_SIZE

if TYPE_CHECKING:
    from .catalog import Entry

ROOT_STEM = "catalog"
# The catalog's own visible strings, in several languages: apart from the outputs' labels,
# whose characters every EPUB and web page carries in its fonts.
LABELS = "catalog/labels.json"


@dataclass(frozen=True)
class Item:
    """A navigation feed's line: a title leading to an acquisition feed."""

    title: str
    stem: str  # the feed it leads to, without its extension
    count: int
    updated: str


@dataclass(frozen=True)
class Paging:
    number: int  # 1-based
    count: int  # pages in all
    total: int  # entries in all
    first: str
    last: str
    previous: str | None = None
    next: str | None = None


@dataclass(frozen=True)
class Feed:
    stem: str  # its path below the output folder, without ".xml" or ".json"
    title: str
    lang: str
    updated: str
    entries: tuple[Entry, ...] = ()
    items: tuple[Item, ...] = ()  # a navigation feed's lines; empty for an acquisition feed
    paging: Paging | None = None
    sections: tuple[Item, ...] = field(default=())  # the navigation feeds the root leads to
    # The author named for the feed's entries that name none (RFC 4287, section 4.1.1).
    anonymous: str = ""

    @property
    def is_navigation(self) -> bool:
        return bool(self.items) or not self.entries


def plan(entries: Sequence[Entry], fallback_updated: str) -> list[Feed]:
    """Every feed of the catalog; the first is the root."""
    lang = _catalog_language(entries)
    labels = _labels(lang)
    updated = max((entry.updated for entry in entries), default=fallback_updated)
    groups: list[Feed] = []
    sections: list[Item] = []
    if len(entries) > NAVIGATION_AFTER:
        for kind, label, values in _GROUPINGS:
            navigation, feeds = _grouped(kind, str(labels[label]), values, entries, lang)
            sections.append(Item(navigation.title, navigation.stem, len(entries), updated))
            groups += [navigation, *feeds]
    root = _paged(
        ROOT_STEM, f"{FEEDS_DIR}/all", str(labels["catalog"]), lang, entries, updated, sections
    )
    return [replace(feed, anonymous=str(labels["anonymous"])) for feed in [*root, *groups]]


def _paged(
    stem: str,
    page_stem: str,
    title: str,
    lang: str,
    entries: Sequence[Entry],
    updated: str,
    sections: Sequence[Item] = (),
) -> list[Feed]:
    """An acquisition feed, cut into pages of ``PAGE_SIZE`` (RFC 5005 paged feeds)."""
    pages = [entries[start : start + PAGE_SIZE] for start in range(0, len(entries), PAGE_SIZE)]
    if len(pages) <= 1:
        return [Feed(stem, title, lang, updated, tuple(entries), sections=tuple(sections))]
    stems = [stem, *(f"{page_stem}-{number}" for number in range(2, len(pages) + 1))]
    feeds = []
    for index, page in enumerate(pages):
        paging = Paging(
            number=index + 1,
            count=len(pages),
            total=len(entries),
            first=stems[0],
            last=stems[-1],
            previous=stems[index - 1] if index else None,
            next=stems[index + 1] if index + 1 < len(stems) else None,
        )
        page_updated = max(entry.updated for entry in page)
        feeds.append(Feed(stems[index], title, lang, page_updated, tuple(page), (), paging,
                          tuple(sections)))  # fmt: skip
    return feeds


def _authors(entry: Entry) -> tuple[str, ...]:
    return entry.texts("authors")


def _language(entry: Entry) -> tuple[str, ...]:
    return (entry.lang,)


def _month(entry: Entry) -> tuple[str, ...]:
    date = entry.text("date")
    return (date[:7],) if date else ()


# Each navigation: its name in file names, its label, the values an entry is listed under.
_GROUPINGS: tuple[tuple[str, str, Callable[[Entry], tuple[str, ...]]], ...] = (
    ("author", "by_author", _authors),
    ("language", "by_language", _language),
    ("month", "by_month", _month),
)


def _grouped(
    kind: str,
    title: str,
    values: Callable[[Entry], tuple[str, ...]],
    entries: Sequence[Entry],
    lang: str,
) -> tuple[Feed, list[Feed]]:
    """A navigation feed and the acquisition feeds its lines lead to."""
    members: dict[str, list[Entry]] = {}
    for entry in entries:  # newest first, and so is each group
        for value in values(entry):
            members.setdefault(value, []).append(entry)
    # Months newest first; authors and languages in the order of their names.
    ordered = sorted(members, reverse=kind == "month")
    items, feeds = [], []
    for value in ordered:
        stem = f"{FEEDS_DIR}/{kind}-{_slug(value)}"
        group = members[value]
        updated = max(entry.updated for entry in group)
        items.append(Item(value, stem, len(group), updated))
        feeds += _paged(stem, stem, value, lang, group, updated)
    updated = max((item.updated for item in items), default="")
    navigation = Feed(f"{FEEDS_DIR}/by-{kind}", title, lang, updated, items=tuple(items))
    return navigation, feeds


_PLAIN = re.compile(r"\A[a-z0-9-]{1,40}\Z")


def _slug(value: str) -> str:
    """A file name part for a group: the value itself when plain (``2026-11``, ``ar``),
    else a digest of it (an author's name in any script)."""
    lowered = value.lower()
    if _PLAIN.match(lowered):
        return lowered
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def _catalog_language(entries: Sequence[Entry]) -> str:
    """The language most entries are in (the catalog's own labels are in it)."""
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.lang] = counts.get(entry.lang, 0) + 1
    return max(sorted(counts), key=lambda lang: counts[lang], default="ar")


def _labels(lang: str) -> dict[str, object]:
    table = json.loads((TEMPLATES_DIR / LABELS).read_text(encoding="utf-8"))
    return table.get(base_language(lang), table["en"])
