"""The exception family and exit codes.

Every problem with one input is an ``ExportError``; the command line turns it into one line
``error: <file>: <problem>`` and exit status 1. Library code raises, never prints or exits.
"""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def escape_controls(text: str) -> str:
    """Make control characters visible so a message stays on one line and cannot reorder it."""
    out = []
    for char in text:
        code = ord(char)
        if code < 0x20 or code == 0x7F or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
            out.append(f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}")
        else:
            out.append(char)
    return "".join(out)


class ExportError(Exception):
    """An input that cannot be exported. ``problem`` says what is wrong and what to do."""

    def __init__(self, problem: str, *, path: Path | str | None = None, line: int | None = None):
        super().__init__(problem)
        self.problem = problem
        self.path = Path(path) if path is not None else None
        self.line = line

    def located(self, path: Path) -> ExportError:
        """Attach the input file when the raiser did not know it."""
        if self.path is None:
            self.path = path
        return self

    def where(self) -> str:
        place = str(self.path) if self.path is not None else "<input>"
        return f"{place}:{self.line}" if self.line is not None else place

    def one_line(self) -> str:
        return escape_controls(f"{self.where()}: {self.problem}")

    def __str__(self) -> str:
        return self.one_line()


class InputError(ExportError):
    """The input file cannot be read: missing, too large, or not UTF-8."""


class FrontMatterError(ExportError):
    """The YAML front matter is malformed or a key has the wrong type."""


class ResourceError(ExportError):
    """A file or URL the article names cannot or may not be used."""


class LimitError(ExportError):
    """The input goes past a limit: size, nesting depth, footnotes, pixels or time."""


class OutputError(ExportError):
    """An output file cannot be written."""


class RunError(ExportError):
    """The run as a whole cannot go on (a Dask scheduler out of reach), whatever the inputs."""


class ExportWarning(UserWarning):
    """Something the export worked around; ``--strict`` makes it an error."""

    def __init__(self, problem: str, *, path: Path | str | None = None, line: int | None = None):
        super().__init__(problem)
        self.problem = problem
        self.path = Path(path) if path is not None else None
        self.line = line

    def as_error(self) -> ExportError:
        return ExportError(self.problem, path=self.path, line=self.line)

    def one_line(self) -> str:
        return self.as_error().one_line()
