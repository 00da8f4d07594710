"""The service's state: its jobs, where they run (the warm pool, or a Dask cluster), its
metrics, and whether it is draining. Routes (``app.py``) call it; it holds no HTTP."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import time
from pathlib import Path

from .config import ServeConfig
from .jobs import Job, JobStore, remove_folder
from .metrics import Metrics
from .pool import PoolLimits, WorkerPool
from .worker import Reply, Request

_SWEEP_SECONDS = 30.0


class Service:
    def __init__(self, config: ServeConfig, root: Path) -> None:
        self.config = config
        self.root = root
        self.store = JobStore(root / "jobs", config.keep_seconds)
        self.draining = False
        self.ready = False
        self._tasks: set[asyncio.Task[None]] = set()
        self._waiting = 0
        self._sweeper: asyncio.Task[None] | None = None
        self.metrics = Metrics(lambda: self._waiting, self._running)
        self.pool: WorkerPool | None = None
        self.remote = None

    async def start(self) -> None:
        (self.root / "jobs").mkdir(parents=True, exist_ok=True)
        if self.config.scheduler:
            from .remote import DaskRunner

            self.remote = await DaskRunner.connect(self.config.scheduler)
        else:
            limits = PoolLimits(
                workers=self.config.workers or os.cpu_count() or 1,
                jobs_per_worker=self.config.jobs_per_worker,
                memory_bytes=self.config.worker_memory,
            )
            self.pool = WorkerPool(limits, self._restarted)
            await self.pool.start()
        self._sweeper = asyncio.create_task(self._sweep())
        self.ready = True

    def _restarted(self, reason: str) -> None:
        self.metrics.restarts.labels(reason=reason).inc()

    def _running(self) -> int:
        if self.pool is not None:
            return self.pool.busy
        return len(self._tasks) - self._waiting

    async def _sweep(self) -> None:
        # As often as the shortest wait could make a job expire, and at least twice a minute.
        every = max(0.5, min(_SWEEP_SECONDS, self.config.keep_seconds / 2))
        while True:
            await asyncio.sleep(every)
            self.store.expire()

    def full(self) -> bool:
        """Whether the queue has no room for one more job."""
        return self._waiting >= self.config.queue

    def idle(self) -> bool:
        return not self._tasks

    def submit(self, job: Job, request: Request) -> asyncio.Task[None]:
        """Start ``job``; the task ends when it has finished, its reply in ``job``."""
        self._waiting += 1
        task = asyncio.create_task(self._run(job, request))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _run(self, job: Job, request: Request) -> None:
        arrived = time.monotonic()
        taken = False

        def started(worker: int) -> None:
            nonlocal taken
            if not taken:  # a job in two parts starts twice: counted once
                taken = True
                self._waiting -= 1
                job.started(worker)

        try:
            if self.pool is not None:
                reply = await self.pool.run(request, started)
            else:
                started(0)
                reply = await self.remote.run(request)  # type: ignore[union-attr]
        finally:
            if not taken:
                self._waiting -= 1
        job.finish(self._explained(job, request, reply))
        self.metrics.job_finished(_outcome(job.reply), time.monotonic() - arrived)
        if job.deleted:  # deleted while it ran: its folder goes now
            remove_folder(job.folder)

    def _explained(self, job: Job, request: Request, reply: Reply) -> Reply:
        """A worker's death as one line naming the input, as the command line would."""
        if reply.ok or reply.error:
            return reply
        name = job.source_name
        problems = {
            "crash": "the process exporting it stopped; nothing was written: send it again",
            "memory": f"the export needed more than {self.config.worker_memory // 2**20} MiB "
            "of memory and was stopped",
            "timeout": f"the export took longer than {request.options.timeout} s and was "
            "stopped (raise timeout)",
        }
        problem = problems.get(reply.kind or "", "internal error")
        return dataclasses.replace(reply, error=f"{name}: {problem}")

    async def close(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
        if self.pool is not None:
            await self.pool.close()
        if self.remote is not None:
            await self.remote.close()
        self.store.clear()


def _outcome(reply: Reply | None) -> str:
    if reply is None:
        return "lost"
    if reply.ok:
        return "exported"
    return {"input": "failed"}.get(reply.kind or "", reply.kind or "failed")
