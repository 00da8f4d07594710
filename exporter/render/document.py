"""Render an ``Article`` into HTML for one target: print (WeasyPrint), ebook, web."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from markupsafe import Markup

from ..fragment import serialize_fragment
from ..model import Article
from .bodytree import own_body
from .footnotes import inline_footnotes
from .linebreaks import set_line_breaks, with_line_breaks
from .longruns import flatten_long_runs
from .notes import BodyPart, Note, chapter_parts, relink_images, set_apart
from .pagesetup import PageSetup
from .runningheads import mark_running_heads
from .templates import FontFaceRule, Target, TemplateContext, make_context, render_template
from .typefaces import FontFace
from .typeset import typeset_for


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
    toc: bool = False,
) -> TemplateContext:
    """The template context of one target. ``toc`` asks the web page for a table of
    contents; the print target's comes with its page setup."""
    body = own_body(article.body_html)
    notes: tuple[Note, ...] = ()
    if target == "print":
        mark_running_heads(body)  # before the notes are set in the headings' text
        inline_footnotes(body, article.footnotes)  # before relinking: their images too
    else:
        notes = tuple(
            set_apart(with_line_breaks(note, split_runs=True), image_urls)
            for note in article.footnotes
        )
    set_line_breaks(body, split_runs=target != "print")
    relink_images(body, image_urls)
    if target == "print":
        flatten_long_runs(body)  # WeasyPrint's line breaking is quadratic in such runs
    if target == "web":
        parts = chapter_parts(body, notes)
    else:
        parts = (BodyPart(Markup(serialize_fragment(body)), notes),)
    return make_context(
        article, target, parts=parts, font_faces=font_faces, typeset=typeset_for(article),
        page=page, toc=page.toc if page is not None else toc,
    )  # fmt: skip


def render_document(context: TemplateContext) -> str:
    """The whole HTML document, stylesheet inside."""
    return render_template("document.html.j2", context)


def render_content(context: TemplateContext) -> str:
    """The title block and body only: what goes inside an EPUB content document."""
    return render_template("content.html.j2", context)
