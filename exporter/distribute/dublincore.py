"""The article's Dublin Core (the fifteen elements, DCMI), from what the manifest recorded:
as ``DC-`` fields of a bag's bag-info.txt, and as XML for its ``metadata/`` tag folder
(the ``oai_dc`` schema of the Open Archives Initiative)."""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

DC = "http://purl.org/dc/elements/1.1/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# DCMI Type Vocabulary: an article is text.
DC_TYPE = "Text"
SOURCE_TYPE = "text/markdown"


def _text(about: Mapping[str, object], key: str) -> list[str]:
    value = about.get(key)
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str) and item]
    return [value] if isinstance(value, str) and value else []


def dublin_core(about: Mapping[str, object]) -> list[tuple[str, str, bool]]:
    """The elements in DCMI's order: (element, value, whether it is in the article's
    language)."""
    title = " : ".join(_text(about, "title") + _text(about, "subtitle"))
    found: list[tuple[str, str, bool]] = [("title", title, True)] if title else []
    found += [("creator", name, True) for name in _text(about, "authors")]
    found += [("subject", keyword, True) for keyword in _text(about, "keywords")]
    found += [("description", text, True) for text in _text(about, "summary")]
    found += [("publisher", name, True) for name in _text(about, "publisher")]
    found += [("date", day, False) for day in _text(about, "date")]
    found += [("type", DC_TYPE, False), ("format", SOURCE_TYPE, False)]
    found += [("identifier", value, False) for value in _text(about, "identifier")]
    found += [("language", value, False) for value in _text(about, "lang")]
    found += [("rights", text, True) for text in _text(about, "rights")]
    return found


def bag_info_fields(about: Mapping[str, object]) -> dict[str, list[str]]:
    """The Dublin Core as bag-info.txt fields (``DC-Title``, ``DC-Creator``, ...)."""
    fields: dict[str, list[str]] = {}
    for element, value, _ in dublin_core(about):
        fields.setdefault(f"DC-{element.capitalize()}", []).append(value)
    return fields


def dublin_core_xml(about: Mapping[str, object]) -> bytes:
    root = etree.Element(f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC})
    lang = _text(about, "lang")
    for element, value, in_language in dublin_core(about):
        node = etree.SubElement(root, f"{{{DC}}}{element}")
        node.text = value
        if in_language and lang:
            node.set(XML_LANG, lang[0])
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)
