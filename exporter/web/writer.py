"""Write the web HTML: one self-contained file, fonts and images inside as data URIs."""

from __future__ import annotations

import base64
from pathlib import Path

from ..model import Article
from ..options import Options
from ..render.charset import document_text
from ..render.document import build_context, font_face_rules, render_document
from ..render.pagesetup import wants_contents
from ..render.typefaces import FontFace, subset_font
from ..render.typeset import article_faces


def data_uri(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def render_web_html(article: Article, options: Options | None = None) -> str:
    text = document_text(article, "web")

    def font_url(face: FontFace) -> str:
        # WOFF (zlib) and a subset: every browser reads it. WOFF2 would be a little smaller,
        # but its Brotli pass at the only quality fontTools offers (11) would take most of
        # the time of a whole export (docs/performance.md).
        return data_uri("font/woff", subset_font(face.file, text, "woff"))

    context = build_context(
        article,
        "web",
        image_urls={
            asset.reference: data_uri(asset.media_type, asset.data) for asset in article.assets
        },
        font_faces=font_face_rules(article_faces(article, "web"), font_url),
        toc=wants_contents(article, options or Options()),
    )
    return render_document(context)


def write_html(article: Article, target: Path, options: Options | None = None) -> None:
    target.write_text(render_web_html(article, options), encoding="utf-8")
