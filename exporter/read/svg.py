"""Sanitise an SVG image: it is XML, so it can declare entities that read local files or
expand a billion times, carry script, and reach out through ``href``, ``url()`` and
``@import``. What comes out holds only drawing elements from an allow-list, with local
(``#id``) references and no DOCTYPE."""

from __future__ import annotations

import re

from lxml import etree

from ..errors import ResourceError

SVG_NS = "http://www.w3.org/2000/svg"
ALLOWED_ELEMENTS = frozenset(
    {"svg", "g", "defs", "symbol", "use", "path", "rect", "circle", "ellipse", "line",
     "polyline", "polygon", "text", "tspan", "textPath", "title", "desc", "linearGradient",
     "radialGradient", "stop", "clipPath", "mask", "pattern", "marker", "style", "filter",
     "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feDropShadow",
     "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge",
     "feMergeNode", "feMorphology", "feOffset"}
)  # fmt: skip
# A reference outside the image: url(...) to anything but a fragment, and @import.
_EXTERNAL_CSS = re.compile(r"@import|url\(\s*['\"]?\s*(?!#)|expression\(", re.IGNORECASE)
_PARSER_OPTIONS = {
    "resolve_entities": False,
    "load_dtd": False,
    "no_network": True,
    "huge_tree": False,  # keeps libxml2's limits on depth and text size
    "remove_comments": True,
    "remove_pis": True,  # <?xml-stylesheet?> would load a stylesheet
}


def sanitize_svg(data: bytes) -> bytes:
    """The image with everything that could run or reach outside it removed;
    ``ResourceError`` when it declares entities or is not well-formed SVG."""
    if b"<!ENTITY" in data.upper():
        raise ResourceError("is an SVG that declares entities")
    try:
        root = etree.fromstring(data, etree.XMLParser(**_PARSER_OPTIONS))
    except etree.XMLSyntaxError as error:
        raise ResourceError(f"is not a well-formed SVG image ({error.msg})") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ResourceError("is not an SVG image (its root element is not <svg>)")
    _clean(root)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def _allowed(element: etree._Element) -> bool:
    if not isinstance(element.tag, str):  # an entity reference left unexpanded
        return False
    name = etree.QName(element)
    return name.namespace == SVG_NS and name.localname in ALLOWED_ELEMENTS


def _clean(root: etree._Element) -> None:
    for element in list(root.iter()):
        if element is not root and not _allowed(element):
            _remove(element)
            continue
        for attribute, value in list(element.attrib.items()):
            if not _safe_attribute(etree.QName(attribute).localname, value):
                del element.attrib[attribute]
        if element.tag == f"{{{SVG_NS}}}style" and _EXTERNAL_CSS.search(element.text or ""):
            _remove(element)


def _safe_attribute(name: str, value: str) -> bool:
    if name.lower().startswith("on"):  # event handlers
        return False
    if name == "href":  # href and xlink:href: only a fragment of this same image
        return value.strip().startswith("#")
    return not _EXTERNAL_CSS.search(value)


def _remove(element: etree._Element) -> None:
    """Remove an element with its children, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
