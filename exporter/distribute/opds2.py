"""OPDS 2.0 (JSON, on the Readium Web Publication Manifest): a feed of the catalog.

A publication's ``metadata`` carries its ``language`` and ``readingProgression``
(RWPM, "Metadata"): a reader lays a right-to-left article out from the right.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .files import OPDS2
from .links import absolute, published, relative

if TYPE_CHECKING:
    from .catalog import Entry, Link
    from .feeds import Feed

ACQUISITION = "http://opds-spec.org/acquisition"


def json_feed(feed: Feed, root: Feed, base_url: str) -> bytes:
    """The feed as an OPDS 2.0 document; its ``self`` link at ``base_url``."""
    metadata: dict[str, object] = {"title": feed.title, "modified": feed.updated}
    self_link = {"rel": "self", "href": absolute(base_url, f"{feed.stem}.json"), "type": OPDS2}
    links = [self_link, _feed_link(feed, "start", root.stem)]
    if feed.paging is not None:
        paging = feed.paging
        metadata.update(numberOfItems=paging.total, itemsPerPage=len(feed.entries),
                        currentPage=paging.number)  # fmt: skip
        for rel, target in (("first", paging.first), ("previous", paging.previous),
                            ("next", paging.next), ("last", paging.last)):  # fmt: skip
            if target is not None:
                links.append(_feed_link(feed, rel, target))
    document: dict[str, object] = {"metadata": metadata, "links": links}
    navigation = [*feed.sections, *feed.items]
    if navigation:
        document["navigation"] = [
            {**_feed_link(feed, "subsection", item.stem), "title": item.title}
            for item in navigation
        ]
    if feed.entries or not navigation:
        document["publications"] = [_publication(feed, entry) for entry in feed.entries]
    text = json.dumps(document, ensure_ascii=False, indent=1)
    return (text + "\n").encode()


def _feed_link(feed: Feed, rel: str, stem: str) -> dict[str, object]:
    return {"rel": rel, "href": relative(f"{stem}.json", feed), "type": OPDS2}


def _publication(feed: Feed, entry: Entry) -> dict[str, object]:
    metadata: dict[str, object] = {
        "@type": "http://schema.org/Article",
        "identifier": entry.id,
        "title": entry.title,
        "language": entry.lang,
        "readingProgression": entry.dir,
        "modified": entry.updated,
    }
    optional = {
        "subtitle": entry.text("subtitle"),
        "author": [{"name": name} for name in entry.texts("authors")],
        "published": published(entry.text("date")),
        "description": entry.text("summary"),
        "publisher": [{"name": name} for name in [entry.text("publisher")] if name],
        "subject": [{"name": keyword} for keyword in entry.texts("keywords")],
    }
    metadata.update({key: value for key, value in optional.items() if value})
    publication: dict[str, object] = {
        "metadata": metadata,
        "links": [_file_link(feed, link, ACQUISITION) for link in entry.acquisitions],
    }
    images = [link for link in (entry.image, entry.thumbnail) if link is not None]
    if images:
        publication["images"] = [_file_link(feed, link) for link in images]
    return publication


def _file_link(feed: Feed, link: Link, rel: str | None = None) -> dict[str, object]:
    found: dict[str, object] = {"href": relative(link.href, feed), "type": link.media_type}
    if rel is not None:
        found["rel"] = rel
    if link.width is not None and link.height is not None:
        found.update(width=link.width, height=link.height)
    if link.length is not None and rel is not None:
        # RWPM's Link has no size; its ``properties`` is the open place for one.
        found["properties"] = {"length": link.length}
    return found
