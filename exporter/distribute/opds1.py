"""OPDS 1.2 (Atom, RFC 4287): a feed of the catalog as XML.

Each entry carries ``xml:lang`` (Atom, section 2: inherited by its title and summary) and
its summary twice: as plain text in ``atom:summary`` (OPDS 1.2, section 5.1, asks for text
there) and in ``atom:content`` of type xhtml, whose ``div`` carries ``dir`` and ``lang``,
the only place Atom lets markup say a text's direction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from .files import ATOM_ACQUISITION, ATOM_NAVIGATION
from .links import absolute, feed_id, published, relative

if TYPE_CHECKING:
    from .catalog import Entry, Link
    from .feeds import Feed, Item

ATOM = "http://www.w3.org/2005/Atom"
DCTERMS = "http://purl.org/dc/terms/"
OPDS = "http://opds-spec.org/2010/catalog"
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NAMESPACES = {None: ATOM, "dc": DCTERMS, "opds": OPDS}
ACQUISITION = "http://opds-spec.org/acquisition"
IMAGE = "http://opds-spec.org/image"
THUMBNAIL = "http://opds-spec.org/image/thumbnail"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def atom_feed(feed: Feed, catalog_id: str, root: Feed, base_url: str) -> bytes:
    """The feed as an OPDS 1.2 document; its ``self`` link at ``base_url``."""
    kind = ATOM_NAVIGATION if feed.is_navigation else ATOM_ACQUISITION
    top = etree.Element(f"{{{ATOM}}}feed", nsmap=NAMESPACES)
    top.set(XML_LANG, feed.lang)
    _sub(top, "id", feed_id(catalog_id, feed.stem))
    _sub(top, "title", feed.title)
    _sub(top, "updated", feed.updated)
    if feed.items or not all(entry.texts("authors") for entry in feed.entries):
        _sub(_sub(top, "author"), "name", feed.anonymous)
    _sub(top, "link", rel="self", href=absolute(base_url, f"{feed.stem}.xml"), type=kind)
    _link(top, feed, "start", root.stem, ATOM_ACQUISITION)
    if feed.paging is not None:
        paging = feed.paging
        for rel, target in (("first", paging.first), ("previous", paging.previous),
                            ("next", paging.next), ("last", paging.last)):  # fmt: skip
            if target is not None:
                _link(top, feed, rel, target, kind)
    for section in feed.sections:
        _link(top, feed, "subsection", section.stem, ATOM_NAVIGATION, title=section.title)
    for item in feed.items:
        _navigation_entry(top, feed, catalog_id, item)
    for entry in feed.entries:
        _entry(top, feed, entry)
    return etree.tostring(top, encoding="utf-8", xml_declaration=True, pretty_print=True)


def _link(
    parent: etree._Element, feed: Feed, rel: str, stem: str, media_type: str, **attrs: str
) -> None:
    _sub(parent, "link", rel=rel, href=relative(f"{stem}.xml", feed), type=media_type, **attrs)


def _navigation_entry(parent: etree._Element, feed: Feed, catalog_id: str, item: Item) -> None:
    entry = _sub(parent, "entry")
    _sub(entry, "title", item.title)
    _sub(entry, "id", feed_id(catalog_id, item.stem))
    _sub(entry, "updated", item.updated)
    _sub(entry, "content", str(item.count), type="text")
    _link(entry, feed, "subsection", item.stem, ATOM_ACQUISITION)


def _entry(parent: etree._Element, feed: Feed, entry: Entry) -> None:
    element = _sub(parent, "entry")
    element.set(XML_LANG, entry.lang)
    _sub(element, "title", entry.title)
    _sub(element, "id", entry.id)
    _sub(element, "updated", entry.updated)
    if (date := published(entry.text("date"))) is not None:
        _sub(element, "published", date)
    for name in entry.texts("authors"):
        _sub(_sub(element, "author"), "name", name)
    _sub(element, f"{{{DCTERMS}}}identifier", entry.text("identifier") or entry.id)
    _sub(element, f"{{{DCTERMS}}}language", entry.lang)
    if date is not None:
        _sub(element, f"{{{DCTERMS}}}issued", entry.text("date"))
    if publisher := entry.text("publisher"):
        _sub(element, f"{{{DCTERMS}}}publisher", publisher)
    if rights := entry.text("rights"):
        _sub(element, "rights", rights)
    for keyword in entry.texts("keywords"):
        _sub(element, "category", term=keyword, label=keyword)
    if summary := entry.text("summary"):
        _sub(element, "summary", summary, type="text")
        content = _sub(element, "content", type="xhtml")
        div = etree.SubElement(content, f"{{{XHTML}}}div", nsmap={None: XHTML})
        div.set("dir", entry.dir)
        div.set("lang", entry.lang)
        # On the paragraph too: Atom readers hand on the div's content, not the div.
        _sub(div, f"{{{XHTML}}}p", summary, dir=entry.dir, lang=entry.lang)
    for rel, link in ((IMAGE, entry.image), (THUMBNAIL, entry.thumbnail)):
        if link is not None:
            _file_link(element, feed, rel, link)
    for link in entry.acquisitions:
        _file_link(element, feed, ACQUISITION, link)


def _file_link(parent: etree._Element, feed: Feed, rel: str, link: Link) -> None:
    length = str(link.length) if link.length is not None else None
    _sub(parent, "link", rel=rel, href=relative(link.href, feed), type=link.media_type,
         length=length)  # fmt: skip
