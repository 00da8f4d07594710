"""The catalog's entries, gathered from the manifest's records and the outputs themselves:
every article of the output folder whose outputs are there as recorded."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .covers import IMAGE_SUFFIXES, cover_of, image_size, thumbnail
from .files import COVERS_DIR, FORMAT_ORDER, MEDIA_TYPES, cover_name, thumbnail_name
from .writing import write_if_changed

if TYPE_CHECKING:
    from ..manifest import Record
    from .state import State

# A URI scheme at the start of an identifier (RFC 3986, section 3.1).
_URI = re.compile(r"\A[A-Za-z][A-Za-z0-9+.-]*:\S+\Z")
# The namespace of the entry ids made for identifiers that are not URIs (RFC 4122 v5).
ENTRY_NAMESPACE = uuid.UUID("5d0e1f43-7a2b-5c9e-8d31-6b4f2a9c0e57")


@dataclass(frozen=True)
class Link:
    href: str  # relative to the output folder, with "/"
    media_type: str
    length: int | None = None
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Entry:
    """One article of the catalog."""

    name: str  # the input, as the manifest names it
    about: Mapping[str, object]
    acquisitions: tuple[Link, ...]
    image: Link | None
    thumbnail: Link | None
    updated: str  # RFC 3339: when this entry last changed

    def text(self, key: str) -> str | None:
        value = self.about.get(key)
        return value if isinstance(value, str) and value else None

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.about.get(key)
        return tuple(value) if isinstance(value, list) else ()

    @property
    def title(self) -> str:
        return self.text("title") or Path(self.name).stem

    @property
    def lang(self) -> str:
        return self.text("lang") or "ar"

    @property
    def dir(self) -> str:
        return self.text("dir") or "rtl"

    @property
    def id(self) -> str:
        """The content identifier the PDF and the EPUB carry, as a URI."""
        identifier = self.text("identifier") or self.name
        if _URI.match(identifier):
            return identifier
        return f"urn:uuid:{uuid.uuid5(ENTRY_NAMESPACE, identifier)}"

    @property
    def sort_key(self) -> tuple[str, str, str]:
        """Newest first: by the article's date, then by when the entry changed."""
        return (self.text("date") or "", self.updated, self.name)


def rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def gather(
    out_dir: Path, records: Mapping[str, Record], state: State, now: dt.datetime
) -> tuple[list[Entry], list[Path]]:
    """The entries, newest first, and the cover files written for them; ``state`` keeps
    each entry's digest and time, so that an unchanged entry keeps its ``updated``."""
    entries: list[Entry] = []
    written: list[Path] = []
    seen: dict[str, dict[str, str]] = {}
    for name, record in sorted(records.items()):
        if not record.about or not record.outputs or not record.written_as_recorded(out_dir):
            continue
        stem = Path(next(iter(record.outputs.values()))[0]).stem
        before = state.entries.get(name, {})
        made_from = _record_digest(record)
        kept = _kept_covers(out_dir, before) if before.get("made_from") == made_from else None
        if kept is not None:  # the same article and outputs: its covers, not drawn again
            image, small = kept
        else:
            image, small, files = _cover_links(out_dir, record, stem)
            written += files
        acquisitions = tuple(
            Link(file, MEDIA_TYPES[fmt], (out_dir / file).stat().st_size)
            for fmt in FORMAT_ORDER
            if fmt in record.outputs
            for file in [record.outputs[fmt][0]]
        )
        digest = _entry_digest(record, acquisitions, image, small)
        updated = before["updated"] if before.get("digest") == digest else rfc3339(now)
        covers = json.dumps([asdict(link) if link else None for link in (image, small)])
        seen[name] = {"digest": digest, "updated": updated, "made_from": made_from,
                      "covers": covers}  # fmt: skip
        entries.append(Entry(name, record.about, acquisitions, image, small, updated))
    state.entries = seen
    entries.sort(key=lambda entry: entry.sort_key, reverse=True)
    return entries, written


def _record_digest(record: Record) -> str:
    parts = {"about": dict(record.about), "outputs": dict(record.outputs),
             "assets": dict(record.assets)}  # fmt: skip
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _kept_covers(
    out_dir: Path, before: Mapping[str, str]
) -> tuple[Link | None, Link | None] | None:
    """The cover links the state recorded, if their files are still there at their sizes."""
    try:
        links = [Link(**found) if found else None for found in json.loads(before["covers"])]
    except (KeyError, ValueError, TypeError):
        return None
    for link in links:
        if link is not None and not _has_size(out_dir / link.href, link.length):
            return None
    if len(links) != 2:
        return None
    return links[0], links[1]


def _has_size(path: Path, length: int | None) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and path.stat().st_size == length
    except OSError:
        return False


def _entry_digest(record: Record, *links: object) -> str:
    parts = {
        "about": dict(record.about),
        "outputs": dict(record.outputs),
        "links": [repr(link) for link in links],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _cover_links(
    out_dir: Path, record: Record, stem: str
) -> tuple[Link | None, Link | None, list[Path]]:
    """The cover and its thumbnail, written under ``covers/`` when they changed."""
    found = cover_of(out_dir, record)
    if found is None:
        return None, None, []
    data, media_type = found
    small, (width, height) = thumbnail(data)
    full_width, full_height = image_size(data)
    image_href = f"{COVERS_DIR}/{cover_name(stem, IMAGE_SUFFIXES[media_type])}"
    small_href = f"{COVERS_DIR}/{thumbnail_name(stem)}"
    written = [
        out_dir / href
        for href, payload in ((image_href, data), (small_href, small))
        if write_if_changed(out_dir / href, payload)
    ]
    image = Link(image_href, media_type, len(data), full_width, full_height)
    return image, Link(small_href, "image/jpeg", len(small), width, height), written
