"""One input as a task of a batch, and what became of it: plain, picklable values, so
that a worker's exception never crosses a process boundary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .errors import escape_controls

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .manifest import Record

Status = Literal["exported", "skipped", "failed"]


@dataclass(frozen=True)
class Task:
    source: Path
    key: str | None  # None when the source could not even be read: the export says why
    environment: str  # manifest.environment_digest(), computed once for the run
    in_manifest: bool = True  # the worker records it (False on Dask: the run does)


@dataclass(frozen=True)
class Outcome:
    """What became of one input."""

    source: Path
    status: Status
    written: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = ()  # one line each, ``<file>: <problem>``
    error: str | None = None  # one line, ``<file>: <problem>``
    detail: str | None = None  # the traceback, for --debug
    record: Record | None = None
    seconds: float = 0.0


def failed(source: Path, problem: str) -> Outcome:
    """A failed input, ``problem`` saying why after its name."""
    return Outcome(source, "failed", error=escape_controls(f"{source}: {problem}"))


def outcome_of(future: Future[Outcome], task: Task) -> Outcome:
    """The outcome a worker sent back, or the failure of its process (killed, out of
    memory; on Dask, every worker that took the task died: ``KilledWorker``)."""
    try:
        return future.result()
    except Exception as error:
        if type(error).__name__ == "KilledWorker":
            return failed(task.source, "not exported: every Dask worker that ran it died")
        return failed(task.source, f"the export process stopped: {type(error).__name__}: {error}")
