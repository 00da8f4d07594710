"""Render an ``Article`` into HTML for one target: print (WeasyPrint), ebook, web."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from html import escape

from ..model import Article, Footnote
from .pagesetup import PageSetup
from .templates import FontFaceRule, Target, TemplateContext, make_context, render_template
from .typefaces import FontFace

# nh3 writes every attribute double-quoted with `"` escaped, but may leave a `>` inside a
# value: the src attribute is the one found outside the other attributes' quoted values.
_IMG_SRC = re.compile(r'(<img\b(?:[^>"]|"[^"]*")*?\ssrc=")([^"]*)(")')


def relink_images(body_html: str, urls: Mapping[str, str]) -> str:
    """Point each image at the URL the target uses (a data URI, a file in the EPUB...)."""

    def replace(match: re.Match[str]) -> str:
        reference = match.group(2)
        for written, url in urls.items():
            if escape(written, quote=True) == reference or written == reference:
                return f"{match.group(1)}{escape(url, quote=True)}{match.group(3)}"
        return match.group(0)

    return _IMG_SRC.sub(replace, body_html)


_FOOTNOTE_CALL = re.compile(
    r'<sup class="footnote-call"(?: dir="(?P<dir>\w+)")?><a class="footnote-ref" '
    r'href="#(?P<note>fn-\d+)" id="fnref-\d+"[^>]*>[^<]*</a></sup>'
)
_PARAGRAPH = re.compile(r"</?p\b[^>]*>")


def inline_footnotes(body_html: str, notes: tuple[Footnote, ...]) -> str:
    """Put each note where it is first called, for ``float: footnote`` in print: the page
    that holds the call then holds the note. A note's paragraphs become line breaks,
    since the note is now inline. The call stays as written, a link to the note, so that
    it can be clicked (the stylesheet turns off the engine's own unlinked call)."""
    by_id = {note.id: note for note in notes}
    placed: set[str] = set()

    def place(match: re.Match[str]) -> str:
        note = by_id.get(match.group("note"))
        if note is None or note.id in placed:
            return match.group(0)
        placed.add(note.id)
        text = _PARAGRAPH.sub("", note.html.replace("</p>\n<p>", "<br>")).strip()
        direction = f' dir="{match.group("dir")}"' if match.group("dir") else ""
        return f'{match.group(0)}<span class="footnote" id="{note.id}"{direction}>{text}</span>'

    return _FOOTNOTE_CALL.sub(place, body_html)


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
    body_html = relink_images(article.body_html, image_urls)
    footnotes = article.footnotes
    if target == "print":
        body_html, footnotes = inline_footnotes(body_html, footnotes), ()
    return make_context(
        article, target, body_html=body_html, footnotes=footnotes, font_faces=font_faces,
        page=page,
    )  # fmt: skip


def render_document(context: TemplateContext) -> str:
    """The whole HTML document, stylesheet inside."""
    return render_template("document.html.j2", context)


def render_content(context: TemplateContext) -> str:
    """The title block and body only: what goes inside an EPUB content document."""
    return render_template("content.html.j2", context)
