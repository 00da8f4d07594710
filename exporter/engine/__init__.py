"""Every use of a private WeasyPrint or pydyf name: patches checked against the versions they
were written for, applied for one render and restored after it.

``patched()`` is the way in: around the layout and the writing of one PDF, it checks the
versions (``versions.py``) and applies the patches; when it ends, WeasyPrint and pydyf are
exactly as they were, so a program that embeds the exporter keeps its own WeasyPrint. With
``unpatched=True`` WeasyPrint runs as it is, on any release.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from contextlib import AbstractContextManager

from ..errors import ExportWarning
from .actualtext import Finisher, LineRewriter, actual_text_layer
from .deflate import compress_streams
from .justification import code_never_stretched
from .notelayout import keep_notes_on_their_pages
from .pagerefs import page_references_once_per_count
from .rtllines import lay_out_rtl_lines_once
from .sharing import SharedPatches
from .versions import check_versions
from .writeonce import each_object_serialised_once

UNPATCHED_WARNING = (
    "WeasyPrint runs unpatched (--unpatched-engine): the PDF's text layer is WeasyPrint's "
    "own, so copied Arabic text may come out with letters missing or out of order, "
    "footnotes may move off their call's page, justification stretches the spaces of inline "
    "code and draws no kashida, and the export is slower"
)


def _patches() -> list[AbstractContextManager[object]]:
    """The patches of the layout and of the writing of a PDF, in the order applied."""
    return [
        keep_notes_on_their_pages(),
        lay_out_rtl_lines_once(),
        page_references_once_per_count(),
        each_object_serialised_once(),
        code_never_stretched(),
    ]


_shared = SharedPatches(_patches)


class Render:
    """What differs between a patched render and an unpatched one, once the layout is done."""

    def __init__(self, patched: bool) -> None:
        self.patched = patched

    @contextlib.contextmanager
    def text_layer(
        self, direction: str, rewriter: LineRewriter | None = None
    ) -> Iterator[Finisher]:
        """Around ``write_pdf``: the ActualText layer (``actualtext.py``) when patched.
        Yields the finisher that completes it; unpatched, one that only tells ``rewriter``
        that no line is coming, so that it ends."""
        if self.patched:
            with actual_text_layer(direction, rewriter) as finish:
                yield finish
            return

        def no_lines(document: object, pdf: object) -> None:
            if rewriter is not None:
                rewriter.results()

        yield no_lines

    def compress_streams(self, pdf: object) -> None:
        """A finisher's last step: the streams compressed on every core (``deflate.py``,
        which uses a private pydyf name), or left to pydyf when unpatched."""
        if self.patched:
            compress_streams(pdf)


@contextlib.contextmanager
def patched(*, unpatched: bool = False) -> Iterator[Render]:
    """Around one render (``HTML.render`` and ``Document.write_pdf``): the versions
    checked and every patch applied, restored after it even on an exception. With
    ``unpatched``, no check and no patch, and one ``ExportWarning`` saying what is lost.
    Raises ``EngineMismatchError`` (an ``ExportError``) on releases the patches were not
    written for."""
    if unpatched:
        warnings.warn(ExportWarning(UNPATCHED_WARNING), stacklevel=3)
    else:
        check_versions()
    with _shared.render(patched=not unpatched):
        yield Render(patched=not unpatched)
