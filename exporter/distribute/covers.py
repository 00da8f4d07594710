"""Each catalog entry's cover and thumbnail: the EPUB's own cover image (the front matter's
cover, or the title page the EPUB drew), else the front matter's cover file; the thumbnail
made from it by Pillow."""

from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from ..manifest import Record, regular_file_digest

# A thumbnail fits in this box, at the 1:1.6 shape of the EPUB's drawn cover.
THUMBNAIL_BOX = (240, 384)
# The image types a catalog shows, by the suffix the cover is written with.
IMAGE_SUFFIXES = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif"}
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_OPF = "{http://www.idpf.org/2007/opf}"


def cover_of(out_dir: Path, record: Record) -> tuple[bytes, str] | None:
    """The article's cover image and its media type, or None."""
    if "epub" in record.outputs:
        found = epub_cover(out_dir / record.outputs["epub"][0])
        if found is not None:
            return found
    path = record.about.get("cover")
    if isinstance(path, str) and record.assets.get(path) == regular_file_digest(Path(path)):
        data = Path(path).read_bytes()
        media_type = _sniffed(data)
        if media_type is not None:
            return data, media_type
    if "pdf" in record.outputs:
        return pdf_first_page(out_dir / record.outputs["pdf"][0])
    return None


# The first page of a PDF is drawn this many pixels high when it stands for a cover.
PAGE_COVER_HEIGHT = 1200


def pdf_first_page(pdf: Path) -> tuple[bytes, str] | None:
    """The PDF's first page drawn by PDFium, as a JPEG: the cover of an article exported
    without an EPUB or a cover image of its own."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(pdf)
    except (OSError, pypdfium2.PdfiumError):
        return None
    try:
        page = document[0]
        scale = PAGE_COVER_HEIGHT / page.get_height()
        image = page.render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue(), "image/jpeg"


def epub_cover(epub: Path) -> tuple[bytes, str] | None:
    """The image an EPUB 3 names as its cover (``properties="cover-image"``)."""
    try:
        with zipfile.ZipFile(epub) as package:
            container = etree.fromstring(package.read("META-INF/container.xml"))
            opf_name = container.find(f".//{_CONTAINER}rootfile").get("full-path")
            opf = etree.fromstring(package.read(opf_name))
            for item in opf.iter(f"{_OPF}item"):
                if "cover-image" in (item.get("properties") or "").split():
                    href = posixpath.join(posixpath.dirname(opf_name), item.get("href"))
                    media_type = item.get("media-type")
                    if media_type in IMAGE_SUFFIXES:
                        return package.read(posixpath.normpath(href)), media_type
    except (OSError, KeyError, AttributeError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None
    return None


def _sniffed(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    return None


def thumbnail(data: bytes) -> tuple[bytes, tuple[int, int]]:
    """A baseline JPEG of the cover, shrunk to fit ``THUMBNAIL_BOX``, and its size."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        small = image.convert("RGB")
        small.thumbnail(THUMBNAIL_BOX)
        buffer = io.BytesIO()
        small.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue(), small.size


def image_size(data: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return image.size
