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
from typing import TYPE_CHECKING, Literal

from . import interrupts, staging
from .errors import ExportError, RunError, escape_controls
from .interrupts import Interrupted
from .manifest import Manifest, Record, commit, environment_digest, input_key
from .options import Options
from .pdf.process import WeasyPrintProcess, worth_a_process

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from distributed import Client
    from distributed import Future as DaskFuture

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
    stopped: Interrupted | None = None  # the signal that stopped the run, if one did
    not_done: int = 0  # inputs neither exported, skipped nor failed: the run was stopped


@dataclass(frozen=True)
class Task:
    source: Path
    key: str | None  # None when the source could not even be read: the export says why
    environment: str  # manifest.environment_digest(), computed once for the run
    in_manifest: bool = True  # the worker records it (False on Dask: this process does)


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
    except ExportError as error:
        notes = [f"{error.problem}: the manifest does not record this export"]
    lines = tuple(escape_controls(f"{out_dir}: {note}") for note in notes)
    return dataclasses.replace(outcome, warnings=outcome.warnings + lines)


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
    setup = functools.partial(interrupts.as_child, os.getpid(), clean_up_on_term=True)
    with interrupts.children_start_quietly():  # the workers start as submit() needs them
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=setup)
        futures = {pool.submit(export_task, task, options): task for task in tasks}
    finished = False
    try:
        for future in as_completed(futures):
            yield _result(future, futures[future])
        finished = True
    finally:
        if not finished:  # stopped (a signal, or the caller gone): no more exports
            _stop_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)


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
    except ImportError:
        raise RunError("--scheduler needs Dask: pip install 'arabic-exporter[dask]'") from None
    remote = dataclasses.replace(options, out_dir=Path(os.path.abspath(options.out_dir)))
    try:
        client = Client(options.scheduler, timeout=30)
    except (OSError, TimeoutError, ValueError) as error:
        raise RunError(f"cannot reach the Dask scheduler at {options.scheduler}: {error}") from None
    with client:
        futures = {
            client.submit(
                export_task,
                dataclasses.replace(task, source=Path(os.path.abspath(task.source))),
                remote,
                pure=False,
            ): task
            for task in tasks
        }
        yield from _dask_outcomes(client, futures)


# A cluster left without a worker this long ends the run: its exports fail. (A task whose
# workers keep dying fails on its own, after Dask's ``allowed-failures`` deaths.)
_NO_WORKER_SECONDS = 30.0
_POLL_SECONDS = 0.5


def _dask_outcomes(client: Client, futures: dict[DaskFuture, Task]) -> Iterator[Outcome]:
    """The outcomes as they complete, in bounded time: not longer than the exports take,
    or ``_NO_WORKER_SECONDS`` once the cluster has no worker left to run them."""
    from distributed import as_completed

    running = as_completed(futures)
    alone_since: float | None = None
    reported: set[DaskFuture] = set()
    while not running.is_empty():
        batch = running.next_batch(block=False)
        for future in batch:
            reported.add(future)
            task = futures[future]
            yield dataclasses.replace(_result(future, task), source=task.source)
        if batch:
            continue
        if _worker_count(client):
            alone_since = None
        elif alone_since is None:
            alone_since = time.monotonic()
        elif time.monotonic() - alone_since > _NO_WORKER_SECONDS:
            yield from _abandoned([f for f in futures if f not in reported], futures)
            return
        time.sleep(_POLL_SECONDS)


def _worker_count(client: Client) -> int:
    try:
        return len(client.scheduler_info()["workers"])
    except Exception:  # the scheduler itself is gone: no worker either
        return 0


def _abandoned(left: list[DaskFuture], futures: dict[DaskFuture, Task]) -> Iterator[Outcome]:
    for future in left:
        future.cancel()
        source = futures[future].source
        problem = (
            f"{source}: not exported: the Dask cluster had no worker left for "
            f"{_NO_WORKER_SECONDS:g} s"
        )
        yield Outcome(source, "failed", error=escape_controls(problem))
