"""Write the EPUB 3 with ebooklib, then repair what ebooklib 0.20 gets wrong for a
right-to-left book (see ``epubzip.py``)."""

from __future__ import annotations

import io
from pathlib import Path

from ebooklib import epub

from .epubzip import repackage
from .fonts import FontFace, faces_used, subset_font
from .identity import content_identifier
from .model import Article, Heading
from .options import Options
from .render import build_context, font_face_rules, render_content
from .templates import labels_for
from .text import document_text

CONTENT_FILE = "content.xhtml"
STYLE_FILE = "style/ebook.css"


def _font_path(face: FontFace) -> str:
    return f"fonts/{face.file.name}"


def _toc(headings: tuple[Heading, ...]) -> list[object]:
    """The nested table of contents ebooklib expects: ``(Section, [children])`` for a
    heading with sub-headings, ``Link`` for one without."""
    root: list[tuple[int, list[object]]] = []
    stack: list[tuple[int, list[object]]] = [(0, root)]  # type: ignore[list-item]
    for number, heading in enumerate(headings, start=1):
        while stack[-1][0] >= heading.level:
            stack.pop()
        children: list[object] = []
        stack[-1][1].append((number, children))  # type: ignore[arg-type]
        stack.append((heading.level, children))

    def build(items: list[tuple[int, list[object]]]) -> list[object]:
        out: list[object] = []
        for number, children in items:
            heading = headings[number - 1]
            href = f"{CONTENT_FILE}#{heading.id}"
            if children:
                out.append((epub.Section(heading.text, href), build(children)))  # type: ignore[arg-type]
            else:
                # The uid becomes an NCX id, which must be an XML name.
                out.append(epub.Link(href, heading.text, f"nav-{number}"))
        return out

    return build(root)


def build_book(article: Article) -> epub.EpubBook:
    meta = article.metadata
    labels = labels_for(meta.lang)
    faces = faces_used(article.body_html)
    text = document_text(article)

    book = epub.EpubBook()
    book.set_identifier(content_identifier(article))
    book.set_title(meta.title)
    book.set_language(meta.lang)
    book.set_direction(meta.dir)
    for number, author in enumerate(meta.authors, start=1):
        book.add_author(author, uid=f"author-{number}")
    for name, value in (
        ("description", meta.description),
        ("publisher", meta.publisher),
        ("rights", meta.rights),
        ("date", meta.date.isoformat() if meta.date else None),
    ):
        if value:
            book.add_metadata("DC", name, value)
    for keyword in meta.keywords:
        book.add_metadata("DC", "subject", keyword)

    context = build_context(
        article,
        "ebook",
        image_urls={a.reference: f"images/{i}{a.extension}" for i, a in enumerate(article.assets)},
        font_faces=font_face_rules(faces, lambda face: "../" + _font_path(face)),
    )
    style = epub.EpubItem(
        uid="style", file_name=STYLE_FILE, media_type="text/css",
        content=str(context["stylesheet"]).encode("utf-8"),
    )  # fmt: skip
    book.add_item(style)
    for face in faces:
        book.add_item(
            epub.EpubItem(
                uid=f"font-{face.file.stem}", file_name=_font_path(face),
                media_type=face.media_type, content=subset_font(face.file, text),
            )
        )  # fmt: skip
    for index, asset in enumerate(article.assets):
        book.add_item(
            epub.EpubImage(
                uid=f"image-{index}", file_name=f"images/{index}{asset.extension}",
                media_type=asset.media_type, content=asset.data,
            )
        )  # fmt: skip

    page = epub.EpubHtml(
        title=meta.title, file_name=CONTENT_FILE, lang=meta.lang, direction=meta.dir,
        uid="content",
    )  # fmt: skip
    # Bytes, not str: ebooklib drops a str document that starts with an XML declaration.
    page.content = render_content(context).encode("utf-8")
    page.add_item(style)
    book.add_item(page)

    nav = epub.EpubNav(title=str(labels["contents"]), direction=meta.dir)
    nav.add_item(style)
    book.add_item(nav)
    book.add_item(epub.EpubNcx())
    book.toc = _toc(article.headings) or [epub.Link(CONTENT_FILE, meta.title, "start")]
    book.spine = [page]
    return book


def write_epub(article: Article, target: Path, options: Options | None = None) -> None:
    meta = article.metadata
    labels = labels_for(meta.lang)
    buffer = io.BytesIO()
    epub.write_epub(
        buffer,
        build_book(article),
        {
            "epub3_pages": False,  # ebooklib would make a page list out of footnotes
            "epub3_landmark": True,
            "landmark_title": str(labels["landmarks"]),
            "package_direction": True,
            "spine_direction": True,
            "raise_exceptions": True,
            "mtime": meta.timestamp,
        },
    )
    target.write_bytes(
        repackage(buffer.getvalue(), lang=meta.lang, direction=meta.dir, timestamp=meta.timestamp)
    )
