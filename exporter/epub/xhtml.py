"""HTML as the templates render it, turned into the XHTML an EPUB needs.

EPUB content documents are XML (EPUB 3.3, section 6.1.2). The parser and the templates
write HTML5, so it is parsed here with an HTML5 parser (tinyhtml5: the WHATWG algorithm,
so SVG keeps its camel-case names, unlike libxml2's HTML4 parser that ebooklib uses) and
written back as XML with lxml.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import tinyhtml5
from lxml import etree

XHTML_NS = "http://www.w3.org/1999/xhtml"
OPS_NS = "http://www.idpf.org/2007/ops"
XML_NS = "http://www.w3.org/XML/1998/namespace"
EPUB_TYPE = f"{{{OPS_NS}}}type"
XML_LANG = f"{{{XML_NS}}}lang"
NSMAP = {None: XHTML_NS, "epub": OPS_NS}

# Elements that HTML writes without an end tag; every other element keeps one, even when
# empty, since some reading systems mistake a self-closed <a/> or <span/> for an open tag.
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip
# Attributes written with a prefix in HTML that name a namespace in XML.
_PREFIXED = {"epub:type": EPUB_TYPE, "xml:lang": XML_LANG}


def xhtml(tag: str) -> str:
    return f"{{{XHTML_NS}}}{tag}"


def _convert(source: ElementTree.Element, parent: etree._Element | None) -> etree._Element | None:
    if not isinstance(source.tag, str):  # a comment: nothing a reader needs
        return None
    attributes = {}
    for name, value in source.attrib.items():
        if name in _PREFIXED:
            attributes[_PREFIXED[name]] = value
        elif ":" not in name or name.startswith("{"):
            attributes[name] = value  # xmlns declarations are dropped: lxml writes its own
    if parent is None:
        element = etree.Element(source.tag, attributes, nsmap=NSMAP)
    else:
        element = etree.SubElement(parent, source.tag, attributes)
    element.text = source.text
    for child in source:
        converted = _convert(child, element)
        if converted is not None:
            converted.tail = child.tail
        elif child.tail:  # keep the text that followed a dropped comment
            previous = element[-1] if len(element) else None
            if previous is not None:
                previous.tail = (previous.tail or "") + child.tail
            else:
                element.text = (element.text or "") + child.tail
    return element


def parse_html(document: str) -> etree._Element:
    """An HTML5 document as an lxml tree in the XHTML namespace."""
    root = _convert(tinyhtml5.parse(document), None)
    assert root is not None
    return root


def parse_fragment(fragment: str) -> list[etree._Element]:
    """The elements of an HTML body fragment, parsed as the body of a document would be."""
    body = parse_html(f"<!DOCTYPE html><html><head></head><body>{fragment}</body></html>")[1]
    return list(body)


def _close_empty_elements(root: etree._Element) -> None:
    for element in root.iter():
        if (
            isinstance(element.tag, str)
            and element.text is None
            and not len(element)
            and etree.QName(element).localname not in VOID_ELEMENTS
        ):
            element.text = ""


def serialize(root: etree._Element) -> bytes:
    """The XHTML document: XML declaration, ``<!DOCTYPE html>``, UTF-8."""
    _close_empty_elements(root)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, doctype="<!DOCTYPE html>")
