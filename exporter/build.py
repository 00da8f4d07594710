"""``export()``: the pipeline's steps in order, and the atomic writing of the outputs."""

from __future__ import annotations

import contextlib
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .deadline import time_limit
from .errors import ExportError, ExportWarning, OutputError
from .model import Article
from .options import Options, make_options
from .read.parser import parse_article
from .read.source import read_source
from .render.coverage import warn_uncovered

if TYPE_CHECKING:
    from .pdf.process import WeasyPrintProcess

Writer = Callable[[Article, Path, Options], None]


def _writer(fmt: str) -> Writer:
    """The writer for a format, imported only when asked for: an EPUB- or HTML-only export
    never pays for importing WeasyPrint."""
    if fmt == "pdf":
        from .pdf.writer import write_pdf

        return write_pdf
    if fmt == "epub":
        from .epub.writer import write_epub

        return write_epub
    from .web.writer import write_html

    return write_html


@contextlib.contextmanager
def _staged(targets: list[Path]) -> Iterator[list[Path]]:
    """Temporary files beside each target, renamed into place only when all are written:
    a failure leaves neither a partial file nor a damaged earlier output."""
    temporaries: list[Path] = []
    try:
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                            dir=target.parent)  # fmt: skip
            os.close(handle)
            temporaries.append(Path(name))
        yield temporaries
        for temporary, target in zip(temporaries, targets, strict=True):
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
    except OSError as error:
        raise OutputError(
            f"cannot write {error.filename or 'the output'}: {error.strerror}"
        ) from None
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)


@dataclass(frozen=True)
class Exported:
    """What one export did: the files written, the warnings met on the way, and the local
    images it read (an incremental rebuild watches them too)."""

    written: list[Path]
    warnings: list[ExportWarning]
    images: list[Path]


def export_one(
    path: Path, options: Options, weasyprint: WeasyPrintProcess | None = None
) -> Exported:
    """Export one input; WeasyPrint's part of it in ``weasyprint`` when one is given."""
    with warnings.catch_warnings(record=True) as caught, time_limit(options.timeout, path):
        warnings.simplefilter("always", ExportWarning)
        try:
            source = read_source(path, max_size=options.max_size)  # 1. read
            article = parse_article(source, options)  # 2. parse, the bidi pass included
            warn_uncovered(article)  # 3. before rendering: a missing glyph is never a silent box
            targets = [options.out_dir / f"{source.stem}.{fmt}" for fmt in options.formats]
            with _staged(targets) as temporaries:
                staged = dict(zip(options.formats, temporaries, strict=True))
                _write_formats(article, staged, options, weasyprint)  # 4. render and write
                found = _export_warnings(caught, path)
                if options.strict and found:
                    raise found[0].as_error()
        except ExportError as error:
            raise error.located(path) from None
    used = [*article.assets, *([article.cover] if article.cover else [])]
    images = [asset.path for asset in used if asset.path is not None]
    return Exported(targets, found, images)


def _write_formats(
    article: Article,
    staged: dict[str, Path],
    options: Options,
    weasyprint: WeasyPrintProcess | None,
) -> None:
    """Write each format to its temporary file; the PDF in the WeasyPrint process if there
    is one (``pdf/process.py``), meanwhile."""
    if weasyprint is not None and "pdf" in staged:
        _write_beside(article, staged, options, weasyprint)
        return
    if weasyprint is not None:
        weasyprint.stop()  # no PDF asked for: nothing for it to do
    for fmt, temporary in staged.items():
        _writer(fmt)(article, temporary, options)


def _write_beside(
    article: Article, staged: dict[str, Path], options: Options, weasyprint: WeasyPrintProcess
) -> None:
    from .pdf.printhtml import render_print_html

    try:
        weasyprint.start(article, options, staged["pdf"], render_print_html(article, options))
        for fmt, temporary in staged.items():
            if fmt != "pdf":
                _writer(fmt)(article, temporary, options)
        for warning in weasyprint.finish():
            warnings.warn(warning, stacklevel=1)
    except BaseException:  # an error, a timeout, Ctrl-C: no PDF may land after the cleanup
        weasyprint.stop()
        raise


def _export_warnings(caught: list[warnings.WarningMessage], path: Path) -> list[ExportWarning]:
    found = []
    for record in caught:
        if isinstance(record.message, ExportWarning):
            if record.message.path is None:
                record.message.path = path
            found.append(record.message)
    return found


def export(
    source: str | os.PathLike[str],
    out_dir: str | os.PathLike[str] = "dist",
    formats: tuple[str, ...] | str = ("pdf", "epub", "html"),
    **options: object,
) -> list[Path]:
    """Export one Markdown file; return the paths written. Warnings go through
    :mod:`warnings` as ``ExportWarning``; problems raise ``ExportError``."""
    opts = make_options(out_dir=out_dir, formats=formats, **options)
    exported = export_one(Path(source), opts)
    for warning in exported.warnings:
        warnings.warn(warning, stacklevel=2)
    return exported.written
