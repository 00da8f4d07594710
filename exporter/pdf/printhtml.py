"""The print target's HTML, the page WeasyPrint lays out. It needs no WeasyPrint, so that
the process that parsed the article can render it while the other loads WeasyPrint."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Article, Asset
from ..options import Options

# RFC 6761 reserves .invalid: these URLs name the article's images and can reach nothing.
ASSET_ORIGIN = "https://assets.invalid/"


def asset_urls(assets: Iterable[Asset]) -> dict[str, str]:
    """The URL the print HTML gives each image, by the reference the article wrote."""
    return {
        asset.reference: f"{ASSET_ORIGIN}{index}{asset.extension}"
        for index, asset in enumerate(assets)
    }


def render_print_html(article: Article, options: Options | None = None) -> str:
    # Imported here: the WeasyPrint process, given the HTML, never loads Jinja2, and
    # asset_urls serves it without.
    from ..render.document import build_context, font_face_rules, render_document
    from ..render.pagesetup import resolve_page_setup
    from ..render.typeset import article_faces

    context = build_context(
        article,
        "print",
        image_urls=asset_urls(article.assets),
        # WeasyPrint subsets the fonts itself and embeds only the faces it draws with; it
        # loads every face declared, though, into fontconfig, at a cost for each: only the
        # faces the article uses are declared, as for the EPUB and the web page.
        font_faces=font_face_rules(
            article_faces(article, "print"), lambda face: face.file.as_uri()
        ),
        page=resolve_page_setup(article, options or Options()),
    )
    return render_document(context)
