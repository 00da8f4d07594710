"""Write the EPUB 3: content documents, nav and cover page from the templates, the package
(metadata, manifest, spine, NCX) by ebooklib, then repacked by ``epub/repack.py``.

Every XHTML document is made here, not by ebooklib: ebooklib passes content through
libxml2's HTML4 parser, which drops the attributes of ``<html>`` and ``<body>`` and
lowercases SVG; and its nav has no ``dir``, a page list made of footnotes and English
labels.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ebooklib import epub
from lxml import etree

from ..errors import ExportWarning
from ..model import Article, Heading
from ..options import Options
from ..render.charset import document_text
from ..render.document import build_context, font_face_rules, render_content
from ..render.templates import environment, labels_for
from ..render.typefaces import FontFace, subset_font
from ..render.typeset import article_faces
from .chapters import Chapter, document_of_ids, relink_across_documents, split_chapters
from .cover import cover_image
from .metadata import add_accessibility_metadata, add_descriptive_metadata
from .repack import repackage
from .xhtml import EPUB_TYPE, parse_fragment, serialize, xhtml

__all__ = ["build_book", "write_epub"]

STYLE_FILE = "style/ebook.css"
NAV_FILE = "nav.xhtml"
COVER_PAGE = "cover.xhtml"
XHTML_TYPE = "application/xhtml+xml"
# Apple Books shows the book's own fonts only when asked to (Apple's "Asset Guide").
APPLE_OPTIONS = "META-INF/com.apple.ibooks.display-options.xml"


@dataclass(frozen=True)
class TocEntry:
    text: str
    href: str
    html: str  # as the nav shows it: its runs against the article's direction isolated
    children: list[TocEntry] = field(default_factory=list)


def _render(name: str, **values: object) -> str:
    """An EPUB template (package documents, nav, cover page), rendered for the ebook."""
    return environment().get_template(name).render(target="ebook", **values)


def _item(
    uid: str, file_name: str, media_type: str, content: bytes, properties: tuple[str, ...] = ()
) -> epub.EpubItem:
    """A manifest item written as given (ebooklib re-parses only its own ``EpubHtml``)."""
    item = epub.EpubItem(uid=uid, file_name=file_name, media_type=media_type, content=content)
    item.properties = list(properties)  # ebooklib writes them into the manifest
    return item


def toc_entries(headings: tuple[Heading, ...], where: Mapping[str, str]) -> list[TocEntry]:
    """The headings as a tree, each linked in the content document that holds it."""
    root: list[TocEntry] = []
    stack: list[tuple[int, list[TocEntry]]] = [(0, root)]
    for heading in headings:
        while stack[-1][0] >= heading.level:
            stack.pop()
        entry = TocEntry(heading.text, f"{where[heading.id]}#{heading.id}", heading.html)
        stack[-1][1].append(entry)
        stack.append((heading.level, entry.children))
    return root


def _ncx_toc(entries: list[TocEntry], prefix: str = "nav") -> list[object]:
    """The same tree in ebooklib's terms, for the NCX of EPUB 2 reading systems."""
    out: list[object] = []
    for number, entry in enumerate(entries, start=1):
        uid = f"{prefix}-{number}"  # becomes an NCX id: it must be an XML name
        if entry.children:
            section = epub.Section(entry.text, entry.href)
            out.append((section, _ncx_toc(entry.children, uid)))
        else:
            out.append(epub.Link(entry.href, entry.text, uid))
    return out


def content_documents(article: Article, image_urls: Mapping[str, str],
                      faces: tuple[FontFace, ...]) -> tuple[list[Chapter], str]:  # fmt: skip
    """The rendered content cut into chapters, and the stylesheet."""
    context = build_context(
        article,
        "ebook",
        image_urls=image_urls,
        font_faces=font_face_rules(faces, lambda face: "../" + _font_path(face)),
    )
    elements = parse_fragment(render_content(context))
    for element in elements:
        for call in element.iter(xhtml("a")):
            if call.get("role") == "doc-noteref":
                call.set(EPUB_TYPE, "noteref")  # EPUB 3.3 SSV, for pop-up notes
    chapters = split_chapters(elements)
    relink_across_documents(chapters, document_of_ids(chapters))
    return chapters, str(context["stylesheet"])


def _font_path(face: FontFace) -> str:
    return f"fonts/{face.file.name}"


def _chapter_xhtml(article: Article, chapter: Chapter) -> bytes:
    meta = article.metadata
    wrapper = _render("epub/document.xhtml.j2", meta=meta, title=chapter.heading or meta.title,
                      stylesheet_href=STYLE_FILE, body_type="bodymatter")  # fmt: skip
    root = etree.fromstring(wrapper.encode("utf-8"))
    root.find(xhtml("body")).extend(chapter.elements)
    return serialize(root)


def _warn_undescribed_images(chapters: list[Chapter], references: Mapping[str, str]) -> bool:
    """Warn about each image without alt text; True when every image has one."""
    described = True
    for chapter in chapters:
        for element in chapter.elements:
            for image in element.iter(xhtml("img")):
                if not (image.get("alt") or "").strip():
                    described = False
                    src = str(image.get("src"))
                    problem = (
                        f"image {references.get(src, src)!r} has no alt text: readers who "
                        "cannot see it get nothing; write ![what it shows](...)"
                    )
                    warnings.warn(ExportWarning(problem), stacklevel=2)
    return described


def _add_resources(
    book: epub.EpubBook,
    article: Article,
    stylesheet: str,
    faces: tuple[FontFace, ...],
    image_files: Mapping[str, str],
) -> None:
    """The stylesheet, each face subset to the book's characters, and the images."""
    book.add_item(_item("style", STYLE_FILE, "text/css", stylesheet.encode("utf-8")))
    text = document_text(article, "ebook")
    for face in faces:
        book.add_item(_item(f"font-{face.file.stem}", _font_path(face), face.media_type,
                            subset_font(face.file, text)))  # fmt: skip
    for index, asset in enumerate(article.assets):
        book.add_item(_item(f"image-{index}", image_files[asset.reference], asset.media_type,
                            asset.data))  # fmt: skip


def _add_cover(book: epub.EpubBook, article: Article, options: Options) -> epub.EpubItem:
    """The cover image and the page that shows it; returns the page."""
    meta = article.metadata
    cover = cover_image(article)
    # Beside the content, not among the article's images: it is no part of the text.
    image_file = f"cover{cover.suffix}"
    book.add_item(_item("cover-image", image_file, cover.media_type, cover.data, ("cover-image",)))
    # EPUB 2 reading systems (and Calibre, Kobo) find the cover through this meta.
    book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    page = _render("epub/cover.xhtml.j2", meta=meta, labels=labels_for(meta.lang),
                   stylesheet_href=STYLE_FILE, image_href=image_file)  # fmt: skip
    return book.add_item(_item("cover", COVER_PAGE, XHTML_TYPE, page.encode("utf-8")))


def _add_chapters(
    book: epub.EpubBook, article: Article, chapters: list[Chapter]
) -> list[epub.EpubItem]:
    documents = []
    for number, chapter in enumerate(chapters, start=1):
        content = _chapter_xhtml(article, chapter)
        documents.append(
            book.add_item(_item(f"chapter-{number}", chapter.file_name, XHTML_TYPE, content))
        )
    return documents


def _add_navigation(
    book: epub.EpubBook, article: Article, chapters: list[Chapter]
) -> epub.EpubItem:
    """The nav document (contents, hidden landmarks) and the NCX; returns the nav."""
    meta = article.metadata
    toc = toc_entries(article.headings, document_of_ids(chapters)) or [
        TocEntry(meta.title, chapters[0].file_name, article.title_block.title)
    ]
    nav = _render("epub/nav.xhtml.j2", meta=meta, labels=labels_for(meta.lang),
                  stylesheet_href=STYLE_FILE, toc=toc, cover_href=COVER_PAGE,
                  toc_href=f"{NAV_FILE}#toc", start_href=chapters[0].file_name)  # fmt: skip
    document = _item("nav", NAV_FILE, XHTML_TYPE, nav.encode("utf-8"), ("nav",))
    document.is_linear = False
    book.add_item(document)
    book.add_item(epub.EpubNcx())
    book.toc = _ncx_toc(toc)
    return document


def _add_accessibility(book: epub.EpubBook, article: Article, described: bool) -> None:
    labels = labels_for(article.metadata.lang)
    summary = str(labels["accessibility_summary"])
    if described:  # every image, the cover included, has alt text
        summary += " " + str(labels["accessibility_alt_text"])
    add_accessibility_metadata(book, summary=summary, has_images=True,
                               all_images_described=described)  # fmt: skip


def build_book(article: Article, options: Options) -> epub.EpubBook:
    """The book, step by step."""
    faces = article_faces(article, "ebook")
    image_files = {a.reference: f"images/{i}{a.extension}" for i, a in enumerate(article.assets)}
    chapters, stylesheet = content_documents(article, image_files, faces)
    described = _warn_undescribed_images(chapters, {v: k for k, v in image_files.items()})

    book = epub.EpubBook()
    add_descriptive_metadata(book, article)
    _add_resources(book, article, stylesheet, faces, image_files)
    cover_page = _add_cover(book, article, options)
    documents = _add_chapters(book, article, chapters)
    nav = _add_navigation(book, article, chapters)
    # The cover page is linear (OPF-096 otherwise); the nav is in the spine, out of the
    # reading order, because the toc landmark links to it (RSC-011 otherwise).
    book.spine = [cover_page, *documents, nav]
    apple = _render("epub/display-options.xml.j2").encode("utf-8")
    book.add_item(epub.EpubItem(file_name=APPLE_OPTIONS, content=apple, manifest=False))
    _add_accessibility(book, article, described)
    return book


def write_epub(article: Article, target: Path, options: Options | None = None) -> None:
    meta = article.metadata
    buffer = io.BytesIO()
    epub.write_epub(
        buffer,
        build_book(article, options or Options()),
        {
            "epub3_pages": False,  # ebooklib would make a page list out of footnotes
            "epub3_landmark": False,  # the nav document is ours, landmarks included
            "epub2_guide": False,
            "package_direction": True,
            "spine_direction": True,
            "raise_exceptions": True,
            "mtime": meta.timestamp,
            "compresslevel": 0,  # repackage() compresses: a first deflate would be thrown away
        },
    )
    target.write_bytes(
        repackage(buffer.getvalue(), lang=meta.lang, direction=meta.dir, timestamp=meta.timestamp)
    )
