"""Write the PDF with WeasyPrint: PDF/A-3u by default, tagged, the Markdown source attached,
every word carrying its text (``engine/actualtext.py``), the metadata completed
(``pdf/archival.py``)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from pathlib import Path

from ..engine import patched
from ..engine.actualtext import LineRewriter
from ..engine.libraries import load_weasyprint
from ..identity import content_identifier
from ..model import Article
from ..options import Options, make_options
from .archival import complete_metadata, pdf_identifier, weasyprint_variant
from .bundledfonts import bundled_font_config
from .catalog import reading_direction_finisher
from .fetcher import SafeURLFetcher
from .readback import check_text_layer, pdfium_text


def write_pdf(
    article: Article, target: Path, options: Options | None = None,
    rewriter: LineRewriter | None = None, read_back: Callable[[bytes], str] = pdfium_text,
    print_html: str | None = None,
) -> None:  # fmt: skip
    """Write the PDF; the text layer's lines rewritten by ``rewriter`` when given, here
    otherwise (``engine/actualtext.py``); read back for the check by ``read_back``; laid out from
    ``print_html`` when it was rendered already (``pdf/printhtml.py``)."""
    weasyprint = load_weasyprint()  # slow to import: only when a PDF is asked for

    fetcher = SafeURLFetcher(article.assets)
    if print_html is None:
        from .printhtml import render_print_html

        print_html = render_print_html(article, options)
    laid_out = print_html
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
    # WeasyPrint and pydyf patched for this render only (engine/__init__.py).
    with patched(unpatched=options.unpatched_engine) as engine:
        # The layout (what html.write_pdf does first), with the bundled fonts only.
        document = html.render(font_config=bundled_font_config(), **pdf_options)
        with engine.text_layer(direction, rewriter) as put_lines_in_place, _layout_left_alone():
            finish_direction = reading_direction_finisher(direction)

            def finish(document: object, pdf: object) -> None:
                put_lines_in_place(document, pdf)
                finish_direction(document, pdf)
                complete_metadata(document, pdf, article, identifier)
                engine.compress_streams(pdf)

            pdf_bytes = document.write_pdf(finisher=finish, **pdf_options)
    check_text_layer(pdf_bytes, laid_out, read_back)
    target.write_bytes(pdf_bytes)


@contextlib.contextmanager
def _layout_left_alone() -> Iterator[None]:
    """No cyclic garbage collection while the laid-out pages are drawn and written. Each
    full collection goes through every object of the layout, a great many for a book (none
    of them garbage before the PDF is written), and drawing's own allocations would trigger
    them again and again; what little garbage drawing leaves in cycles waits until the
    collector runs again, after the PDF is written."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
