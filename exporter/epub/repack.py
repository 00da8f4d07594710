"""Repack an EPUB from ebooklib into a valid, reproducible, right-to-left package.

ebooklib 0.20 writes no ``xml:lang`` on ``<package>`` and stamps every zip entry with the
wall-clock time. Here the package document is corrected, and the zip is rewritten:
``mimetype`` first and stored (OCF 3.3, section 4.3), every entry with the document's own
time, in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from lxml import etree

from ..zipped import write_zip

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _fix_package(data: bytes, lang: str, direction: str) -> bytes:
    root = etree.fromstring(data)
    root.set(XML_LANG, lang)
    root.set("dir", direction)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def repackage(epub_bytes: bytes, *, lang: str, direction: str, timestamp: dt.datetime) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(epub_bytes))
    members = {info.filename: source.read(info) for info in source.infolist()}
    opf_name = next(name for name in members if name.endswith(".opf"))
    members[opf_name] = _fix_package(members[opf_name], lang, direction)

    order = ["mimetype", "META-INF/container.xml", opf_name]
    order += sorted(name for name in members if name not in order)
    out = io.BytesIO()
    write_zip(
        out,
        ((name, members[name]) for name in order),
        timestamp=timestamp,
        stored=frozenset({"mimetype"}),
    )
    return out.getvalue()
