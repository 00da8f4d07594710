"""A warm worker: a process that imports WeasyPrint, loads the fonts and compiles the
templates once, by exporting a tiny article at start, then exports one job at a time.

Each job goes through ``build.export_one``, as ``exporter build`` does (the same checks, the
same time limit, the same atomic writes); the worker sends back plain values: the names of
the files written, the warnings and the error as the command line prints them, with the
job's folder left out of the paths (a client knows its file as ``article.md``, not as a
temporary folder on the server).
"""

from __future__ import annotations

import functools
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import interrupts
from ..bundle import TEMPLATES_DIR
from ..errors import ExportError, LimitError, escape_controls
from ..options import Options, make_options

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

WARM_UP_ARTICLE = TEMPLATES_DIR / "serve" / "warmup.md"


@dataclass(frozen=True)
class Request:
    """One job for a worker: the Markdown file in the job's folder, and its options (their
    ``out_dir`` the job's output folder)."""

    source: Path
    options: Options
    # Messages name files as the client knows them, the job's folder left out; ``exporter
    # watch`` names them as given, as ``exporter build`` does.
    folder_in_names: bool = False


@dataclass(frozen=True)
class Reply:
    """What became of a job. ``kind`` says which error it was: ``input`` (the article
    cannot be exported: the command line's error line), ``timeout``, ``memory``,
    ``crash`` (the worker died) or ``internal`` (a bug of ours)."""

    ok: bool
    files: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    error: str | None = None
    kind: str | None = None
    images: tuple[Path, ...] = ()
    seconds: float = 0.0
    worker: int = 0


def run_request(request: Request) -> Reply:
    """Export one job here, in this process's main thread (where the time limit works)."""
    from ..build import export_one

    started = time.perf_counter()
    folder = None if request.folder_in_names else request.source.parent
    try:
        exported = export_one(request.source, request.options)
    except LimitError as error:
        took = time.perf_counter() - started
        timeout = request.options.timeout
        kind = "timeout" if timeout and took >= timeout * 0.95 else "input"
        return _failed(_relative(error.one_line(), folder), kind, started)
    except ExportError as error:
        return _failed(_relative(error.one_line(), folder), "input", started)
    except Exception as error:  # a bug of ours: one line, the worker goes on
        line = escape_controls(f"{request.source.name}: internal error: {type(error).__name__}")
        return _failed(line, "internal", started)
    return Reply(
        ok=True,
        files=tuple(path.name for path in exported.written),
        warnings=tuple(_relative(w.one_line(), folder) for w in exported.warnings),
        images=tuple(exported.images),
        seconds=time.perf_counter() - started,
        worker=os.getpid(),
    )


def _failed(line: str, kind: str, started: float) -> Reply:
    seconds = time.perf_counter() - started
    return Reply(ok=False, error=line, kind=kind, seconds=seconds, worker=os.getpid())


def _relative(line: str, folder: Path | None) -> str:
    """A message with the job's folder taken out of its paths."""
    return line if folder is None else line.replace(f"{folder}{os.sep}", "")


@functools.cache
def warm_up() -> None:
    """Export the warm-up article to every format once in this process: WeasyPrint
    imported, the bundled fonts loaded by Pango and fontconfig, the templates compiled."""
    from ..build import export_one

    with tempfile.TemporaryDirectory(prefix="exporter-warm-") as folder:
        export_one(WARM_UP_ARTICLE, make_options(out_dir=folder, timeout=0))


def serve_requests(connection: Connection, parent: int) -> None:
    """A pool worker's life (``pool.py``): warm up, say so with its process id, then
    answer each ``Request`` until told to stop (``None``) or its parent is gone."""
    interrupts.as_child(parent, clean_up_on_term=True)
    warm_up()
    connection.send(("ready", os.getpid()))
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        connection.send(("reply", run_request(request)))


def remote_request(request: Request) -> Reply:
    """A job on a Dask worker (``remote.py``): the worker process warmed up once, on its
    first job."""
    warm_up()
    return run_request(request)
