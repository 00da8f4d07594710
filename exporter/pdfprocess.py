"""The PDF of a single input made in a second process, so that two cores share the work.

WeasyPrint takes about a second to import (it parses the C declarations of Pango and
HarfBuzz at load) and as long again to lay out and draw an article; reading, parsing and
writing the EPUB and the HTML need neither. Started before anything heavy is imported,
the second process loads WeasyPrint while this one reads and parses the input; it then
gets the parsed article, already checked and with its images resolved (so nothing is read
or fetched twice), and writes the PDF while this one writes the other formats.

Only for one input: a batch already keeps every core busy with one input per process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import traceback
import warnings
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path

from .errors import ExportError, ExportWarning
from .model import Article
from .options import Options

# How long a finished process gets to exit on its own before it is stopped.
_EXIT_GRACE_SECONDS = 5.0


class PdfProcessError(RuntimeError):
    """The PDF process failed in a way that is a bug of ours, or stopped without a word."""


class PdfProcess:
    """A process that imports WeasyPrint at once and then writes one PDF on request."""

    def __init__(self) -> None:
        # fork is immediate and the copy has this process's imports already, but it is safe
        # only while this process runs a single thread (a progress bar runs another: a lock
        # it holds would stay locked in the copy); spawn starts a fresh interpreter.
        method = "fork" if threading.active_count() == 1 else "spawn"
        context = multiprocessing.get_context(method)
        self._connection, child_end = context.Pipe()
        self._process = context.Process(target=_serve, args=(child_end,), daemon=True)
        self._process.start()
        child_end.close()
        self._asked = False

    def start(
        self, article: Article, target: Path, options: Options, *, draw_cover: bool = False
    ) -> None:
        """Ask for the PDF of ``article`` at ``target``, and before it, if asked, the EPUB's
        drawn cover (``cover()``); returns at once."""
        try:
            self._connection.send((article, target, options, draw_cover))
        except OSError:  # it is gone (killed, out of memory)
            raise PdfProcessError(f"the PDF process stopped ({self._process.exitcode})") from None
        self._asked = True

    def cover(self, article: Article) -> bytes:
        """The cover asked for with the PDF (a ``CoverDrawer``: the article is the one sent)."""
        return self._next("cover")  # type: ignore[no-any-return]

    def finish(self) -> list[ExportWarning]:
        """Wait for the PDF asked for; its warnings, or the error that stopped it."""
        return self._next("done")  # type: ignore[no-any-return]

    def _next(self, wanted: str) -> object:
        if not self._asked:
            raise PdfProcessError("nothing was asked of the PDF process")
        while True:
            try:
                outcome, payload = self._connection.recv()
            except EOFError:
                code = self._process.join(_EXIT_GRACE_SECONDS) or self._process.exitcode
                raise PdfProcessError(f"the PDF process stopped (exit status {code})") from None
            if outcome == "error":
                raise payload
            if outcome == "bug":
                error = PdfProcessError(payload[0])
                error.add_note(payload[1])  # the traceback in that process, for --debug
                raise error
            if outcome == wanted:
                return payload
            # else a cover nobody took (the EPUB took the front matter's): passed over

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    def stop(self) -> None:
        """End the process now, whatever it is doing: its PDF is no longer wanted."""
        self._connection.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()

    def close(self) -> None:
        """End the process once it has reported, or at once if it was never asked."""
        if self._asked and self._process.is_alive():
            self._process.join(_EXIT_GRACE_SECONDS)
        self.stop()

    def __enter__(self) -> PdfProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def worth_a_process(input_count: int, options: Options) -> bool:
    """Whether one input's PDF gains from a process of its own: two cores or more, and
    neither a batch nor a cluster nor ``--jobs 1``."""
    cores = os.cpu_count() or 1
    wanted = options.jobs or cores
    return (
        input_count == 1
        and "pdf" in options.formats
        and not options.scheduler
        and min(wanted, cores) >= 2
    )


def _serve(connection: Connection) -> None:
    """The second process: import, wait for the article, draw the cover if asked, write
    the PDF, report."""
    # The article arrives on a thread, so that a long one never holds the sender up while
    # this process is still importing (a pipe holds only so much).
    receiving = ThreadPoolExecutor(max_workers=1).submit(connection.recv)
    try:
        from .cover import draw_cover
        from .pdf import write_pdf  # WeasyPrint with it, while the other process parses

        article, target, options, wants_cover = receiving.result()
    except (EOFError, OSError, KeyboardInterrupt):
        return  # no PDF needed after all (the input failed, or the run was stopped)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ExportWarning)
            if wants_cover:
                connection.send(("cover", draw_cover(article)))
            write_pdf(article, target, options)
        found = [record.message for record in caught]
        connection.send(("done", [w for w in found if isinstance(w, ExportWarning)]))
    except ExportError as error:
        connection.send(("error", error))
    except KeyboardInterrupt:
        return
    except Exception as error:  # a bug: described, since the object may not pickle
        described = f"{type(error).__name__}: {error}"
        connection.send(("bug", (described, traceback.format_exc())))
    finally:
        connection.close()
