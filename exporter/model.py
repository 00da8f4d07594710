"""The immutable values passed from one stage of the pipeline to the next."""

from __future__ import annotations

import copyreg
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

MEDIA_TYPE_EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/svg+xml": ".svg",
}


def read_only(items: dict[str, object]) -> MappingProxyType[str, object]:
    return MappingProxyType(items)


def _reduce_read_only(mapping: MappingProxyType[str, object]) -> tuple[object, ...]:
    return read_only, (dict(mapping),)


# The front matter is kept in read-only views; an article crosses pickled into the process
# that does WeasyPrint's work (pdf/process.py), and the standard library cannot pickle them.
copyreg.pickle(MappingProxyType, _reduce_read_only)

RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "he", "yi", "ps", "sd", "ug", "ku", "dv", "ckb"})


def base_language(lang: str) -> str:
    """``ar-EG`` -> ``ar``."""
    return lang.split("-", 1)[0].lower()


def direction_of(lang: str) -> str:
    return "rtl" if base_language(lang) in RTL_LANGUAGES else "ltr"


@dataclass(frozen=True)
class Source:
    """An input file as read: its bytes, its text, and the front matter split off."""

    path: Path
    raw: bytes
    front_matter: Mapping[str, object]
    body: str
    body_first_line: int  # 1-based line of the body's first line in the file

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def folder(self) -> Path:
        return self.path.resolve().parent


@dataclass(frozen=True)
class Metadata:
    """The front matter, validated. Names follow Pandoc's so existing articles work."""

    title: str
    lang: str = "ar"
    dir: str = "rtl"
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    date: dt.date | None = None
    description: str | None = None
    keywords: tuple[str, ...] = ()
    publisher: str | None = None
    rights: str | None = None
    identifier: str | None = None
    cover: str | None = None
    numerals: str = "arabic-indic"  # resolved: option, else front matter, else from lang
    paper: str | None = None  # as the front matter asks; the print options may override it
    toc: bool | None = None
    script_style: str = "naskh"  # resolved: front matter, else from lang (choices.py)
    justify: str | None = None  # as the front matter asks; the print options may override it
    # For the catalog and the deposit (distribute/); no output of an export shows them.
    summary: str | None = None
    source_organization: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    extra: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def timestamp(self) -> dt.datetime:
        """The moment every output records: the article's own date, never the clock, so
        the same input always gives the same bytes (1980-01-01, the zip epoch, if none)."""
        day = self.date or dt.date(1980, 1, 1)
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    id: str
    # The text as the contents show it: escaped HTML with its runs against the article's
    # direction isolated as the body's are (bidi/), so that "C++" is not drawn "++C".
    html: str


@dataclass(frozen=True)
class TitleBlock:
    """The title, subtitle, authors and standfirst as the title block shows them: escaped
    HTML with their runs against the article's direction isolated as the body's are."""

    title: str
    subtitle: str | None
    authors: tuple[str, ...]
    standfirst: str | None  # the front matter's description


@dataclass(frozen=True)
class Footnote:
    number: int
    id: str  # the note's id; calls link to it and carry `fnref-<number>`
    html: str  # sanitised, without a link back (each target adds its own)


# A footnote call, as the parser writes it (read/footnotes.py) and the print renderer finds
# it to put the note in its place (render/footnotes.py):
#   <sup class="footnote-call" dir="rtl"><a class="footnote-ref" href="#fn-1" id="fnref-1"
#   role="doc-noteref">١</a></sup>
# The stylesheets style both classes.
NOTE_CALL_CLASS = "footnote-call"  # the <sup>
NOTE_LINK_CLASS = "footnote-ref"  # the <a> inside it, its only child, linking to the note
NOTE_LINK_ROLE = "doc-noteref"


@dataclass(frozen=True)
class Asset:
    """An image the article names, accepted by ``read.resolver.Resolver``: read once, checked
    (type sniffed, pixels counted, SVG sanitised), and carried as bytes so that every
    output embeds exactly the same, checked data."""

    reference: str  # as written in the Markdown or the raw HTML
    path: Path | None  # the real file inside the article's folder; None for a remote URL
    media_type: str  # sniffed from the bytes, not taken from the name
    data: bytes

    @property
    def extension(self) -> str:
        """The file name extension its media type calls for, e.g. ``.png``."""
        return MEDIA_TYPE_EXTENSIONS.get(self.media_type, ".bin")


@dataclass(frozen=True)
class Article:
    """Everything the renderers and writers need; none of them goes back to the source."""

    source: Source
    metadata: Metadata
    body_html: str
    headings: tuple[Heading, ...]
    footnotes: tuple[Footnote, ...]
    assets: tuple[Asset, ...]  # the images the body and the notes show
    title_block: TitleBlock
    # The front matter's ``cover`` image, resolved and checked as every image is; None when
    # none is named or it was refused (a writer that needs a cover then draws one).
    cover: Asset | None = None
    # The id of the heading the body opened with that was the title, taken out of the body
    # (read/titleheading.py): the title block carries it, so that links to it still lead there.
    title_id: str | None = None

    @property
    def stem(self) -> str:
        return self.source.stem
