"""Every byte an output carries, opened up, to look for something that must not be there."""

from __future__ import annotations

import base64
import binascii
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pikepdf

_DATA_URI = re.compile(rb"data:[^,\"')\s]*;base64,([A-Za-z0-9+/=\s]+)")


def pdf_parts(path: Path) -> Iterator[tuple[str, bytes]]:
    """Each object of the PDF: streams decompressed (fonts, images, embedded files, page
    content), other objects as written, and each attached file's content."""
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            name = f"{path.name} object {obj.objgen}"
            if isinstance(obj, pikepdf.Stream):
                try:
                    yield name, obj.read_bytes()
                except pikepdf.PdfError:  # a filter pikepdf cannot undo (DCT): raw bytes
                    yield name, obj.read_raw_bytes()
            else:
                yield name, obj.unparse()
        for attachment, spec in pdf.attachments.items():
            yield f"{path.name} attachment {attachment}", spec.get_file().read_bytes()


def epub_parts(path: Path) -> Iterator[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as package:
        for info in package.infolist():
            yield f"{path.name}:{info.filename}", package.read(info)


def html_parts(path: Path) -> Iterator[tuple[str, bytes]]:
    """The file, and the content of each base64 data URI in it."""
    data = path.read_bytes()
    yield path.name, data
    for number, match in enumerate(_DATA_URI.finditer(data)):
        try:
            yield f"{path.name} data URI {number}", base64.b64decode(match.group(1))
        except binascii.Error:
            continue


def output_parts(path: Path) -> Iterator[tuple[str, bytes]]:
    readers = {".pdf": pdf_parts, ".epub": epub_parts, ".html": html_parts}
    yield from readers[path.suffix](path)


def find_leaks(paths: list[Path], secrets: list[bytes]) -> list[str]:
    """Where any of ``secrets`` occurs in any part of any output, as UTF-8 or UTF-16."""
    needles = [form for secret in secrets for form in _encodings(secret)]
    return [
        name
        for path in paths
        for name, data in output_parts(path)
        if any(needle in data for needle in needles)
    ]


def _encodings(secret: bytes) -> list[bytes]:
    try:
        text = secret.decode("utf-8")
    except UnicodeDecodeError:  # binary: only its own bytes can show up
        return [secret]
    return [secret, text.encode("utf-16-be"), text.encode("utf-16-le")]
