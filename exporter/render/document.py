"""Render an ``Article`` into HTML for one target: print (WeasyPrint), ebook, web."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from lxml import etree

from ..fragment import serialize_fragment
from ..model import Article
from .bodytree import own_body
from .footnotes import inline_footnotes
from .pagesetup import PageSetup
from .templates import FontFaceRule, Target, TemplateContext, make_context, render_template
from .typefaces import FontFace
from .typeset import typeset_for


def relink_images(body: etree._Element, urls: Mapping[str, str]) -> None:
    """Point each image at the URL the target uses (a data URI, a file in the EPUB...)."""
    for image in body.iter("img"):
        url = urls.get(image.get("src", ""))
        if url is not None:
            image.set("src", url)


def font_face_rules(
    faces: Iterable[FontFace], url_of: Callable[[FontFace], str]
) -> list[FontFaceRule]:
    rules: list[FontFaceRule] = []
    for face in faces:
        url = url_of(face)
        embedded = url.startswith("data:font/")  # data:font/woff2;base64,...
        kind = url[10:].split(";", 1)[0] if embedded else face.file.suffix.lstrip(".")
        rules.append(
            FontFaceRule(
                family=face.family,
                weight=face.weight,
                style=face.style,
                url=url,
                format={"ttf": "truetype", "otf": "opentype"}.get(kind, kind),
            )
        )
    return rules


def build_context(
    article: Article,
    target: Target,
    *,
    image_urls: Mapping[str, str],
    font_faces: list[FontFaceRule],
    page: PageSetup | None = None,
) -> TemplateContext:
    body = own_body(article.body_html)
    relink_images(body, image_urls)
    footnotes = article.footnotes
    if target == "print":
        inline_footnotes(body, footnotes)
        footnotes = ()
    return make_context(
        article, target, body_html=serialize_fragment(body), footnotes=footnotes,
        font_faces=font_faces, typeset=typeset_for(article), page=page,
    )  # fmt: skip


def render_document(context: TemplateContext) -> str:
    """The whole HTML document, stylesheet inside."""
    return render_template("document.html.j2", context)


def render_content(context: TemplateContext) -> str:
    """The title block and body only: what goes inside an EPUB content document."""
    return render_template("content.html.j2", context)
