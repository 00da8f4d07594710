"""The command line: the only place that prints or exits."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import MISSING
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, ExportError, RunError, escape_controls
from .interrupts import Interrupted, stop_on_signals
from .options import OPTION_FIELDS, Options, make_options

if TYPE_CHECKING:
    from .outcome import Outcome


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)


class _UsageError(Exception):
    pass


class _Version(argparse.Action):
    """``--version``: the package's version is looked up only when asked for
    (importlib.metadata would slow every start)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show the version and exit")  # fmt: skip

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        from . import __version__

        sys.stdout.write(f"{parser.prog} {__version__}\n")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="exporter",
        description="Export Arabic Markdown articles to PDF, EPUB 3 and self-contained HTML.",
    )
    parser.add_argument("--version", action=_Version)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    build = commands.add_parser("build", help="export Markdown files to dist/")
    build.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                       help="a Markdown file, or a folder searched for *.md")  # fmt: skip
    _add_option_flags(build)
    build.add_argument("--debug", action="store_true", help="show a traceback on failure")
    _add_proofs_command(commands)
    _add_serve_command(commands)
    _add_watch_command(commands)
    return parser


# The options of a run that ``exporter watch`` also takes: where, and how long.
_WATCH_RUN_OPTIONS = frozenset({"out_dir", "timeout"})


def _add_option_flags(command: argparse.ArgumentParser, *, batch: bool = True) -> None:
    """The export options (``options.OPTION_FIELDS``) as flags of a subcommand; without
    ``batch``, none of the options of a batch run but those in ``_WATCH_RUN_OPTIONS``."""
    for spec in OPTION_FIELDS:
        if not batch and spec.metadata.get("run_only") and spec.name not in _WATCH_RUN_OPTIONS:
            continue
        flags = [f"--{spec.name.replace('_', '-')}"]
        if short := spec.metadata.get("flag"):
            flags.insert(0, str(short))
        default = spec.default if spec.default is not MISSING else None
        kwargs: dict[str, object] = {"dest": spec.name, "help": spec.metadata["help"]}
        if spec.type in {"bool", bool}:
            kwargs["action"] = "store_true"
        elif spec.type == "bool | None":  # unset unless asked: --toc / --no-toc
            kwargs["action"] = argparse.BooleanOptionalAction
        else:
            kwargs["metavar"] = spec.metadata.get("metavar", spec.name.upper())
            if (alone := spec.metadata.get("optional_value")) is not None:
                # The flag alone means this value, the flag and a value that value.
                kwargs.update(nargs="?", const=alone)
            if isinstance(default, int) and not isinstance(default, bool):
                kwargs["type"] = int
            if isinstance(default, tuple):
                default = ",".join(default)
            kwargs["help"] = f"{spec.metadata['help']} (default: {default})"
        command.add_argument(*flags, **kwargs)  # type: ignore[arg-type]


def _add_serve_command(commands: argparse._SubParsersAction) -> None:
    from .serve.command import add_arguments

    serve = commands.add_parser("serve", help="a warm export service: HTTP API and a web page")
    add_arguments(serve)


def _add_watch_command(commands: argparse._SubParsersAction) -> None:
    watch = commands.add_parser("watch", help="export Markdown files again each time they change")
    watch.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                       help="a Markdown file, or a folder searched for *.md")  # fmt: skip
    _add_option_flags(watch, batch=False)
    watch.add_argument(
        "--preview",
        action="store_true",
        help="serve the HTML on 127.0.0.1 and reload it after each export",
    )
    watch.add_argument("--preview-port", type=int, default=0, metavar="PORT",
                       help="the preview's port (default: 0, a free one)")  # fmt: skip
    watch.add_argument("--debug", action="store_true", help="show a traceback on failure")


def _add_proofs_command(commands: argparse._SubParsersAction) -> None:
    proofs = commands.add_parser("proofs", help="render pages of a PDF to PNG images")
    proofs.add_argument("pdf", type=Path, metavar="PDF", help="the PDF to look at")
    proofs.add_argument(
        "--pages", default="all", metavar="LIST", help="pages to render, e.g. 1,3-5 (default: all)"
    )
    proofs.add_argument(
        "-o", "--out-dir", dest="proofs_dir", type=Path, default=Path("proofs"), metavar="DIR",
        help="folder for the PNG files (default: proofs)",
    )  # fmt: skip
    proofs.add_argument("--dpi", type=int, default=100, help="resolution (default: 100)")


def _run_proofs(namespace: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .pdf.proofs import write_proofs

    try:
        written = write_proofs(
            namespace.pdf, namespace.proofs_dir, namespace.pages, dpi=namespace.dpi
        )
    except ExportError as error:
        stderr.write(f"error: {namespace.pdf}: {escape_controls(error.problem)}\n")
        return EXIT_FAILED
    for path in written:
        stdout.write(f"{path}\n")
    return EXIT_OK


def find_inputs(paths: Sequence[Path]) -> list[Path]:
    """Files as given; folders searched recursively for ``*.md``, in a stable order; a file
    named twice (itself and inside a folder) once."""
    inputs: dict[str, Path] = {}
    for path in paths:
        found = sorted(p for p in path.rglob("*.md") if p.is_file()) if path.is_dir() else [path]
        for file in found:
            if path.is_dir() and _in_a_bag(file, path):
                continue  # an article's copy in its deposit bag (--bag), not an input
            # realpath, not resolve: a symbolic link that loops is an input the export
            # refuses with one line, not an exception here.
            inputs.setdefault(os.path.realpath(file), file)
    return list(inputs.values())


def _in_a_bag(file: Path, folder: Path) -> bool:
    """Whether ``file``, found in ``folder``, lies in the payload of a BagIt bag: below a
    ``data`` folder beside a ``bagit.txt`` (RFC 8493, section 2)."""
    for parent in file.relative_to(folder).parents:
        if parent.name == "data" and (folder / parent.parent / "bagit.txt").is_file():
            return True
    return False


def _options(namespace: argparse.Namespace) -> Options:
    values = {
        spec.name: getattr(namespace, spec.name)
        for spec in OPTION_FIELDS
        if getattr(namespace, spec.name, None) is not None
    }
    return make_options(**values)


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = build_parser()
    try:
        namespace = parser.parse_args(argv)
        options = _options(namespace)
    except _UsageError as error:
        stderr.write(f"{parser.prog}: usage error: {error}\n(see {parser.prog} build --help)\n")
        return EXIT_USAGE
    except ExportError as error:
        stderr.write(f"{parser.prog}: usage error: {error.problem}\n")
        return EXIT_USAGE
    except SystemExit as done:  # --help and --version
        return int(done.code or 0)

    if namespace.command == "proofs":
        return _run_proofs(namespace, stdout, stderr)
    if namespace.command == "serve":
        from .serve.command import main as serve

        return serve(namespace, options, stdout, stderr)
    if namespace.command == "watch":
        from .watch.command import main as watch

        return watch(namespace, options, stdout, stderr)
    announce = f"{parser.prog}: stopped at once by a second {{signal}}"
    try:
        with stop_on_signals(announce):
            return _run_build(parser.prog, namespace, options, stdout, stderr)
    except Interrupted as stop:  # before the run began: nothing to report but the stop
        stderr.write(f"{parser.prog}: stopped by {stop.name}\n")
        return stop.status


def _run_build(
    prog: str, namespace: argparse.Namespace, options: Options, stdout: TextIO, stderr: TextIO
) -> int:
    inputs = find_inputs(namespace.paths)
    if not inputs:
        stderr.write(f"{prog}: usage error: no *.md file in {_names(namespace.paths)}\n")
        return EXIT_USAGE
    from .batch import run_batch  # after parsing, so --help stays fast

    report = _report(len(inputs), stdout, stderr, debug=namespace.debug)
    try:
        with report:
            summary = run_batch(inputs, options, report, report.warning)
    except RunError as error:
        stderr.write(f"{prog}: error: {escape_controls(error.problem)}\n")
        return EXIT_FAILED
    if summary.stopped is None and (options.catalog or options.bag is not None):
        _run_distribution(options, stdout, stderr)
    stdout.write(
        f"exported {summary.exported}, skipped {summary.skipped}, failed {summary.failed}"
        f" in {summary.seconds:.1f} s\n"
    )
    if summary.stopped is not None:
        stderr.write(
            f"{prog}: stopped by {summary.stopped.name}: "
            f"{summary.not_done} of {len(inputs)} inputs not exported\n"
        )
        return summary.stopped.status
    return EXIT_FAILED if summary.failed else EXIT_OK


def _run_distribution(options: Options, stdout: TextIO, stderr: TextIO) -> None:
    """The catalog and the bags, after the exports: each file written on its own line, as
    outputs are; a bag that cannot be made is a warning."""
    from .distribute.publish import distribute

    done = distribute(options.out_dir, options)
    for path in done.written:
        stdout.write(f"{escape_controls(str(path))}\n")
    for line in done.warnings:
        stderr.write(f"warning: {escape_controls(line)}\n")


def run() -> None:
    """The ``exporter`` command: ``main``, then out at once. By then every file is written
    and closed, every process and thread it started is joined; what the interpreter would
    still do is free its objects one by one, which the system does at once when the
    process ends."""
    try:
        status = main()
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        # Whoever read the output went away (``exporter build ... | head``): stop, as a
        # Unix tool does on SIGPIPE, without a traceback. An export under way has cleaned up.
        status = EXIT_FAILED
    except KeyboardInterrupt:  # Ctrl-C before ``main`` took the signals over, or after
        status = 128 + signal.SIGINT
    os._exit(status)


def _names(paths: Sequence[Path]) -> str:
    return ", ".join(escape_controls(str(path)) for path in paths)


def _report(total: int, stdout: TextIO, stderr: TextIO, *, debug: bool) -> _PlainReport:
    """A progress bar when a person watches (both streams on a terminal), else plain lines
    that a script or a log can read."""
    if stdout.isatty() and stderr.isatty():
        return _ProgressReport(total, stderr, debug=debug)
    return _PlainReport(stdout, stderr, debug=debug)


class _PlainReport:
    """Each written file on stdout, one a line; each problem on stderr, one a line."""

    def __init__(self, stdout: TextIO, stderr: TextIO, *, debug: bool):
        self.stdout, self.stderr, self.debug = stdout, stderr, debug

    def __enter__(self) -> _PlainReport:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __call__(self, outcome: Outcome) -> None:
        for is_problem, line in self.lines(outcome):
            (self.stderr if is_problem else self.stdout).write(f"{line}\n")

    def warning(self, line: str) -> None:
        """A warning about the run itself, not one input (a damaged manifest)."""
        self.stderr.write(f"warning: {escape_controls(line)}\n")

    def lines(self, outcome: Outcome) -> list[tuple[bool, str]]:
        """The lines for one outcome, each with whether it tells of a problem (stderr)."""
        lines = [(True, f"warning: {warning}") for warning in outcome.warnings]
        if outcome.status == "failed":
            if self.debug and outcome.detail:
                lines.append((True, outcome.detail.rstrip("\n")))
            lines.append((True, f"error: {outcome.error}"))
        elif outcome.status == "skipped":
            source = escape_controls(str(outcome.source))
            lines.append((False, f"skipped: {source}: unchanged since its last export"))
        else:
            # Escaped as on stderr: a newline or a bidi control in a name stays visible.
            lines.extend((False, escape_controls(str(path))) for path in outcome.written)
        return lines


class _ProgressReport(_PlainReport):
    """A rich progress bar on stderr, the same lines printed above it."""

    def __init__(self, total: int, stderr: TextIO, *, debug: bool):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        super().__init__(stderr, stderr, debug=debug)
        self.progress = Progress(
            BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=Console(file=stderr, highlight=False), transient=False,
        )  # fmt: skip
        self.task = self.progress.add_task("export", total=total)

    def __enter__(self) -> _ProgressReport:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, outcome: Outcome) -> None:
        for _, line in self.lines(outcome):
            self.progress.console.print(line, markup=False, soft_wrap=True)
        self.progress.advance(self.task)

    def warning(self, line: str) -> None:
        self.progress.console.print(f"warning: {escape_controls(line)}", markup=False,
                                    soft_wrap=True)  # fmt: skip
