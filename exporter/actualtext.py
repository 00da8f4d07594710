"""A text layer that copies back: ``/ActualText`` for every word WeasyPrint draws.

WeasyPrint 70 writes one ToUnicode map per font for the whole document, so a glyph that
stands for different letters in different words extracts as whichever it met first, and
a glyph that shares a shaping cluster with another maps to nothing (upstream issue
#2841). Pango, at the moment a line is drawn, knows which characters every glyph came
from; this module listens at that moment. It calls WeasyPrint's own line drawing, then
wraps the glyphs of each word in a marked-content sequence ``/Span <</ActualText ...>>
BDC ... EMC`` (ISO 32000-1, 14.9.4) carrying the word's characters.

The readers measured (poppler, PDFium) treat replacement text as if it were drawn where
the glyphs are, then run their own reordering over the line, so the text is given in the
order each one turns back into the logical order (``textorder.py``). A line-wide span
fails in both readers; a span per word survives (see engines.md, "ActualText, tried by
hand"), and a run of left-to-right words inside right-to-left text is one span.

The spans sit inside the ``/Span <</MCID n>> BDC`` WeasyPrint opens for each text box
under ``pdf_tags``, so the structure tree still points at the same content.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Iterator

from .textorder import order_for_pdfium, order_for_poppler
from .tjstream import DrawnGlyph, rewrite_line


def actual_text_operand(text: str) -> bytes:
    """A text string in UTF-16BE with its byte order mark, as hex (ISO 32000-1, 7.9.2.2)."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def pango_glyphs(stream: object, textbox: object) -> list[DrawnGlyph]:
    """Every drawn glyph of the text box's first line, in the order WeasyPrint draws them
    (Pango's visual order), with the byte range of the characters it shapes and the
    advance WeasyPrint writes into its font's /W array."""
    from weasyprint.text.ffi import ffi, pango

    line, _ = textbox.pango_layout.get_first_line()  # type: ignore[attr-defined]
    glyphs: list[DrawnGlyph] = []
    pdf_fonts = _PdfFonts(stream)
    empty = pango.PANGO_GLYPH_EMPTY
    run, number = line.runs[0], 0
    while run != ffi.NULL:
        item = run.data.item
        string = run.data.glyphs
        count, offset, font = string.num_glyphs, item.offset, item.analysis.font
        # Read out of C at once: indexing a cffi array costs a Python call per element.
        clusters = ffi.unpack(string.log_clusters, count)
        starts = sorted(set(clusters))
        ends = dict(zip(starts, [*starts[1:], item.length], strict=True))
        rtl = bool(item.analysis.level % 2)
        widths = None
        for start, glyph_id in zip(clusters, _glyph_ids(ffi, string.glyphs, count), strict=True):
            if glyph_id == empty:
                continue  # drawn as a gap, no glyph in the stream
            if widths is None:
                widths = pdf_fonts[font].widths  # type: ignore[attr-defined]
            glyphs.append(
                DrawnGlyph(offset + start, offset + ends[start], rtl, number, glyph_id, font,
                           widths.get(glyph_id, 0.0))
            )  # fmt: skip
        run, number = run.next, number + 1
    return glyphs


def _glyph_ids(ffi: object, infos: object, count: int) -> list[int]:
    """The ``glyph`` field of ``count`` PangoGlyphInfo structures, read in one go: the
    field is the structure's first, a 32-bit unsigned integer."""
    size = ffi.sizeof("PangoGlyphInfo")  # type: ignore[attr-defined]
    fields = memoryview(ffi.buffer(infos, count * size)).cast("I")  # type: ignore[attr-defined]
    return fields[:: size // 4].tolist()


class _PdfFonts(dict[object, object]):
    """WeasyPrint's PDF font for each Pango font of a line, asked for once per font:
    ``add_font`` hashes the font's description on every call."""

    def __init__(self, stream: object) -> None:
        super().__init__()
        self._stream = stream

    def __missing__(self, font: object) -> object:
        self[font] = pdf_font = self._stream.add_font(font)[0]  # type: ignore[attr-defined]
        return pdf_font


def _span(operand: bytes) -> bytes:
    return b"/Span " + operand + b" BDC"


def open_spans(stream: object, rtl_document: bool, characters: str, rtl: bool) -> list[bytes]:
    """The marked-content operators that open a word's span, closed by one EMC each.

    A word of letters alone reads right in both readers with one span. A right-to-left
    word with marks (harakat, shadda, tanwin) or digits needs a different text for each:
    poppler takes the replacement text of an inline property list only, PDFium also that
    of a named one (a /Properties resource, ISO 32000-1, 14.6.2), and both the innermost.
    So the outer span is inline, for poppler, and the inner one named, for PDFium."""
    import pydyf

    if not rtl and not rtl_document:
        return []  # left-to-right text in a left-to-right document: the glyphs say it all
    outer, for_pdfium = _replacement(characters, rtl, rtl_document)
    if for_pdfium is None:
        return [outer]
    resources = stream._resources  # type: ignore[attr-defined]
    properties = resources.setdefault("Properties", pydyf.Dictionary())
    name = f"at{len(properties)}"
    properties[name] = pydyf.Dictionary({"ActualText": pydyf.String(for_pdfium)})
    return [outer, _span(b"/" + name.encode())]


@functools.lru_cache(maxsize=4096)
def _replacement(characters: str, rtl: bool, rtl_document: bool) -> tuple[bytes, str | None]:
    """A word's inline span for poppler, and PDFium's text when it differs; words repeat
    through a document ("في", "من"), so each is worked out once."""
    for_poppler = order_for_poppler(characters, rtl, rtl_document)
    for_pdfium = order_for_pdfium(characters, rtl, rtl_document)
    outer = _span(b"<</ActualText " + actual_text_operand(for_poppler) + b">>")
    return outer, None if for_pdfium == for_poppler else for_pdfium


def complete_to_unicode(stream: object, glyphs: list[DrawnGlyph], text: bytes) -> None:
    """Give every glyph WeasyPrint mapped to nothing the characters of its cluster: PDF/A
    level "u" asks for a Unicode value for every glyph (ISO 19005-3, 6.2.11.7.2); the
    ActualText around it is what readers take."""
    from weasyprint.text.ffi import pango

    fonts = _PdfFonts(stream)
    for glyph in glyphs:
        if glyph.glyph_id & pango.PANGO_GLYPH_UNKNOWN_FLAG:
            continue  # WeasyPrint draws .notdef under another id and maps that itself
        to_unicode = fonts[glyph.font].to_unicode  # type: ignore[attr-defined]
        if not to_unicode.get(glyph.glyph_id, "x"):
            to_unicode[glyph.glyph_id] = text[glyph.start : glyph.end].decode("utf-8")


DrawLine = Callable[..., object]


def _with_actual_text(draw_first_line: DrawLine, rtl_document: bool) -> DrawLine:
    def draw(stream: object, textbox: object, *args: object, **kwargs: object) -> object:
        operations = stream.stream  # type: ignore[attr-defined]
        start = len(operations)
        result = draw_first_line(stream, textbox, *args, **kwargs)
        text = textbox.pango_layout.text.encode("utf-8")  # type: ignore[attr-defined]
        glyphs = pango_glyphs(stream, textbox)
        opener = functools.partial(open_spans, stream, rtl_document)
        operations[start:] = rewrite_line(operations[start:], glyphs, text, opener, rtl_document)
        complete_to_unicode(stream, glyphs, text)
        return result

    return draw


# The hook replaces a module attribute of WeasyPrint: one PDF at a time per process, so that
# two threads never see each other's document direction or restore each other's hook.
_DRAWING = threading.Lock()


@contextlib.contextmanager
def actual_text_layer(direction: str) -> Iterator[None]:
    """While active, every line WeasyPrint draws carries ActualText word by word."""
    from weasyprint.draw import text as drawing

    with _DRAWING:
        original = drawing.draw_first_line
        drawing.draw_first_line = _with_actual_text(original, direction == "rtl")
        try:
            yield
        finally:
            drawing.draw_first_line = original
