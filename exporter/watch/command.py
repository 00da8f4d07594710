"""``exporter watch PATH... -o DIR [--preview]``: export each article, then again each
time it or an image it uses changes, in one warm worker process; every result printed as
``exporter build`` prints it (each file written on stdout, each warning and error on
stderr). SIGINT or SIGTERM ends it, with status 0."""

from __future__ import annotations

import argparse
import os
import signal
import threading
from pathlib import Path
from typing import TextIO

from ..errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, RunError, escape_controls
from ..options import Options

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"})
INSTALL = "exporter watch needs the serve extra: pip install 'arabic-exporter[serve]'"
_NO_MEMORY_CEILING = 1 << 62


class _Watcher:
    def __init__(self, options: Options, stdout: TextIO, stderr: TextIO) -> None:
        from ..serve.pool import Worker

        self.options = options
        self.stdout, self.stderr = stdout, stderr
        self.worker = Worker()
        self.uses: dict[Path, set[Path]] = {}  # each input, and the files it was made from
        self.preview = None

    def export(self, source: Path) -> None:
        from ..serve.pool import Worker
        from ..serve.worker import Request

        if not self.worker.alive or not self.worker.wait_ready_once():
            self.worker = Worker()
            self.worker.wait_ready_once()
        reply = self.worker.run(
            Request(source, self.options, folder_in_names=True), _NO_MEMORY_CEILING
        )
        for warning in reply.warnings:
            self._line(self.stderr, f"warning: {warning}")
        self.uses[source] = {_real(source), *(_real(image) for image in reply.images)}
        if not reply.ok:
            problem = reply.error or f"{source}: the export process stopped: nothing was written"
            self._line(self.stderr, f"error: {problem}")
            return
        for name in reply.files:
            self._line(self.stdout, escape_controls(str(self.options.out_dir / name)))
            if self.preview is not None and name.endswith(".html"):
                self.preview.exported(name)

    @staticmethod
    def _line(stream: TextIO, line: str) -> None:
        stream.write(f"{line}\n")
        stream.flush()

    def affected(self, inputs: list[Path], changed: set[Path], added: set[Path]) -> list[Path]:
        """The inputs to export again: new ones, those made from a changed file, and those
        below whose folder an image appeared (one they name but missed, perhaps)."""
        images = {path for path in added if path.suffix.lower() in IMAGE_SUFFIXES}
        return [
            source
            for source in inputs
            if source not in self.uses
            or self.uses[source] & changed
            or any(_real(source).parent in image.parents for image in images)
        ]


def _inputs(paths: list[Path]) -> list[Path]:
    """The Markdown files named, and those in the folders named, each once (as ``exporter
    build`` finds them; looked for again after each change, so a new file is exported)."""
    found: dict[Path, Path] = {}
    for path in paths:
        files = sorted(p for p in path.rglob("*.md") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            found.setdefault(_real(file), file)
    return list(found.values())


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def main(namespace: argparse.Namespace, options: Options, stdout: TextIO, stderr: TextIO) -> int:
    from ..serve.server import check_installed

    try:
        check_installed(("watchfiles",), INSTALL)
    except RunError as error:
        stderr.write(f"exporter: error: {error.problem}\n")
        return EXIT_FAILED
    inputs = _inputs(namespace.paths)
    if not inputs:
        stderr.write("exporter: usage error: no *.md file to watch\n")
        return EXIT_USAGE
    options.out_dir.mkdir(parents=True, exist_ok=True)
    watcher = _Watcher(options, stdout, stderr)
    if namespace.preview:
        from .preview import Preview

        watcher.preview = Preview(options.out_dir, namespace.preview_port)
        watcher.preview.start()
        watcher._line(stdout, f"preview: {watcher.preview.url}")
    try:
        _loop(watcher, namespace.paths, inputs)
    finally:
        if watcher.preview is not None:
            watcher.preview.stop()
        watcher.worker.stop()
    return EXIT_OK


def _loop(watcher: _Watcher, paths: list[Path], inputs: list[Path]) -> None:
    import watchfiles

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    for source in inputs:
        watcher.export(source)
    watcher._line(watcher.stderr, "exporter: watching; Ctrl-C to stop")
    roots = sorted({str(_real(p if p.is_dir() else p.parent)) for p in paths})
    for changes in watchfiles.watch(
        *roots, stop_event=stop, raise_interrupt=False, debounce=200, step=50
    ):
        changed = {_real(Path(path)) for _, path in changes}
        added = {_real(Path(path)) for change, path in changes if change == watchfiles.Change.added}
        inputs = _inputs(paths)
        for source in watcher.affected(inputs, changed, added):
            if stop.is_set():
                return
            watcher.export(source)
