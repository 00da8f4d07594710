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

    stamp = (max(timestamp.year, 1980), timestamp.month, timestamp.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        order = ["mimetype", "META-INF/container.xml", opf_name]
        order += sorted(name for name in members if name not in order)
        for name in order:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            stored = name == "mimetype"
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            package.writestr(info, members[name], compresslevel=None if stored else 9)
    return out.getvalue()
