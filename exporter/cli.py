"""The command line: the only place that prints or exits."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from dataclasses import MISSING
from pathlib import Path
from typing import TextIO

from .errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, ExportError, escape_controls
from .options import OPTION_FIELDS, Options, make_options


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)


class _UsageError(Exception):
    pass


def _version() -> str:
    from . import __version__

    return __version__


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="exporter",
        description="Export Arabic Markdown articles to PDF, EPUB 3 and self-contained HTML.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    build = commands.add_parser("build", help="export Markdown files to dist/")
    build.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                       help="a Markdown file, or a folder searched for *.md")  # fmt: skip
    for spec in OPTION_FIELDS:
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
            if isinstance(default, int) and not isinstance(default, bool):
                kwargs["type"] = int
            if isinstance(default, tuple):
                default = ",".join(default)
            kwargs["help"] = f"{spec.metadata['help']} (default: {default})"
        build.add_argument(*flags, **kwargs)  # type: ignore[arg-type]
    build.add_argument("--debug", action="store_true", help="show a traceback on failure")
    return parser


def find_inputs(paths: Sequence[Path]) -> list[Path]:
    """Files as given; folders searched recursively for ``*.md``, in a stable order."""
    inputs: list[Path] = []
    for path in paths:
        if path.is_dir():
            inputs.extend(sorted(p for p in path.rglob("*.md") if p.is_file()))
        else:
            inputs.append(path)
    return inputs


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

    from .build import export_one  # after parsing, so --help stays fast

    failed = 0
    for path in find_inputs(namespace.paths):
        try:
            written, found = export_one(path, options)
        except ExportError as error:
            failed += 1
            if namespace.debug:
                traceback.print_exc(file=stderr)
            stderr.write(f"error: {error.one_line()}\n")
            continue
        except Exception as error:  # a bug of ours: still one line, unless --debug
            failed += 1
            if namespace.debug:
                traceback.print_exc(file=stderr)
            problem = escape_controls(f"{path}: internal error: {type(error).__name__}: {error}")
            stderr.write(f"error: {problem} (run with --debug and report it)\n")
            continue
        for warning in found:
            stderr.write(f"warning: {warning.one_line()}\n")
        for target in written:
            stdout.write(f"{target}\n")
    return EXIT_FAILED if failed else EXIT_OK
