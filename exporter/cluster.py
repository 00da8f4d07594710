"""The tasks of a batch on a Dask cluster (``--scheduler``), in bounded time.

Workers see other folders than ours, so every path they get is absolute; inputs and the
output folder must be on storage they share. Dask retries a task whose worker died, up to
its ``allowed-failures``, then fails it (``KilledWorker``); a cluster left with no worker at
all would keep the rest waiting for ever: after ``_NO_WORKER_SECONDS`` they fail, one line
each.
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
        yield from _dask_outcomes(client, futures)


# A cluster left without a worker this long ends the run: its exports fail.
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
            yield dataclasses.replace(outcome_of(future, task), source=task.source)
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
        problem = f"not exported: the Dask cluster had no worker left for {_NO_WORKER_SECONDS:g} s"
        yield failed(futures[future].source, problem)
