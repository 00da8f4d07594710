"""Write the PDF with WeasyPrint: PDF/A-3u by default, tagged, the Markdown source attached,
every word carrying its text (``actualtext.py``), the metadata completed (``archival.py``)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from pathlib import Path

from .actualtext import LineRewriter, actual_text_layer
from .archival import complete_metadata, pdf_identifier, weasyprint_variant
from .deflate import compress_streams
from .extraction import check_text_layer, pdfium_text
from .fetcher import SafeURLFetcher, asset_urls
from .fonts import faces_used
from .identity import content_identifier
from .libraries import load_weasyprint
from .model import Article
from .notelayout import install as keep_notes_with_calls
from .options import Options, make_options
from .pagerefs import install as make_page_references_once
from .pagesetup import resolve_page_setup
from .pdfnav import reading_direction_finisher
from .render import build_context, font_face_rules, render_document
from .text import document_text


def render_print_html(article: Article, options: Options | None = None) -> str:
    context = build_context(
        article,
        "print",
        image_urls=asset_urls(article.assets),
        # WeasyPrint subsets the fonts itself and embeds only the faces it draws with; it
        # loads every face declared, though, into fontconfig, at a cost for each: only the
        # faces the article uses are declared, as for the EPUB and the web page.
        font_faces=font_face_rules(
            faces_used(article.body_html, document_text(article)), lambda face: face.file.as_uri()
        ),
        page=resolve_page_setup(article, options or Options()),
    )
    return render_document(context)


def write_pdf(
    article: Article, target: Path, options: Options | None = None,
    rewriter: LineRewriter | None = None, read_back: Callable[[bytes], str] = pdfium_text,
) -> None:  # fmt: skip
    """Write the PDF; the text layer's lines rewritten by ``rewriter`` when given, here
    otherwise (``actualtext.py``); read back for the check by ``read_back``."""
    weasyprint = load_weasyprint()  # slow to import: only when a PDF is asked for

    keep_notes_with_calls()
    make_page_references_once()

    fetcher = SafeURLFetcher(article.assets)
    laid_out = render_print_html(article, options)
    html = weasyprint.HTML(
        string=laid_out,
        base_url=article.source.folder.as_uri() + "/",
        url_fetcher=fetcher,
    )
    when = article.metadata.timestamp
    source = weasyprint.Attachment(
        string=article.source.raw,
        name=article.source.path.name,
        description="Markdown source",
        created=when,
        modified=when,
        relationship="Source",
        url_fetcher=fetcher,
    )
    options = options or make_options()
    identifier = content_identifier(article)
    direction = article.metadata.dir
    pdf_options = {
        "pdf_variant": weasyprint_variant(options.pdf_variant),
        "pdf_identifier": pdf_identifier(identifier),
        "pdf_tags": True,
        "attachments": [source],
        "uncompressed_pdf": False,
    }
    document = html.render(**pdf_options)  # the layout: what html.write_pdf does first
    with actual_text_layer(direction, rewriter) as put_lines_in_place, _layout_left_alone():
        finish_direction = reading_direction_finisher(direction)

        def finish(document: object, pdf: object) -> None:
            put_lines_in_place(document, pdf)
            finish_direction(document, pdf)
            compress_streams(pdf)

        pdf_bytes = document.write_pdf(finisher=finish, **pdf_options)
    pdf_bytes = complete_metadata(pdf_bytes, article, identifier)
    check_text_layer(pdf_bytes, laid_out, read_back)
    target.write_bytes(pdf_bytes)


@contextlib.contextmanager
def _layout_left_alone() -> Iterator[None]:
    """No cyclic garbage collection while the laid-out pages are drawn and written. Each
    full collection goes through every object, the layout's millions for a book (none of
    them garbage before the PDF is written), and drawing's own allocations would trigger
    them again and again; what little garbage drawing leaves in cycles waits until the
    collector runs again, after the PDF is written."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
