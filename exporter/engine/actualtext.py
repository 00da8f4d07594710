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
order each one turns back into the logical order (``copytext/textorder.py``). A line-wide
span fails in both readers (each reverses it, in its own way); a span per word survives,
and a run of left-to-right words inside right-to-left text is one span.

The spans sit inside the ``/Span <</MCID n>> BDC`` WeasyPrint opens for each text box
under ``pdf_tags``, so the structure tree still points at the same content.

A line is read out of Pango while it is drawn (``capture_line``: C arrays copied whole, the
only part that needs WeasyPrint's live objects); rewriting it is plain Python on plain data
(``rewrite_captured``), so it can be done at once or, with a ``LineRewriter``, by another
process while this one draws on, the lines put in place before the PDF is written.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import unicodedata
from collections.abc import Callable, Iterator
from itertools import repeat
from typing import Any, NamedTuple, Protocol

from ..copytext.textorder import (
    RIGHT_TO_LEFT_MARK,
    order_for_pdfium,
    order_for_poppler,
    pdfium_kind,
)
from ..copytext.tjstream import DrawnGlyph, Opening, rewrite_line
from ..model import NOTE_LINK_CLASS

# pango-glyph.h: the glyph of a zero-width character, drawn as a gap.
PANGO_GLYPH_EMPTY = 0x0FFFFFFF


def actual_text_operand(text: str) -> bytes:
    """A text string in UTF-16BE with its byte order mark, as hex (ISO 32000-1, 7.9.2.2)."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


class RunCapture(NamedTuple):
    """One Pango run of a drawn line: where its text is, and its glyphs as Pango gives them
    (``PANGO_GLYPH_EMPTY`` included), each with its cluster's start and its advance."""

    offset: int  # UTF-8 byte offset of the run's text in the layout text
    length: int
    rtl: bool
    font: int  # the run's PangoFont, numbered within the line
    clusters: list[int]
    glyph_ids: list[int]
    widths: list[float]  # the advance WeasyPrint writes into the font's /W array


class _Borrowed(NamedTuple):
    """What a box's first and last words read as beyond their own characters, when a word
    goes on from one box to the next on the line (``_RunJoins._glue``): the characters the
    first word gives the box before (``given_back``: its punctuation, for both readers)
    and takes from it for PDFium (``taken``: a quotation mark), those the last word gives
    the box after for PDFium (``given_on``) and takes from it (``punctuation``, for both;
    ``added``, a note call's number, for PDFium), and whether it goes on in the next box
    (``glued``)."""

    given_back: int = 0
    taken: str = ""
    given_on: int = 0
    punctuation: str = ""
    added: str = ""
    glued: bool = False


class LineCapture(NamedTuple):
    """What rewriting a drawn line needs, and nothing of WeasyPrint's."""

    drawn: list[bytes]  # the line's operators as WeasyPrint wrote them
    runs: list[RunCapture]
    text: bytes  # the layout's text, UTF-8
    rtl_document: bool
    # The space glyph (id, advance) of each font with a run against the document's
    # direction: drawn at the run's edges when the line has no space of its own.
    spare_spaces: dict[int, tuple[int, float]]
    # Whether a run against the document's direction at the start, and at the end, of the
    # text goes on in the text box drawn before, and after, on the same line.
    joins: tuple[bool, bool] = (False, False)
    # Whether this box is a raised note call (PDFium reads its number with the word before).
    is_note_call: bool = False
    # What its first and last words give to, and take from, the boxes beside them for
    # PDFium (``_Borrowed``).
    borrowed: _Borrowed = _Borrowed()
    # Whether it is the only text box drawn in its line box (a table cell's number).
    alone: bool = False


class NamedSpan(NamedTuple):
    """A span whose replacement text is a /Properties resource of the page, named when the
    line is put in place (``place``)."""

    actual_text: str


Rewritten = list[bytes | NamedSpan]


def capture_line(
    stream: object, textbox: object, drawn: list[bytes], rtl_document: bool
) -> LineCapture:
    """The text box's first line as WeasyPrint just drew it. Also gives every glyph that
    WeasyPrint mapped to nothing the characters of its cluster (``_complete_to_unicode``)."""
    from weasyprint.text.ffi import ffi

    layout = textbox.pango_layout  # type: ignore[attr-defined]
    text = layout.text.encode("utf-8")
    line, _ = layout.get_first_line()
    pdf_fonts = _PdfFonts(stream)
    font_numbers: dict[object, int] = {}  # fonts are only ever compared within a line
    info_size = _glyph_info_size(ffi)
    is_drawn = PANGO_GLYPH_EMPTY.__ne__
    spare_spaces: dict[int, tuple[int, float]] = {}
    runs: list[RunCapture] = []
    run = line.runs[0]
    while run != ffi.NULL:
        item = run.data.item
        string = run.data.glyphs
        count, font = string.num_glyphs, item.analysis.font
        # Read out of C at once: indexing a cffi array costs a Python call per element.
        clusters = ffi.unpack(string.log_clusters, count)
        infos = memoryview(ffi.buffer(string.glyphs, count * info_size)).cast("I")
        glyph_ids = infos[:: info_size // 4].tolist()  # the first field, a 32-bit integer
        widths = [0.0] * count
        if count and (PANGO_GLYPH_EMPTY not in glyph_ids or any(map(is_drawn, glyph_ids))):
            pdf_font = pdf_fonts[font]
            known, to_unicode = pdf_font.widths, pdf_font.to_unicode  # type: ignore[attr-defined]
            # map() runs in C: this is done for every word (a run, when justified) of a book.
            widths = list(map(known.get, glyph_ids, repeat(0.0, count)))
            if not all(map(to_unicode.get, glyph_ids, repeat("x", count))):
                _complete_to_unicode(to_unicode, clusters, glyph_ids, item, text)
        number = font_numbers.setdefault(font, len(font_numbers))
        if bool(item.analysis.level % 2) != rtl_document and number not in spare_spaces:
            space = _space_glyph(stream, font, pdf_fonts[font])
            if space is not None:
                spare_spaces[number] = space
        runs.append(
            RunCapture(item.offset, item.length, bool(item.analysis.level % 2), number,
                       clusters, glyph_ids, widths)
        )  # fmt: skip
        run = run.next
    return LineCapture(drawn, runs, text, rtl_document, spare_spaces)


def _space_glyph(stream: object, font: object, pdf_font: Any) -> tuple[int, float] | None:
    """The font's space glyph and its advance as WeasyPrint writes advances, recorded in
    the PDF font (its /W array, its ToUnicode map and so its subset) as if drawn."""
    space = pdf_font.__dict__.get("_space_glyph", False)
    if space is False:
        space = pdf_font._space_glyph = _measured_space(stream, font, pdf_font)
    if space is not None:
        glyph_id, width = space
        pdf_font.widths.setdefault(glyph_id, width)
        if not pdf_font.to_unicode.get(glyph_id):
            pdf_font.to_unicode[glyph_id] = " "
    return space  # type: ignore[no-any-return]


def _measured_space(stream: object, font: object, pdf_font: Any) -> tuple[int, float] | None:
    import uharfbuzz
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango

    face = uharfbuzz.Face(uharfbuzz.Blob(pdf_font.file_content), pdf_font.index)
    glyph_id = uharfbuzz.Font(face).get_nominal_glyph(0x20)
    if not glyph_id:
        return None
    if glyph_id in pdf_font.widths:
        return glyph_id, pdf_font.widths[glyph_id]
    # As WeasyPrint measures a glyph it draws (draw/text.py): Pango's logical extents.
    _, font_size = stream.add_font(font)  # type: ignore[attr-defined]
    ink, logical = ffi.new("PangoRectangle *"), ffi.new("PangoRectangle *")
    pango.pango_font_get_glyph_extents(font, glyph_id, ink, logical)
    return glyph_id, round(logical.width * 1000 * FROM_UNITS / font_size)


@functools.cache
def _glyph_info_size(ffi: object) -> int:
    return ffi.sizeof("PangoGlyphInfo")  # type: ignore[attr-defined,no-any-return]


class _PdfFonts(dict[object, object]):
    """WeasyPrint's PDF font for each Pango font of a line, asked for once per font:
    ``add_font`` hashes the font's description on every call."""

    def __init__(self, stream: object) -> None:
        super().__init__()
        self._stream = stream

    def __missing__(self, font: object) -> object:
        self[font] = pdf_font = self._stream.add_font(font)[0]  # type: ignore[attr-defined]
        return pdf_font


def _cluster_ends(clusters: list[int], length: int) -> dict[int, int]:
    """Where each cluster of a run ends (byte offsets within the run)."""
    starts = sorted(set(clusters))
    return dict(zip(starts, [*starts[1:], length], strict=True))


def _complete_to_unicode(
    to_unicode: dict[int, str], clusters: list[int], glyph_ids: list[int], item: object,
    text: bytes,
) -> None:  # fmt: skip
    """Give every glyph WeasyPrint mapped to nothing the characters of its cluster (the
    first it is drawn for): PDF/A level "u" asks for a Unicode value for every glyph
    (ISO 19005-3, 6.2.11.7.2); the ActualText around it is what readers take."""
    from weasyprint.text.ffi import pango

    offset = item.offset  # type: ignore[attr-defined]
    ends = _cluster_ends(clusters, item.length)  # type: ignore[attr-defined]
    for start, glyph_id in zip(clusters, glyph_ids, strict=True):
        if glyph_id == PANGO_GLYPH_EMPTY or glyph_id & pango.PANGO_GLYPH_UNKNOWN_FLAG:
            continue  # a gap; or .notdef, drawn under an id WeasyPrint maps itself
        if not to_unicode.get(glyph_id, "x"):
            to_unicode[glyph_id] = text[offset + start : offset + ends[start]].decode("utf-8")


def line_glyphs(capture: LineCapture) -> list[DrawnGlyph]:
    """Every drawn glyph of the line, in the order WeasyPrint draws them (Pango's visual
    order), with the byte range of the characters it shapes."""
    glyphs: list[DrawnGlyph] = []
    for number, run in enumerate(capture.runs):
        ends = _cluster_ends(run.clusters, run.length)
        offset, rtl, font = run.offset, run.rtl, run.font
        glyphs.extend(
            [
                DrawnGlyph(offset + start, offset + ends[start], rtl, number, font, width)
                for start, glyph_id, width in zip(
                    run.clusters, run.glyph_ids, run.widths, strict=True
                )
                if glyph_id != PANGO_GLYPH_EMPTY  # drawn as a gap, no glyph in the stream
            ]
        )
    return glyphs


def _span(operand: bytes) -> bytes:
    return b"/Span " + operand + b" BDC"


POP_DIRECTIONAL_ISOLATE = "\u2069"

# The replacement text of a text operator PDFium is to read nothing for: one with no
# printable character marks the object done (cpdf_textpage.cpp, PreMarkedContent).
QUIET = "\x01"


def _span_opener(
    rtl_document: bool, is_note_call: bool = False
) -> Callable[[str, bool, tuple[bool, bool]], Any]:
    """The opener of a line's spans (``open_spans``). ``is_note_call``: the line is a raised
    note call whose number the word before carries for PDFium (PDFium reads an invisible
    mark for it)."""

    def open_spans(characters: str, rtl: bool, marked: tuple[bool, bool]) -> Any:
        """The marked-content operators that open a word's span, closed by one EMC each.

        A word of letters alone reads right in both readers with one span. A right-to-left
        word with marks (harakat, shadda, tanwin) or digits needs a different text for
        each: poppler takes the replacement text of an inline property list only, PDFium
        also that of a named one (a /Properties resource, ISO 32000-1, 14.6.2), and both
        the innermost. So the outer span is inline, for poppler, and the inner one named,
        for PDFium. PDFium reads a span's text with the first of its text objects it meets
        (left to right), so a word drawn in several (a raised mark, a bracket in a font
        run of its own) has its text for PDFium around the object that draws its first
        letter, and a text that reads as nothing around the others and around the spaces
        drawn at the edges of a run against the document's direction for poppler."""
        if not rtl and not rtl_document:
            return []  # left-to-right text in a left-to-right document: the glyphs say it all
        outer, for_pdfium = _replacement(characters, rtl, rtl_document, marked)
        main = [] if for_pdfium is None else [NamedSpan(for_pdfium)]
        quiet = [NamedSpan(QUIET)]
        if is_note_call:  # a mark: PDFium still sees the line end after the raised call
            mark = [NamedSpan(RIGHT_TO_LEFT_MARK)]
            return Opening([outer], mark, mark, mark)
        if rtl != rtl_document:  # every glyph read, but the spaces drawn at the run's edges
            return Opening([outer], main, main, quiet)
        return Opening([outer], main, quiet, quiet)

    return open_spans


def _ends_opener(opener: Callable[..., Any], borrowed: _Borrowed, rtl_document: bool) -> Any:
    """``opener`` for the words that start and end a box, with ``borrowed`` applied to
    their text: readers take a box's punctuation, or PDFium the quotation mark before a
    bold word, for a word of its own, beside a gap or a change of font. A word that goes
    on in the next box ends, for PDFium, with a pop directional isolate: an invisible
    neutral that keeps its last letters and the next box's first from one segment."""

    def open_spans(
        characters: str, rtl: bool, marked: tuple[bool, bool], first: bool, last: bool
    ) -> Any:
        opening = opener(characters, rtl, marked)
        if not isinstance(opening, Opening) or rtl != rtl_document:
            return opening
        text = characters[borrowed.given_back :] if first else characters
        if last:
            text += borrowed.punctuation
        outer = _replacement(text, rtl, rtl_document, marked)[0] if text != characters else None
        if first:
            text = borrowed.taken + text
        if last:
            text = text[: len(text) - len(borrowed.punctuation) - borrowed.given_on]
            text += borrowed.punctuation + borrowed.added
        if not text.strip():
            for_pdfium = text or QUIET
        else:
            for_pdfium = order_for_pdfium(text, rtl, rtl_document)
            if last and borrowed.glued and pdfium_kind(for_pdfium[-1:] or " ") == "R":
                for_pdfium += POP_DIRECTIONAL_ISOLATE
        outers = opening.outer if outer is None else [outer]
        return Opening(outers, [NamedSpan(for_pdfium)], opening.other, opening.edges)

    return open_spans


@functools.lru_cache(maxsize=4096)
def _replacement(
    characters: str, rtl: bool, rtl_document: bool, marked: tuple[bool, bool]
) -> tuple[bytes, str | None]:
    """A word's inline span for poppler, and PDFium's text when it differs; words repeat
    through a document ("في", "من"), so each is worked out once."""
    for_poppler = order_for_poppler(characters, rtl, rtl_document, marked)
    for_pdfium = order_for_pdfium(characters, rtl, rtl_document)
    outer = _span(b"<</ActualText " + actual_text_operand(for_poppler) + b">>")
    return outer, None if for_pdfium == for_poppler else for_pdfium


def rewrite_captured(capture: LineCapture) -> Rewritten:
    """The line's operators with every word's glyphs inside an ActualText span, those
    between two named spans joined as pydyf joins a stream's items (by newlines): a few
    items a line to put in place and to write, not one an operator."""
    opener = _span_opener(capture.rtl_document, is_note_call=capture.is_note_call)
    ends = None
    if capture.borrowed != _Borrowed():
        ends = _ends_opener(opener, capture.borrowed, capture.rtl_document)
    operations = rewrite_line(
        capture.drawn,
        line_glyphs(capture),
        capture.text,
        opener,  # type: ignore[arg-type]
        capture.rtl_document,
        capture.spare_spaces,  # type: ignore[arg-type]
        capture.joins,
        ends,
        alone=capture.alone,
    )
    pieces: Rewritten = []
    joined: list[bytes] = []
    for operation in operations:
        if isinstance(operation, NamedSpan):
            if joined:
                pieces.append(b"\n".join(joined))
                joined = []
            pieces.append(operation)
        else:
            joined.append(operation)
    if joined:
        pieces.append(b"\n".join(joined))
    return pieces


def place(stream: object, operations: Rewritten) -> list[bytes]:
    """The line's operators as written into ``stream``: each named span gets its entry in
    the stream's /Properties, in the order the spans come."""
    import pydyf

    placed: list[bytes] = []
    for operation in operations:
        if isinstance(operation, NamedSpan):
            resources = stream._resources  # type: ignore[attr-defined]
            properties = resources.get("Properties")
            if properties is None:
                properties = resources["Properties"] = pydyf.Dictionary()
            # One entry a page does for every quiet span.
            name = "quiet" if operation.actual_text == QUIET else f"at{len(properties)}"
            if name not in properties:
                text = pydyf.String(operation.actual_text)
                properties[name] = pydyf.Dictionary({"ActualText": text})
            operation = _span(b"/" + name.encode())
        placed.append(operation)
    return placed


class LineRewriter(Protocol):
    """Rewrites captured lines elsewhere (``rewrite_captured``), in the order given."""

    def submit(self, capture: LineCapture) -> None: ...

    def results(self) -> list[Rewritten]:
        """Every line's rewriting, in the order submitted, once all are done."""
        ...


class _Pending:
    """Where a line sent to a ``LineRewriter`` goes in its stream, until it comes back."""

    __slots__ = ("number",)

    def __init__(self, number: int) -> None:
        self.number = number


def _ends_against(capture: LineCapture) -> tuple[bool, bool] | None:
    """Whether the text box's text runs against the document's direction from its start
    to its first character that is not white space, and from its last such character to
    its end (a space laid out in the document's direction ends the run); None when it is
    all white space."""
    runs = capture.runs
    text = capture.text[: max((run.offset + run.length for run in runs), default=0)]
    first, last = len(text) - len(text.lstrip()), len(text.rstrip())
    if first >= last:
        return None

    def against(start: int, end: int) -> bool:
        return all(
            run.rtl != capture.rtl_document
            for run in runs
            if run.offset < end and start < run.offset + run.length
        )

    return against(0, first + 1), against(last - 1, len(text))


class _RunJoins:
    """Tells each drawn text box whether a run against the document's direction at its
    ends goes on in the text box before, and after, on the same line: a bold word inside
    a Latin phrase in Arabic (``tjstream.rewrite_line``'s ``joins``), so that poppler
    reads the phrase as one run, not word after word from the right. A box is held until
    the next one with text on its line is drawn; the white space between (a text box of
    its own, never drawn) continues the run when it is laid out in the run's direction,
    as it is inside the ``<span dir>`` the bidi pass gives such a phrase."""

    def __init__(self, rtl_document: bool, emit: Callable[[LineCapture], None]) -> None:
        self._rtl_document, self._emit = rtl_document, emit
        self._held: list[tuple[LineCapture, bool]] = []  # (box, joins before), in order
        self._line: object = None
        self._open = False  # a run against the document goes on up to here on this line

    def drawn(self, capture: LineCapture, line: object) -> None:
        if line != self._line:
            self.close_line()
            self._line = line
        ends = _ends_against(capture)
        if ends is None:
            self._open = self._open and all(r.rtl != self._rtl_document for r in capture.runs)
            self._held.append((capture, False))
            return
        # Only in right-to-left text: there poppler reads a left-to-right run up to a mark
        # as one piece, where in left-to-right text it cuts a right-to-left run at each
        # space, marks or not (measured: joining only glued words together there).
        joins = self._open and ends[0] and self._rtl_document
        capture = self._glue(capture) or capture
        self._release(joins)
        self._held.append((capture, joins))
        self._open = ends[1]

    def _glue(self, capture: LineCapture) -> LineCapture | None:
        """When the box held last ends, and ``capture`` starts, with no white space (one
        word over two boxes), tell their words how (``_Borrowed``): punctuation that
        starts ``capture`` goes to the held box's last word, a quotation mark or bracket
        that ends the held box goes to ``capture``'s first word, two parts of a word stay
        apart. Return ``capture`` so told, if it is."""
        if not self._held or not capture.text or capture.text[:1].isspace():
            return None
        held, before = self._held[-1]
        if not held.text or held.text[-1:].isspace() or not held.rtl_document:
            return None
        if held.is_note_call:
            return None  # the word before the call is gone to the rewriting already
        start = capture.text.decode().split(maxsplit=1)[0]
        end = held.text.decode().rsplit(maxsplit=1)[-1]
        if not (_right_to_left(start) or _right_to_left(end)):
            return None  # Latin on both sides: left as it is
        if _punctuation(start) and len(start) <= _MOST_CARRIED and _right_to_left(end):
            punctuation = held.borrowed.punctuation + start
            given = held.borrowed._replace(punctuation=punctuation)
            self._held[-1] = (held._replace(borrowed=given), before)
            return capture._replace(borrowed=capture.borrowed._replace(given_back=len(start)))
        if _punctuation(end) and _right_to_left(start):
            given = held.borrowed._replace(given_on=len(end))
            self._held[-1] = (held._replace(borrowed=given), before)
            return capture._replace(borrowed=capture.borrowed._replace(taken=end))
        if _right_to_left(start) and _right_to_left(end):
            self._held[-1] = (held._replace(borrowed=held.borrowed._replace(glued=True)), before)
        return None

    def carry_note_call(self, call: str) -> bool:
        """Give ``call``, the text of a note call just drawn, to the box before it when that
        box ends in a word with no space before the call; say whether it did. A call is
        raised: PDFium takes it for a line of its own and reads it apart from its word,
        where the word can carry it."""
        if not self._held or not call:
            return False
        capture, before = self._held[-1]
        if not capture.text or capture.text[-1:].isspace() or not capture.rtl_document:
            return False
        borrowed = capture.borrowed._replace(added=capture.borrowed.added + call)
        self._held[-1] = (capture._replace(borrowed=borrowed), before)
        return True

    def alone(self) -> None:
        """The box drawn last was the only one of its line box."""
        if self._held:
            capture, before = self._held[-1]
            self._held[-1] = (capture._replace(alone=True), before)

    def passed_over(self, rtl: bool) -> None:
        """A text box not drawn (white space only), laid out right to left or not."""
        self._open = self._open and rtl != self._rtl_document

    def close_line(self) -> None:
        self._release(False)
        self._open = False

    def _release(self, after: bool) -> None:
        for number, (capture, before) in enumerate(self._held):
            self._emit(capture._replace(joins=(before, after and number == 0)))
        self._held = []


class _Layer:
    """The lines of one PDF: rewritten here or sent to a rewriter, and put in place by
    ``finish`` (a ``write_pdf`` finisher: after the last page is drawn, before the PDF is
    written)."""

    def __init__(self, rtl_document: bool, rewriter: LineRewriter | None) -> None:
        self.rtl_document, self._rewriter = rtl_document, rewriter
        self._owners: list[object] = []  # the stream of each line drawn, in the order drawn
        self._streams: dict[int, object] = {}  # every stream a line was drawn in
        self._rewritten: list[Rewritten] = []  # the lines rewritten here, without a rewriter
        emit = self._rewritten_here if rewriter is None else rewriter.submit
        self._joins = _RunJoins(rtl_document, emit)
        self._line_box: object = None  # the line box being drawn
        self._drawn = 0  # the text boxes drawn so far

    def inline_level_with(self, draw_inline_level: DrawLine, line_box: type) -> DrawLine:
        """WeasyPrint's ``draw_inline_level``, telling the layer which line box it draws:
        two table cells side by side, or a repeated header's cells, share a baseline and
        yet are two lines, whose words never go on from one to the other."""

        def draw(stream: object, page: object, box: object, *args: object, **kw: object) -> object:
            if not isinstance(box, line_box):
                return draw_inline_level(stream, page, box, *args, **kw)
            outer, self._line_box = self._line_box, box
            drawn_before = self._drawn
            try:
                return draw_inline_level(stream, page, box, *args, **kw)
            finally:
                self._line_box = outer
                if self._drawn == drawn_before + 1:
                    self._joins.alone()

        return draw

    def _rewritten_here(self, capture: LineCapture) -> None:
        self._rewritten.append(rewrite_captured(capture))

    def draw_with(self, draw_first_line: DrawLine) -> DrawLine:
        def draw(stream: object, textbox: Any, *args: object, **kwargs: object) -> object:
            operations = stream.stream  # type: ignore[attr-defined]
            start = len(operations)
            result = draw_first_line(stream, textbox, *args, **kwargs)
            if len(operations) == start:  # nothing drawn (white space only)
                self._joins.passed_over(textbox.style["direction"] == "rtl")
                return result
            capture = capture_line(stream, textbox, operations[start:], self.rtl_document)
            if _is_note_call(textbox) and self._joins.carry_note_call(capture.text.decode()):
                capture = capture._replace(is_note_call=True)
            self._streams.setdefault(id(stream), stream)
            operations[start:] = [_Pending(len(self._owners))]
            self._owners.append(stream)
            self._drawn += 1
            # The line a box is on: its page, its line box, and the baseline it is drawn
            # on (a raised note call is apart from the text around it).
            baseline = round(textbox.position_y + textbox.baseline, 1)
            self._joins.drawn(capture, (id(stream), id(self._line_box), baseline))
            return result

        return draw

    def finish(self, document: object, pdf: object) -> None:
        self._joins.close_line()
        # Even if no line was sent, so that the rewriter ends.
        rewritten = self._rewritten if self._rewriter is None else self._rewriter.results()
        self._put_in_place(rewritten)
        for stream in self._streams.values():
            # /Properties goes last among the resources, after WeasyPrint's own entries.
            resources = stream._resources  # type: ignore[attr-defined]
            if "Properties" in resources:
                resources["Properties"] = resources.pop("Properties")

    def _put_in_place(self, rewritten: list[Rewritten]) -> None:
        # In the order drawn: the named spans of a page are numbered in that order.
        lines = [place(*line) for line in zip(self._owners, rewritten, strict=True)]
        for stream in self._streams.values():
            spliced: list[object] = []
            for operation in stream.stream:  # type: ignore[attr-defined]
                if isinstance(operation, _Pending):
                    spliced.extend(lines[operation.number])
                else:
                    spliced.append(operation)
            stream.stream[:] = spliced  # type: ignore[attr-defined]


# The most punctuation one box gives the word before it: "»،", ")." (not a leader's dots).
_MOST_CARRIED = 3


def _right_to_left(text: str) -> bool:
    """Whether ``text`` holds a right-to-left letter."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


def _punctuation(text: str) -> bool:
    """Whether ``text`` is punctuation and symbols only (Unicode categories P and S)."""
    return all(unicodedata.category(char)[0] in "PS" for char in text)


def _is_note_call(textbox: Any) -> bool:
    """Whether a text box is the number of a note call (``model.NOTE_LINK_CLASS``)."""
    element = getattr(textbox, "element", None)
    classes = element.get("class", "") if element is not None else ""
    return NOTE_LINK_CLASS in classes.split()


DrawLine = Callable[..., object]
Finisher = Callable[[object, object], None]

# The hook replaces a module attribute of WeasyPrint: one PDF at a time per process, so that
# two threads never see each other's document direction or restore each other's hook.
_DRAWING = threading.Lock()


@contextlib.contextmanager
def actual_text_layer(direction: str, rewriter: LineRewriter | None = None) -> Iterator[Finisher]:
    """While active, every line WeasyPrint draws carries ActualText word by word: its two
    drawing names (draw/text.py's ``draw_first_line``, draw/__init__.py's
    ``draw_inline_level``) wrapped, and WeasyPrint's own again after. Yields the finisher
    that puts lines sent to ``rewriter`` in place."""
    from weasyprint import draw as boxes_drawing
    from weasyprint.draw import text as drawing
    from weasyprint.formatting_structure.boxes import LineBox

    layer = _Layer(direction == "rtl", rewriter)
    with _DRAWING:
        original = drawing.draw_first_line
        inline_level = boxes_drawing.draw_inline_level
        drawing.draw_first_line = layer.draw_with(original)
        boxes_drawing.draw_inline_level = layer.inline_level_with(inline_level, LineBox)
        try:
            yield layer.finish
        finally:
            drawing.draw_first_line = original
            boxes_drawing.draw_inline_level = inline_level
