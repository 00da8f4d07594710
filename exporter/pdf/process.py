"""WeasyPrint's work for a single input done in a second process, so that two cores share it.

WeasyPrint is slow to import (it parses the C declarations of Pango and HarfBuzz at
load), and laying out and drawing an article is its other long part; reading and parsing
the input and writing the EPUB and the HTML need neither. Started before anything heavy is
imported, the second process loads WeasyPrint while this one reads and parses the input;
it then gets the parsed article, already checked and with its images resolved (so nothing
is read or fetched twice), and its print HTML, rendered here meanwhile (Jinja2 compiles
the page template once for the print and web pages), and writes the PDF while this one
writes the other formats. While it draws the PDF, this one, idle by then, rewrites the
lines of its text layer (``engine/actualtext.py``), sent over in batches.

Only for one input: a batch already keeps every core busy with one input per process.

The process dies with the first one, however that one ends (``interrupts.as_child``): a
parent-death signal, and it keeps no copy of the first process's end of their pipe, so
that a read on its own end sees the first one gone.
"""

from __future__ import annotations

import contextlib
import os
import threading
import traceback
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from .. import interrupts
from ..errors import ExportError, ExportWarning
from ..model import Article
from ..options import Options

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from ..engine.actualtext import LineCapture, Rewritten

# How long a finished process gets to exit on its own before it is stopped.
_EXIT_GRACE_SECONDS = 5.0
# Lines of the text layer sent per message: one message per line would cost more in
# pickling and waking the other process than the rewriting saves.
_LINES_PER_MESSAGE = 20
# From how many pages the PDF's read-back check is shared between the two processes.
_PAGES_WORTH_SHARING = 16


class WeasyPrintProcessError(RuntimeError):
    """The process failed in a way that is a bug of ours, or stopped without a word."""


def worth_a_process(input_count: int, options: Options) -> bool:
    """Whether one input's export gains from a second process: it makes a PDF, there are
    two cores or more, and it is neither a batch, nor a cluster's work, nor ``--jobs 1``."""
    cores = os.cpu_count() or 1
    wanted = options.jobs or cores
    return (
        input_count == 1
        and "pdf" in options.formats
        and not options.scheduler
        and min(wanted, cores) >= 2
    )


class WeasyPrintProcess:
    """A process that imports WeasyPrint at once, then writes a PDF on request."""

    def __init__(self) -> None:
        # fork is immediate and the copy has this process's imports already, but it is safe
        # only while this process runs a single thread (a progress bar runs another: a lock
        # it holds would stay locked in the copy); spawn starts a fresh interpreter.
        import multiprocessing  # here: an export without a PDF never starts the process

        method = "fork" if threading.active_count() == 1 else "spawn"
        context = multiprocessing.get_context(method)
        self._connection, child_end = context.Pipe()
        # A forked child has a copy of every descriptor, ours included: it closes that one.
        ours = self._connection.fileno() if method == "fork" else None
        self._process = context.Process(
            target=_serve, args=(child_end, os.getpid(), ours), daemon=True
        )
        with interrupts.children_start_quietly():
            self._process.start()
        child_end.close()
        self._asked = False

    def start(self, article: Article, options: Options, pdf: Path, print_html: str) -> None:
        """Ask for the PDF of ``article`` at ``pdf``, laid out from ``print_html``; returns
        at once."""
        try:
            self._connection.send((article, options, pdf, print_html))
        except OSError:  # it is gone (killed, out of memory)
            raise self._stopped() from None
        self._asked = True

    def finish(self) -> list[ExportWarning]:
        """Wait for the PDF asked for; its warnings, or the error that stopped it. Meanwhile,
        do the work that process hands over."""
        if not self._asked:
            raise WeasyPrintProcessError("nothing was asked of the WeasyPrint process")
        while True:
            try:
                outcome, payload = self._connection.recv()
            except EOFError:
                self._process.join(_EXIT_GRACE_SECONDS)
                raise self._stopped() from None
            if outcome == "error":
                raise payload
            if outcome == "oserror":  # a file it could not write: named by the caller
                raise OSError(*payload)
            if outcome == "bug":
                error = WeasyPrintProcessError(payload[0])
                error.add_note(payload[1])  # the traceback in that process, for --debug
                raise error
            if outcome == "lines":
                self._rewrite(payload)
                continue
            if outcome == "lines-end":
                self._reply(("lines-end", None))
                continue
            if outcome == "pages":
                self._read_pages(*payload)
                continue
            if outcome != "done":
                raise WeasyPrintProcessError(f"the WeasyPrint process sent {outcome!r}")
            return payload  # type: ignore[no-any-return]

    def _rewrite(self, captures: list[LineCapture]) -> None:
        from ..engine.actualtext import rewrite_captured

        self._reply(("lines-done", [rewrite_captured(capture) for capture in captures]))

    def _read_pages(self, pdf: bytes, first: int) -> None:
        from .readback import pdfium_pages

        self._reply(("pages-done", pdfium_pages(pdf, first)))

    def _reply(self, message: tuple[str, object]) -> None:
        with contextlib.suppress(OSError):  # it is gone: the next message, or none, says why
            self._connection.send(message)

    def _stopped(self) -> WeasyPrintProcessError:
        code = self._process.exitcode
        return WeasyPrintProcessError(f"the WeasyPrint process stopped (exit status {code})")

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    def stop(self) -> None:
        """End the process now, whatever it is doing: its work is no longer wanted."""
        self._connection.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()

    def close(self) -> None:
        """End the process once it has reported, or at once if it was never asked."""
        if self._asked and self._process.is_alive():
            self._process.join(_EXIT_GRACE_SECONDS)
        self.stop()

    def __enter__(self) -> WeasyPrintProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(connection: Connection, parent: int, parents_end: int | None) -> None:
    """The second process: import, wait for the article, write the PDF asked for, report."""
    interrupts.as_child(parent, clean_up_on_term=False)  # it holds no file of its own
    if parents_end is not None:
        os.close(parents_end)
    # The article arrives on a thread, so that a long one never holds the sender up while
    # this process is still importing (a pipe holds only so much).
    from concurrent.futures import ThreadPoolExecutor

    receiving = ThreadPoolExecutor(max_workers=1).submit(connection.recv)
    try:
        from ..engine.libraries import load_weasyprint

        load_weasyprint()  # while the other process parses
        import pypdfium2  # noqa: F401  (the read-back check, at the end)

        from . import writer  # noqa: F401

        article, options, target, print_html = receiving.result()
    except (EOFError, OSError, KeyboardInterrupt):
        return  # nothing needed after all (the input failed, or the run was stopped)
    try:
        connection.send(("done", _work(article, options, target, print_html, connection)))
    except ExportError as error:
        connection.send(("error", error))
    except OSError as error:  # a full disk, say: the other process names the file
        named = error.filename or str(target)  # a failed write names none: the PDF's
        connection.send(("oserror", (error.errno, error.strerror, named)))
    except Exception as error:  # a bug: described, since the object may not pickle
        described = f"{type(error).__name__}: {error}"
        connection.send(("bug", (described, traceback.format_exc())))
    finally:
        connection.close()


def _work(
    article: Article, options: Options, target: Path, print_html: str, connection: Connection
) -> list[ExportWarning]:
    from .writer import write_pdf

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ExportWarning)
        help_here = _HelpFromFirstProcess(connection)
        write_pdf(article, target, options, help_here, help_here.pdfium_text, print_html)
    return [r.message for r in caught if isinstance(r.message, ExportWarning)]


class _HelpFromFirstProcess:
    """The first process's share of the PDF. It rewrites the lines of the text layer
    (a ``LineRewriter``, engine/actualtext.py): they go there in batches while this process draws
    on, and come back in the same order on a thread of their own (were they read only at
    the end, the other process would wait for room in the pipe). It reads back the second
    half of a long PDF's pages for the check (``pdfium_text``)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._batch: list[LineCapture] = []
        self._sent = 0
        self._rewritten: list[Rewritten] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def submit(self, capture: LineCapture) -> None:
        self._batch.append(capture)
        if len(self._batch) >= _LINES_PER_MESSAGE:
            self._send_batch()

    def _send_batch(self) -> None:
        if self._batch:
            self._connection.send(("lines", self._batch))
            self._sent += len(self._batch)
            self._batch = []

    def _read(self) -> None:
        with contextlib.suppress(EOFError, OSError):  # the other process is gone
            while True:
                kind, lines = self._connection.recv()
                if kind == "lines-end":
                    return
                self._rewritten.extend(lines)

    def results(self) -> list[Rewritten]:
        self._send_batch()
        self._connection.send(("lines-end", None))
        self._reader.join()
        if len(self._rewritten) != self._sent:
            raise WeasyPrintProcessError(
                f"{self._sent - len(self._rewritten)} lines of the text layer did not come back"
            )
        return self._rewritten

    def pdfium_text(self, pdf: bytes) -> str:
        """``readback.pdfium_text``, each process reading half of the pages."""
        from .readback import pdfium_page_count, pdfium_pages

        count = pdfium_page_count(pdf)
        if count < _PAGES_WORTH_SHARING or self._reader.is_alive():
            return "\n".join(pdfium_pages(pdf))  # (alive: the lines are not all back)
        half = count // 2
        self._connection.send(("pages", (pdf, half)))
        mine = pdfium_pages(pdf, 0, half)
        try:
            kind, theirs = self._connection.recv()
        except (EOFError, OSError):
            raise WeasyPrintProcessError("the first process stopped reading pages") from None
        if kind != "pages-done":
            raise WeasyPrintProcessError(f"pages asked for, {kind!r} came back")
        return "\n".join(mine + theirs)
