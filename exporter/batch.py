"""Many inputs: skip the unchanged ones, export the rest in a process pool or on a Dask
cluster, and report each one as it finishes.

Each input is one task, ``export_task``, that returns an ``Outcome`` (plain, picklable
values: a worker's exception never crosses a process boundary). Only this process reads
and writes the manifest, so workers never race on it.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .errors import ExportError, RunError, escape_controls
from .manifest import Manifest, Record, input_key
from .options import Options
from .pdf.process import WeasyPrintProcess, worth_a_process

if TYPE_CHECKING:
    from concurrent.futures import Future

Status = Literal["exported", "skipped", "failed"]


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


@dataclass(frozen=True)
class Summary:
    exported: int
    skipped: int
    failed: int
    seconds: float


@dataclass(frozen=True)
class Task:
    source: Path
    key: str | None  # None when the source could not even be read: the export says why


# One export at a time per process: ``warnings.catch_warnings`` is process-wide state, and a
# Dask worker may run several tasks in threads. Parallelism comes from processes.
_EXPORT_LOCK = threading.Lock()


def export_task(
    task: Task, options: Options, weasyprint: WeasyPrintProcess | None = None
) -> Outcome:
    """Export one input and describe the result; runs in a worker."""
    from .build import export_one

    started = time.perf_counter()
    try:
        with _EXPORT_LOCK:
            exported = export_one(task.source, options, weasyprint)
            record = None
            if task.key is not None:
                record = Record.made(task.key, exported.written, exported.images)
    except ExportError as error:
        return _failed(task.source, error.one_line(), started)
    except Exception as error:  # a bug of ours: reported like the rest, the run goes on
        problem = f"{task.source}: internal error: {type(error).__name__}: {error}"
        return _failed(task.source, escape_controls(problem) + _REPORT_IT, started)
    return Outcome(
        source=task.source,
        status="exported",
        written=tuple(exported.written),
        warnings=tuple(warning.one_line() for warning in exported.warnings),
        record=record,
        seconds=time.perf_counter() - started,
    )


_REPORT_IT = " (run with --debug and report it)"


def _failed(source: Path, problem: str, started: float) -> Outcome:
    """A failed input; called in an ``except`` block, so the traceback is at hand."""
    seconds = time.perf_counter() - started
    detail = traceback.format_exc()
    return Outcome(source, "failed", error=problem, detail=detail, seconds=seconds)


def run_batch(
    sources: Sequence[Path], options: Options, report: Callable[[Outcome], None]
) -> Summary:
    """Export ``sources``; call ``report`` with each outcome as it comes in."""
    started = time.perf_counter()
    # First of all, so that WeasyPrint loads there while this process does the rest.
    weasyprint = WeasyPrintProcess() if worth_a_process(len(sources), options) else None
    manifest = Manifest.load(options.out_dir)
    counts = {"exported": 0, "skipped": 0, "failed": 0}
    try:
        tasks, early = _plan(sources, options, manifest)
        for outcome in itertools.chain(early, _run(tasks, options, weasyprint)):
            if outcome.record is not None:
                manifest.record(outcome.source, outcome.record)
            elif outcome.status == "failed":
                manifest.forget(outcome.source)
            counts[outcome.status] += 1
            report(outcome)
    finally:
        if weasyprint:
            weasyprint.close()
        manifest.save()  # even when interrupted: what was exported stays recorded
    return Summary(**counts, seconds=time.perf_counter() - started)


def _run(
    tasks: list[Task], options: Options, weasyprint: WeasyPrintProcess | None
) -> Iterator[Outcome]:
    if options.scheduler:
        return _on_dask(tasks, options)
    if weasyprint:  # one input, WeasyPrint's part of it in a second process
        return (export_task(task, options, weasyprint) for task in tasks)
    return _in_pool(tasks, options)


def _plan(
    sources: Sequence[Path], options: Options, manifest: Manifest
) -> tuple[list[Task], list[Outcome]]:
    """The tasks to run, and the outcomes known without running one: inputs unchanged since
    their last export, and inputs whose outputs another input already writes."""
    tasks: list[Task] = []
    early: list[Outcome] = []
    owners: dict[str, Path] = {}
    for source in sources:
        owner = owners.setdefault(source.stem, source)
        if owner != source:
            problem = (
                f"{source}: writes the same outputs as {owner} "
                f"({options.out_dir / source.stem}.*): rename one, or export it on its own"
            )
            early.append(Outcome(source, "failed", error=escape_controls(problem)))
            continue
        try:
            key: str | None = input_key(source, options)
        except OSError:
            key = None
        fresh = key is not None and manifest.unchanged(source, key, options.formats)
        if fresh and not options.force:
            early.append(Outcome(source, "skipped"))
        else:
            tasks.append(Task(source, key))
    # Longest first: the big inputs start early and the workers finish together.
    tasks.sort(key=lambda task: _size(task.source), reverse=True)
    return tasks, early


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def worker_count(options: Options, tasks: int) -> int:
    wanted = options.jobs or os.cpu_count() or 1
    return max(1, min(wanted, tasks))


def _in_pool(tasks: list[Task], options: Options) -> Iterator[Outcome]:
    """One task at a time here when one worker would do, else a pool of processes."""
    jobs = worker_count(options, len(tasks))
    if jobs == 1:
        for task in tasks:
            yield export_task(task, options)
        return
    import multiprocessing  # here: a run of one input never starts a pool
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # spawn, not fork: the progress bar runs a thread, and forking a process that has
    # threads can deadlock the child. Not forkserver either: its workers are not our
    # children, so their CPU time and memory escaped the parent's accounting, which
    # ``make bench`` reads with ``os.wait4``. Each
    # worker imports what its formats need once (WeasyPrint only for a PDF) and keeps it,
    # with its font caches, for every input it exports.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    try:
        futures = {pool.submit(export_task, task, options): task for task in tasks}
        for future in as_completed(futures):
            yield _result(future, futures[future])
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _result(future: Future[Outcome], task: Task) -> Outcome:
    try:
        return future.result()
    except Exception as error:  # the worker died (killed, out of memory): this input failed
        problem = f"{task.source}: the export process stopped: {type(error).__name__}: {error}"
        return Outcome(task.source, "failed", error=escape_controls(problem))


def _on_dask(tasks: list[Task], options: Options) -> Iterator[Outcome]:
    """The same tasks on a Dask cluster. Workers see other folders than ours, so every path
    they get is absolute; inputs and the output folder must be on storage they share."""
    try:
        from distributed import Client
        from distributed import as_completed as completed
    except ImportError:
        raise RunError("--scheduler needs Dask: pip install 'arabic-exporter[dask]'") from None
    remote = dataclasses.replace(options, out_dir=options.out_dir.resolve())
    try:
        client = Client(options.scheduler, timeout=30)
    except (OSError, TimeoutError) as error:
        raise RunError(f"cannot reach the Dask scheduler at {options.scheduler}: {error}") from None
    with client:
        futures = {
            client.submit(
                export_task, Task(task.source.resolve(), task.key), remote, pure=False
            ): task
            for task in tasks
        }
        for future in completed(futures):
            outcome = _result(future, futures[future])
            yield dataclasses.replace(outcome, source=futures[future].source)
