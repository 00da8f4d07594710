"""The archival side of the PDF: the variant, the identifier, and complete XMP metadata.

The default is PDF/A-3u. Level "u" promises that every glyph maps to Unicode; WeasyPrint
alone leaves some ToUnicode entries empty (a second glyph in a shaping cluster maps to
nothing), and ``engine/actualtext.py`` fills them, besides giving each word its exact text. Part
3 is the part that may carry the Markdown source as an embedded file (ISO 19005-3, 6.8).
Level "a" would claim a logical structure fit for every reader; WeasyPrint's tags are not
checked against it here (no validator is reachable), so we do not claim it.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

from ..choices import NO_VARIANT
from ..model import Article


def weasyprint_variant(variant: str) -> str | None:
    return None if variant == NO_VARIANT else variant


def pdf_identifier(identifier: str) -> bytes:
    """The first half of the trailer's ``/ID`` (ISO 32000-1, 14.4): the article's own
    identifier, so that it is the same on every build."""
    return identifier.encode("utf-8")


# The XMP packet's wrapper (XMP part 1, 7.3); "w": the packet may be edited in place.
_PACKET = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n{rdf}\n</x:xmpmeta>\n<?xpacket end="w"?>'
)
_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
}
for _prefix, _uri in _NS.items():
    ElementTree.register_namespace(_prefix, _uri)


def complete_metadata(document: Any, pdf: Any, article: Article, identifier: str) -> None:
    """Before WeasyPrint writes ``pdf`` (a pydyf document, in a ``write_pdf`` finisher):
    add to the XMP packet what WeasyPrint leaves out (the language, the identifier, the
    keywords as subjects, the publisher, the rights) and list each attachment once. The
    document information dictionary is left as WeasyPrint wrote it (it matches the XMP, as
    PDF/A asks: ISO 19005-3, 6.6.2.3)."""
    import pydyf

    reference = pdf.catalog.get("Metadata")
    if reference is None:  # no PDF variant: WeasyPrint wrote no packet
        stream = pydyf.Stream([], {"Type": "/Metadata", "Subtype": "/XML"})
        pdf.add_object(stream)
        pdf.catalog["Metadata"] = stream.reference
        rdf = ElementTree.fromstring(document.metadata.generate_rdf_metadata(None, None, None))
    else:
        stream = pdf.objects[int(reference.split()[0])]
        found = re.search(rb"<rdf:RDF\b.*</rdf:RDF>", b"".join(stream.stream), re.DOTALL)
        rdf = (
            ElementTree.fromstring(found.group()) if found else ElementTree.Element(_tag("rdf:RDF"))
        )
    _add_description(rdf, article, identifier)
    packet = _PACKET.format(rdf=ElementTree.tostring(rdf, encoding="unicode"))
    # Unfiltered, so that the metadata can be read without the PDF's filters (as every
    # PDF/A part allows, and PDF/A-1 asks).
    stream.stream, stream.compress = [packet.encode("utf-8")], False
    stream.extra.pop("Filter", None)
    _list_each_file_once(pdf)


def _add_description(rdf: ElementTree.Element, article: Article, identifier: str) -> None:
    meta = article.metadata
    description = ElementTree.SubElement(rdf, _tag("rdf:Description"), {_tag("rdf:about"): ""})
    _container(description, "dc:language", "rdf:Bag", [meta.lang])
    ElementTree.SubElement(description, _tag("dc:identifier")).text = identifier
    ElementTree.SubElement(description, _tag("xmpMM:DocumentID")).text = identifier
    if meta.keywords:
        _container(description, "dc:subject", "rdf:Bag", list(meta.keywords))
    if meta.publisher:
        _container(description, "dc:publisher", "rdf:Bag", [meta.publisher])
    if meta.rights:
        rights = _container(description, "dc:rights", "rdf:Alt", [meta.rights])
        rights[0][0].set("{http://www.w3.org/XML/1998/namespace}lang", "x-default")


def _container(
    parent: ElementTree.Element, name: str, kind: str, items: list[str]
) -> ElementTree.Element:
    """An XMP array property: ``<name><kind><rdf:li>item</rdf:li>...</kind></name>``."""
    element = ElementTree.SubElement(parent, _tag(name))
    array = ElementTree.SubElement(element, _tag(kind))
    for item in items:
        ElementTree.SubElement(array, _tag("rdf:li")).text = item
    return element


def _tag(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


def _list_each_file_once(pdf: Any) -> None:
    """WeasyPrint 70 lists each attachment twice in the catalog's ``/AF`` (once from the
    name tree, once from its file specifications); one entry per file is meant."""
    import pydyf

    files = pdf.catalog.get("AF")
    if files is not None:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(files))
