"""Many inputs: skip the unchanged ones, export the rest in a process pool or on a Dask
cluster, and report each one as it finishes.

Each input is one task, ``export_task``, that returns an ``Outcome`` (plain, picklable
values: a worker's exception never crosses a process boundary). The process that writes an
input's outputs puts them in place with their manifest record, under the output folder's
lock (``manifest.commit``); on a Dask cluster, whose workers may share the folder over a
network file system, this process records them, once it has checked that the outputs in
the folder are the ones the worker wrote.

SIGINT and SIGTERM stop the run (``interrupts.py``): the workers are stopped, each removing
its temporaries, and the run reports what finished.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import itertools
import os
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import interrupts, staging
from .errors import ExportError, escape_controls
from .interrupts import Interrupted
from .manifest import MANIFEST_NAME, Manifest, commit, environment_digest, input_key
from .options import Options
from .outcome import Outcome, Task, outcome_of
from .pdf.process import WeasyPrintProcess, worth_a_process

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor


@dataclass(frozen=True)
class Summary:
    exported: int
    skipped: int
    failed: int
    seconds: float
    stopped: Interrupted | None = None  # the signal that stopped the run, if one did
    not_done: int = 0  # inputs neither exported, skipped nor failed: the run was stopped


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
            exported = export_one(
                task.source,
                options,
                weasyprint,
                in_manifest=task.in_manifest,
                environment=task.environment,
            )
    except ExportError as error:
        return _failed(task.source, error.one_line(), started)
    except Interrupted as stop:
        if interrupts.in_child():  # a pool worker told to stop: cleaned up, now out
            os._exit(stop.status)
        raise
    except Exception as error:  # a bug of ours: reported like the rest, the run goes on
        problem = f"{task.source}: internal error: {type(error).__name__}: {error}"
        return _failed(task.source, escape_controls(problem) + _REPORT_IT, started)
    return Outcome(
        source=task.source,
        status="exported",
        written=tuple(exported.written),
        warnings=tuple(warning.one_line() for warning in exported.warnings),
        record=exported.record,
        seconds=time.perf_counter() - started,
    )


_REPORT_IT = " (run with --debug and report it)"


def _failed(source: Path, problem: str, started: float) -> Outcome:
    """A failed input; called in an ``except`` block, so the traceback is at hand."""
    seconds = time.perf_counter() - started
    detail = traceback.format_exc()
    return Outcome(source, "failed", error=problem, detail=detail, seconds=seconds)


def run_batch(
    sources: Sequence[Path],
    options: Options,
    report: Callable[[Outcome], None],
    warn: Callable[[str], None] | None = None,
) -> Summary:
    """Export ``sources``; call ``report`` with each outcome as it comes in, ``warn`` with
    each warning about the run itself (a damaged manifest set aside). A signal stops it
    (``interrupts.stop_on_signals``): the summary then says which."""
    started = time.perf_counter()
    counts = {"exported": 0, "skipped": 0, "failed": 0}
    stopped = None
    weasyprint = None
    interrupts.clear_on_exit(options.out_dir)
    try:
        # First of all, so that WeasyPrint loads there while this process does the rest.
        weasyprint = WeasyPrintProcess() if worth_a_process(len(sources), options) else None
        staging.remove_leftovers(options.out_dir)  # what runs that were killed left
        manifest = Manifest.load(options.out_dir, warn)
        tasks, early = _plan(sources, options, manifest)
        for outcome in itertools.chain(early, _run(tasks, options, weasyprint)):
            if options.scheduler and outcome.record is not None:
                outcome = _recorded_here(outcome, options)
            counts[outcome.status] += 1
            report(outcome)
    except Interrupted as signal:
        stopped = Interrupted(signal.signum)  # without the traceback and its frames
    finally:
        if weasyprint:
            weasyprint.close()
        staging.remove_leftovers(options.out_dir)  # what stopped workers left
        if stopped is not None:
            # A stopped pool stays in reference cycles; freed now, its semaphores are
            # released, which the resource tracker would otherwise report as leaked.
            gc.collect()
    return Summary(
        **counts,
        seconds=time.perf_counter() - started,
        stopped=stopped,
        not_done=len(sources) - sum(counts.values()),
    )


def _recorded_here(outcome: Outcome, options: Options) -> Outcome:
    """A Dask worker's export recorded by this process, if its outputs in the folder are
    the ones it wrote (another run may have replaced them since)."""
    assert outcome.record is not None
    out_dir = options.out_dir
    entry = (Manifest.name_of(outcome.source), outcome.record)
    try:
        notes = commit(out_dir, [], entry, keep=lambda record: record.written_as_recorded(out_dir))
        lines = [f"{out_dir / MANIFEST_NAME}: {note}" for note in notes]
    except ExportError as error:
        lines = [f"{outcome.source}: {error.problem}; the manifest does not record its export"]
    warnings = tuple(escape_controls(line) for line in lines)
    return dataclasses.replace(outcome, warnings=outcome.warnings + warnings)


def _run(
    tasks: list[Task], options: Options, weasyprint: WeasyPrintProcess | None
) -> Iterator[Outcome]:
    if options.scheduler:
        from .cluster import on_dask

        return on_dask(tasks, options, export_task)
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
    environment = environment_digest()
    for source in sources:
        owner = owners.setdefault(source.stem, source)
        if owner != source:
            problem = (
                f"{source}: writes the same outputs as {owner} "
                f"({options.out_dir / source.stem}.*): rename one, or export it on its own"
            )
            early.append(Outcome(source, "failed", error=escape_controls(problem)))
            continue
        key = input_key(source, options, environment)  # never blocks: a FIFO is no input
        fresh = key is not None and manifest.unchanged(source, key, options.formats)
        if fresh and not options.force:
            early.append(Outcome(source, "skipped"))
        else:
            tasks.append(Task(source, key, environment, in_manifest=not options.scheduler))
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
    _start_resource_tracker_quietly()
    setup = functools.partial(interrupts.as_child, os.getpid(), clean_up_on_term=True)
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=setup)
    finished = False
    try:
        with interrupts.children_start_quietly():  # the workers start as submit() needs them
            futures = {pool.submit(export_task, task, options): task for task in tasks}
        for future in as_completed(futures):
            yield outcome_of(future, futures[future])
        finished = True
    finally:
        if not finished:  # stopped (a signal, or the caller gone): no more exports
            _stop_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)


def _start_resource_tracker_quietly() -> None:
    """Start multiprocessing's resource tracker (the pool would) with its standard error
    on /dev/null. When a signal stops the pool while its queues are being made or
    handed to the workers, the tracker finds their semaphores still registered, removes
    them, and says so in a two-line Python warning: on the user's terminal that would
    be noise after the run's one line about the stop, about something already mended."""
    from multiprocessing import resource_tracker

    saved = os.dup(2)
    try:
        quiet = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(quiet, 2)
            resource_tracker.ensure_running()
        finally:
            os.dup2(saved, 2)
            os.close(quiet)
    finally:
        os.close(saved)


# How long a worker told to stop gets to remove its temporaries before it is killed.
_STOP_GRACE_SECONDS = 5.0


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Stop the pool's workers now: SIGTERM, on which each removes its temporaries and
    exits (``interrupts.as_child``), then SIGKILL for any still there after a grace."""
    import multiprocessing

    pool.shutdown(wait=False, cancel_futures=True)
    workers = multiprocessing.active_children()  # this process's only children in a batch
    for worker in workers:
        worker.terminate()
    deadline = time.monotonic() + _STOP_GRACE_SECONDS
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
    for worker in workers:
        if worker.is_alive():
            worker.kill()
            worker.join()
