"""Sanitised HTML fragments as lxml trees, read and written back exactly as nh3 writes them.

nh3 (html5ever's serialiser) writes one canonical form: every element but the void ones
closes with its end tag, nothing is left implied, attribute values are double-quoted, and
``&``, ``<``, ``>`` and the no-break space are written as entities. An HTML parser would
apply HTML's tree-building rules to it again and rebuild another tree from some of it:
tinyhtml5 drops the newline that starts a ``<pre>``, libxml2 moves a ``<p>`` out of the
``<b>`` that holds it. This module nests elements exactly as the tags do, so that
``serialize_fragment(parse_fragment(html)) == html`` for anything nh3 wrote. It reads no
other HTML: it is not a parser for untrusted markup, which goes through the sanitiser
first.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from lxml import etree

# Elements html5ever writes without an end tag (and so without content).
VOID_ELEMENTS = frozenset(
    {"area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img",
     "input", "keygen", "link", "meta", "param", "source", "track", "wbr"}
)  # fmt: skip
# The tag of the element that holds a parsed fragment; never one of the sanitiser's.
FRAGMENT_ROOT = "fragment"
# What XML, and so lxml, cannot hold. The source is read without these characters
# (read/source.py), but a character reference in raw HTML can still write one.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class _TreeReader(HTMLParser):
    """Builds the tree the tags spell out, and nothing more."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.builder = etree.TreeBuilder()
        self.open = [FRAGMENT_ROOT]
        self.builder.start(FRAGMENT_ROOT, {})

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: _NOT_XML.sub("", value or "") for name, value in attrs}
        self.builder.start(tag, values)
        if tag in VOID_ELEMENTS:
            self.builder.end(tag)
        else:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            return
        if len(self.open) == 1 or self.open[-1] != tag:
            raise ValueError(f"</{tag}> closes <{self.open[-1]}>: not markup nh3 wrote")
        self.open.pop()
        self.builder.end(tag)

    def handle_data(self, data: str) -> None:
        self.builder.data(_NOT_XML.sub("", data))

    def tree(self) -> etree._Element:
        self.close()
        if len(self.open) > 1:
            raise ValueError(f"<{self.open[-1]}> is never closed: not markup nh3 wrote")
        self.builder.end(FRAGMENT_ROOT)
        return self.builder.close()


def parse_fragment(html: str) -> etree._Element:
    """The fragment as the children (and text) of one ``FRAGMENT_ROOT`` element."""
    reader = _TreeReader()
    reader.feed(html)
    return reader.tree()


def _escape_text(text: str) -> str:
    # Chained replaces: each is one pass in C, where str.translate looks up every character.
    text = text.replace("&", "&amp;").replace("\u00a0", "&nbsp;")
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(value: str) -> str:
    return _escape_text(value).replace('"', "&quot;")


def serialize_fragment(root: etree._Element) -> str:
    """What ``root`` holds, written as html5ever writes it; ``root``'s own tag is left out."""
    out: list[str] = [_escape_text(root.text or "")]
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if element is root:
            continue
        tag = element.tag
        if event == "start":
            out.append(f"<{tag}")
            for name, value in element.attrib.items():
                out.append(f' {name}="{_escape_attribute(value)}"')
            out.append(">")
            if element.text:
                out.append(_escape_text(element.text))
        else:
            if tag not in VOID_ELEMENTS:
                out.append(f"</{tag}>")
            if element.tail:
                out.append(_escape_text(element.tail))
    return "".join(out)


def replace_with_text(element: etree._Element, text: str) -> None:
    """Put ``text`` where ``element`` was, and remove it; the text after it stays."""
    parent = element.getparent()
    assert parent is not None, "the fragment root is never replaced"
    following = text + (element.tail or "")
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + following
    else:
        parent.text = (parent.text or "") + following
    parent.remove(element)


def unwrap(element: etree._Element) -> None:
    """Remove ``element`` but keep what it holds, in its place."""
    parent = element.getparent()
    assert parent is not None, "the fragment root is never unwrapped"
    children = list(element)
    if not children:
        replace_with_text(element, element.text or "")
        return
    children[-1].tail = (children[-1].tail or "") + (element.tail or "")
    element.tail = None
    index = parent.index(element)
    replace_with_text(element, element.text or "")
    parent[index:index] = children
