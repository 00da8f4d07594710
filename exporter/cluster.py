"""The tasks of a batch on a Dask cluster (``--scheduler``), in bounded time.

Workers see other folders than ours, so every path they get is absolute; inputs and the
output folder must be on storage they share. Dask retries a task whose worker died, up to
its ``allowed-failures``, then fails it (``KilledWorker``). A cluster left with no worker at
all, or whose workers die before they take a task, would keep the rest waiting for ever:
they fail, one line each, after ``_NO_WORKER_SECONDS`` without a worker or
``stall_limit`` without an export finishing.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import RunError
from .options import Options
from .outcome import Outcome, Task, failed, outcome_of

if TYPE_CHECKING:
    from distributed import Client
    from distributed import Future as DaskFuture

Work = Callable[[Task, Options], Outcome]


def on_dask(tasks: list[Task], options: Options, work: Work) -> Iterator[Outcome]:
    """``work`` done for each task on the cluster at ``options.scheduler``."""
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
                work,
                dataclasses.replace(task, source=Path(os.path.abspath(task.source))),
                remote,
                pure=False,
            ): task
            for task in tasks
        }
        yield from _dask_outcomes(client, futures, stall_limit(options))


# A cluster left without a worker this long ends the run: its exports fail.
_NO_WORKER_SECONDS = 30.0
_POLL_SECONDS = 0.5


def stall_limit(options: Options) -> float | None:
    """How long the run waits with no export finishing before the rest fail: twice the
    time limit, and half a minute. Dask runs exports in threads, where ``--timeout`` cannot
    stop one (deadline.py); so it is the run that stops waiting. None with ``--timeout 0``."""
    return 2.0 * options.timeout + 30.0 if options.timeout > 0 else None


def _dask_outcomes(
    client: Client, futures: dict[DaskFuture, Task], stall: float | None
) -> Iterator[Outcome]:
    """The outcomes as they complete, in bounded time: the rest fail once the cluster has
    had no worker for ``_NO_WORKER_SECONDS``, or no export has finished for ``stall``
    seconds (workers that keep dying before they take a task)."""
    from distributed import as_completed

    running = as_completed(futures)
    alone_since: float | None = None
    progress = time.monotonic()
    reported: set[DaskFuture] = set()
    while not running.is_empty():
        batch = running.next_batch(block=False)
        for future in batch:
            reported.add(future)
            task = futures[future]
            yield dataclasses.replace(outcome_of(future, task), source=task.source)
        now = time.monotonic()
        if batch:
            progress = now
            continue
        if _worker_count(client):
            alone_since = None
        elif alone_since is None:
            alone_since = now
        reason = None
        if alone_since is not None and now - alone_since > _NO_WORKER_SECONDS:
            reason = f"the Dask cluster had no worker left for {_NO_WORKER_SECONDS:g} s"
        elif stall is not None and now - progress > stall:
            reason = f"no export on the Dask cluster finished for {stall:g} s"
        if reason is not None:
            yield from _abandoned([f for f in futures if f not in reported], futures, reason)
            return
        time.sleep(_POLL_SECONDS)


def _worker_count(client: Client) -> int:
    try:
        return len(client.scheduler_info()["workers"])
    except Exception:  # the scheduler itself is gone: no worker either
        return 0


def _abandoned(
    left: list[DaskFuture], futures: dict[DaskFuture, Task], reason: str
) -> Iterator[Outcome]:
    for future in left:
        future.cancel()
        yield failed(futures[future].source, f"not exported: {reason}")
