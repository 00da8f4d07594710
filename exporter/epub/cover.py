"""The EPUB's cover image: the front matter's ``cover``, or one drawn from the title.

A drawn cover is the title page of ``templates/epub/cover.html.j2`` (title, subtitle,
authors, date, publisher) drawn by Pillow at 1600 × 2560 pixels, the size and 1:1.6 shape
that Apple Books and Kobo ask of a cover. Pillow lays text out with libraqm: HarfBuzz
shapes it, as it shapes the PDF's text, and FriBiDi orders each run. The lines are broken,
given their fonts and put in bidi order by ``epub/coverlayout.py``, so that a word in a script
Amiri lacks takes its fallback font as in the PDF. No WeasyPrint: an EPUB export
never loads it.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ExportError, ExportWarning
from ..model import Article
from ..render.templates import environment, labels_for
from .coverlayout import (
    BACKGROUND,
    COVER_HEIGHT,
    COVER_WIDTH,
    RULE_COLOUR,
    RULE_HEIGHT,
    RULE_WIDTH,
    Line,
    Rule,
    direction_of,
    font,
    lay_out,
)

if TYPE_CHECKING:
    from PIL import ImageDraw

# Media types every reading system shows as a cover (EPUB 3.3 core media types, raster).
COVER_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif"}


@dataclass(frozen=True)
class CoverImage:
    data: bytes
    media_type: str

    @property
    def suffix(self) -> str:
        return COVER_TYPES[self.media_type]


def cover_image(article: Article) -> CoverImage:
    """The front matter's cover when it names a usable image, else one drawn. The cover was
    resolved with the article's other images (the same folder rule, limits and type
    sniffing, and a warning naming it when it was refused)."""
    asset = article.cover
    if asset is not None and asset.media_type in COVER_TYPES:
        return CoverImage(asset.data, asset.media_type)
    if asset is not None:
        warnings.warn(
            ExportWarning(
                f"cover {asset.reference!r} is not a JPEG, PNG or GIF image: "
                "a cover is drawn instead"
            ),
            stacklevel=2,
        )
    return CoverImage(draw_cover(article), "image/jpeg")


def cover_blocks(article: Article) -> list[tuple[str, str]]:
    """The cover's blocks from the template, top to bottom: (class, text), the text with
    its white space collapsed as a browser would, and its runs against the article's
    direction in Unicode isolates, which FriBiDi orders as the body's markup is."""
    from lxml import html as lxml_html

    meta = article.metadata
    rendered = (
        environment()
        .get_template("epub/cover.html.j2")
        .render(
            target="ebook", meta=meta, title_block=article.title_block, labels=labels_for(meta.lang)
        )
    )
    root = lxml_html.fragment_fromstring(rendered)
    return [(block.get("class"), " ".join(block.text_content().split())) for block in root]


def cover_layout(article: Article) -> list[Line | Rule]:
    """Every line and rule of the article's drawn cover in place."""
    meta = article.metadata
    return lay_out(cover_blocks(article), meta.lang, meta.dir, meta.script_style)


def draw_cover(article: Article) -> bytes:
    """The title page as a 1600 × 2560 baseline JPEG."""
    from PIL import Image, ImageDraw, features

    if not features.check_feature("raqm"):
        # Without it, Pillow would draw Arabic letters unjoined and left to right.
        raise ExportError(
            "cannot draw the EPUB's cover: Pillow lays out Arabic only with FriBiDi "
            "(install libfribidi0), or name a cover image in the front matter"
        )
    image = Image.new("RGB", (COVER_WIDTH, COVER_HEIGHT), BACKGROUND)
    canvas = ImageDraw.Draw(image)
    for item in cover_layout(article):
        if isinstance(item, Rule):
            left = (COVER_WIDTH - RULE_WIDTH) / 2
            canvas.rectangle(
                (left, item.top, left + RULE_WIDTH - 1, item.top + RULE_HEIGHT - 1),
                fill=RULE_COLOUR,
            )
        else:
            _draw_line(canvas, item, article.metadata.lang)
    buffer = io.BytesIO()
    # Baseline, not progressive: some e-ink readers cannot decode progressive JPEG covers.
    image.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def _draw_line(canvas: ImageDraw.ImageDraw, line: Line, lang: str) -> None:
    for run in line.runs:
        canvas.text(
            (run.x, line.baseline), run.text, fill=line.colour, font=font(run.face, line.size),
            anchor="ls", direction=direction_of(run.level), language=lang,
        )  # fmt: skip
