"""The names of every file the distribution writes, and the sizes that shape the catalog:
in one place, for the writers here and for whoever serves the folder."""

from __future__ import annotations

from pathlib import Path

CATALOG_XML = "catalog.xml"  # OPDS 1.2, the root acquisition feed (Atom)
CATALOG_JSON = "catalog.json"  # OPDS 2.0, the same feed
FEEDS_DIR = "opds"  # every other feed: pages, navigation feeds and the feeds they lead to
COVERS_DIR = "covers"  # each article's cover and its thumbnail
STATE_NAME = ".exporter-distribution.json"  # what each entry and bag was made from

PAGE_SIZE = 100  # entries in one page of an acquisition feed
NAVIGATION_AFTER = 50  # more entries than this: navigation feeds by author, language, month

ATOM_ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
ATOM_NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
OPDS2 = "application/opds+json"
MEDIA_TYPES = {
    "epub": "application/epub+zip",
    "pdf": "application/pdf",
    "html": "text/html",
}
# The acquisition links' order in an entry: the e-book first, for readers that take the first.
FORMAT_ORDER = ("epub", "pdf", "html")


def catalog_paths(out_dir: Path) -> tuple[Path, Path]:
    """The root catalog's two files in an output folder: OPDS 1.2 and OPDS 2.0."""
    return out_dir / CATALOG_XML, out_dir / CATALOG_JSON


def bag_name(stem: str, kind: str) -> str:
    """A bag's name beside the outputs: ``NAME.bag`` (a folder) or ``NAME.bag.zip``."""
    return f"{stem}.bag.zip" if kind == "zip" else f"{stem}.bag"


def cover_name(stem: str, suffix: str) -> str:
    return f"{stem}{suffix}"


def thumbnail_name(stem: str) -> str:
    return f"{stem}.thumbnail.jpg"
