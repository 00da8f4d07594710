"""``export()``: the pipeline's steps in order, and the atomic writing of the outputs."""

from __future__ import annotations

import hashlib
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import staging
from .deadline import time_limit
from .distribute.about import about_article
from .errors import ExportError, ExportWarning, OutputError
from .manifest import (
    MANIFEST_NAME,
    Manifest,
    Record,
    commit,
    file_digest,
    key_of,
    regular_file_digest,
)
from .model import Article, Asset
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


class _Parts:
    """The temporaries of one export, one beside each output (``staging.py``): created
    once the input has been read and parsed, so that a bad input writes nothing; renamed
    into place by ``manifest.commit``, removed by ``release`` if not."""

    def __init__(self) -> None:
        self.moves: list[tuple[Path, Path]] = []  # (temporary, target)

    def create(self, formats: tuple[str, ...], targets: list[Path]) -> dict[str, Path]:
        for target in targets:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                self.moves.append((staging.create_part(target), target))
            except OSError as error:
                raise OutputError(f"cannot write {target}: {error.strerror}") from None
        return {fmt: temporary for fmt, (temporary, _) in zip(formats, self.moves, strict=True)}

    def release(self) -> None:
        for temporary, _ in self.moves:
            staging.release_part(temporary)

    def output_error(self, error: OSError) -> OutputError:
        """One line for a file that could not be written, named as the user knows it."""
        for temporary, target in self.moves:
            if error.filename in (str(temporary), temporary):
                return OutputError(f"cannot write {target}: {error.strerror}")
        if error.filename:
            return OutputError(f"cannot write {error.filename}: {error.strerror}")
        return OutputError(f"cannot write the outputs: {error.strerror}")


@dataclass(frozen=True)
class Exported:
    """What one export did: the files written, the warnings met on the way, the local
    images it read (an incremental rebuild watches them too), and its manifest record: the
    key of the source's bytes as read, the digests of the outputs as written."""

    written: list[Path]
    warnings: list[ExportWarning]
    images: list[Path]
    record: Record


def export_one(
    path: Path,
    options: Options,
    weasyprint: WeasyPrintProcess | None = None,
    *,
    in_manifest: bool = False,
    environment: str | None = None,
) -> Exported:
    """Export one input; WeasyPrint's part of it in ``weasyprint`` when one is given. The
    outputs are put in place with, when ``in_manifest``, their record in the output
    folder's manifest, as one step (``manifest.commit``), after the time limit: a step
    begun is finished."""
    parts = _Parts()
    try:
        with warnings.catch_warnings(record=True) as caught, time_limit(options.timeout, path):
            warnings.simplefilter("always", ExportWarning)
            try:
                article, found = _export(path, options, weasyprint, parts, caught)
                record = _record(article, parts, options, environment)
            except OSError as error:
                raise parts.output_error(error).located(path) from None
            except ExportError as error:
                raise error.located(path) from None
        entry = (Manifest.name_of(path), record) if in_manifest else None
        try:
            notes = commit(options.out_dir, parts.moves, entry)
        except ExportError as error:
            raise error.located(path) from None
    finally:
        parts.release()
    found += [ExportWarning(note, path=options.out_dir / MANIFEST_NAME) for note in notes]
    used = [*article.assets, *([article.cover] if article.cover else [])]
    images = [asset.path for asset in used if asset.path is not None]
    return Exported([target for _, target in parts.moves], found, images, record)


def _export(
    path: Path,
    options: Options,
    weasyprint: WeasyPrintProcess | None,
    parts: _Parts,
    caught: list[warnings.WarningMessage],
) -> tuple[Article, list[ExportWarning]]:
    """The steps, up to every output written to its temporary."""
    source = read_source(path, max_size=options.max_size)  # 1. read
    article = parse_article(source, options)  # 2. parse, the bidi pass included
    warn_uncovered(article)  # 3. before rendering: a missing glyph is never a silent box
    targets = [options.out_dir / f"{source.stem}.{fmt}" for fmt in options.formats]
    staged = parts.create(options.formats, targets)
    _write_formats(article, staged, options, weasyprint)  # 4. render and write
    found = _export_warnings(caught, path)
    if options.strict and found:
        raise found[0].as_error()
    return article, found


def _record(article: Article, parts: _Parts, options: Options, environment: str | None) -> Record:
    """What the manifest keeps of this export: the bytes it read, what it wrote."""
    key = key_of(hashlib.sha256(article.source.raw).hexdigest(), options, environment)
    outputs = {
        target.suffix.lstrip("."): (target.name, file_digest(temporary))
        for temporary, target in parts.moves
    }
    used = [*article.assets, *([article.cover] if article.cover else [])]
    assets = {str(asset.path): _image_digest(asset) for asset in used if asset.path is not None}
    return Record(key, outputs, assets, about_article(article))


def _image_digest(asset: Asset) -> str:
    """The digest of an image as the export read it. An SVG is carried sanitised, not as
    read: for it, the file's digest now (if it is gone, one that matches no file)."""
    carried = hashlib.sha256(asset.data).hexdigest()
    if asset.media_type == "image/svg+xml" and asset.path is not None:
        return regular_file_digest(asset.path) or carried
    return carried


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
        _write(fmt, article, temporary, options)


def _write(fmt: str, article: Article, temporary: Path, options: Options) -> None:
    try:
        _writer(fmt)(article, temporary, options)
    except OSError as error:
        if error.filename is None:  # a failed write names no file: this is the one
            error.filename = str(temporary)
        raise


def _write_beside(
    article: Article, staged: dict[str, Path], options: Options, weasyprint: WeasyPrintProcess
) -> None:
    from .pdf.printhtml import render_print_html

    try:
        weasyprint.start(article, options, staged["pdf"], render_print_html(article, options))
        for fmt, temporary in staged.items():
            if fmt != "pdf":
                _write(fmt, article, temporary, options)
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
