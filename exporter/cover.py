"""The EPUB's cover image: the front matter's ``cover``, or one drawn from the title.

A drawn cover is the title page of ``templates/epub/cover.html.j2`` laid out by WeasyPrint
(so Arabic is shaped as in the PDF) and rasterised by PDFium at 1600 × 2560 pixels, the
size and 1:1.6 shape that Apple Books and Kobo ask of a cover.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from .errors import ExportWarning
from .fonts import MAIN_FACES
from .model import Article
from .options import Options
from .render import font_face_rules
from .resources import Resolver
from .templates import environment, labels_for

COVER_WIDTH = 1600
COVER_HEIGHT = 2560
# Media types every reading system shows as a cover (EPUB 3.3 core media types, raster).
COVER_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif"}


# Draws the title page of an article as a JPEG: ``draw_cover``, or the second process that
# loaded WeasyPrint already (weasyprocess.py).
CoverDrawer = Callable[[Article], bytes]


@dataclass(frozen=True)
class CoverImage:
    data: bytes
    media_type: str

    @property
    def suffix(self) -> str:
        return COVER_TYPES[self.media_type]


def cover_image(article: Article, options: Options, draw: CoverDrawer | None = None) -> CoverImage:
    """The front matter's cover when it names a usable image, else one drawn (by ``draw``,
    else ``draw_cover``). The cover goes through the resolver every image goes through:
    the same folder rule, limits and type sniffing, and a warning naming it when it is
    refused."""
    given = article.metadata.cover
    if given:
        asset = Resolver(article.source, options).image(given)
        if asset is not None and asset.media_type in COVER_TYPES:
            return CoverImage(asset.data, asset.media_type)
        if asset is not None:
            warnings.warn(
                ExportWarning(
                    f"cover {given!r} is not a JPEG, PNG or GIF image: a cover is drawn instead"
                ),
                stacklevel=2,
            )
    return CoverImage((draw or draw_cover)(article), "image/jpeg")


def cover_html(article: Article) -> str:
    meta = article.metadata
    return (
        environment()
        .get_template("epub/cover.html.j2")
        .render(
            target="ebook",
            meta=meta,
            labels=labels_for(meta.lang),
            # Its stylesheet draws with upright Amiri only.
            font_faces=font_face_rules(MAIN_FACES[:2], lambda face: face.file.as_uri()),
        )
    )


def draw_cover(article: Article) -> bytes:
    """The title page as a 1600 × 2560 JPEG."""
    return rasterised(cover_pdf(article))


def cover_pdf(article: Article) -> bytes:
    """The title page laid out by WeasyPrint, as a one-page PDF."""
    from .fetcher import SafeURLFetcher
    from .libraries import load_weasyprint

    weasyprint = load_weasyprint()  # slow to import: only when a cover must be drawn
    return weasyprint.HTML(string=cover_html(article), url_fetcher=SafeURLFetcher()).write_pdf()  # type: ignore[no-any-return]


def rasterised(pdf: bytes) -> bytes:
    """The first page of ``pdf`` as a 1600 × 2560 JPEG."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        bitmap = page.render(scale=COVER_WIDTH / page.get_width())
        image = bitmap.to_pil().convert("RGB")
    finally:
        document.close()
    if image.size != (COVER_WIDTH, COVER_HEIGHT):
        image = image.resize((COVER_WIDTH, COVER_HEIGHT))
    buffer = io.BytesIO()
    # Baseline, not progressive: some e-ink readers cannot decode progressive JPEG covers.
    image.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()
