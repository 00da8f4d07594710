"""The warm worker pool: a fixed number of worker processes (``worker.py``), each taking
one job at a time from a bounded in-process queue.

A worker is replaced, and counted in the metrics with the reason, when it dies (a crash,
a kill), when a job runs past its time limit, when its memory passes the ceiling (checked
while a job runs and after it), and after a number of jobs. The job a dead or killed
worker held gets an error, never a file: outputs are renamed into place only when whole
(``staging.py``), and the job's folder is removed with the job.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import multiprocessing
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import interrupts
from .worker import Reply, Request, serve_requests

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

# How long past a job's own time limit (``deadline.py``, which stops it at the next Python
# instruction) a worker gets before it is killed: a single long call into C is not
# interrupted by the timer.
_KILL_GRACE_SECONDS = 10.0
_POLL_SECONDS = 0.1
_START_SECONDS = 120.0
_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class PoolLimits:
    workers: int
    jobs_per_worker: int  # a worker is replaced after this many jobs
    memory_bytes: int  # and when its resident memory passes this


def resident_bytes(pid: int) -> int:
    """A process's resident memory, from /proc (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


class Worker:
    """One worker process, and the pipe to it. Blocking calls: the pool runs them in
    threads."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._connection, child_end = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=serve_requests, args=(child_end, os.getpid()), daemon=True
        )
        with interrupts.children_start_quietly():
            self.process.start()
        child_end.close()
        self.pid = self.process.pid or 0
        self.jobs = 0
        self._ready = False

    def wait_ready(self) -> bool:
        """Wait for the warm-up to end; False if the worker died first."""
        if not self._connection.poll(_START_SECONDS):
            return False
        try:
            kind, _ = self._connection.recv()
        except (EOFError, OSError):
            return False
        self._ready = kind == "ready"
        return self._ready

    def wait_ready_once(self) -> bool:
        """``wait_ready`` the first time; after that, whether it is still alive."""
        return (self._ready or self.wait_ready()) and self.alive

    def run(self, request: Request, memory_bytes: int) -> Reply:
        """Export ``request`` in this worker, watching its time and memory."""
        self.jobs += 1
        try:
            self._connection.send(request)
        except OSError:
            return self._lost("crash")
        timeout = request.options.timeout
        deadline = time.monotonic() + timeout + _KILL_GRACE_SECONDS if timeout else None
        while not self._connection.poll(_POLL_SECONDS):
            if not self.process.is_alive():
                return self._lost("crash")
            if resident_bytes(self.pid) > memory_bytes:
                self.kill()
                return self._lost("memory")
            if deadline is not None and time.monotonic() > deadline:
                self.kill()
                return self._lost("timeout")
        try:
            _, reply = self._connection.recv()
        except (EOFError, OSError):
            return self._lost("crash")
        return reply  # type: ignore[no-any-return]

    def _lost(self, kind: str) -> Reply:
        self.process.join(5)
        return Reply(ok=False, kind=kind, worker=self.pid)

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.join(5)

    def stop(self) -> None:
        """Ask it to finish (it is idle), then make sure it is gone."""
        with contextlib.suppress(OSError):
            self._connection.send(None)
        self.process.join(5)
        if self.process.is_alive():
            self.kill()
        self._connection.close()


Runner = Callable[[Request], Awaitable[Reply]]


def merged(replies: list[Reply], formats: tuple[str, ...]) -> Reply:
    """The replies of a job's parts as one: its files in the order asked for, each warning
    once (both parts read the same article), the first failure if one failed."""
    for reply in replies:
        if not reply.ok:
            return reply
    order = {fmt: n for n, fmt in enumerate(formats)}
    files = sorted((f for r in replies for f in r.files), key=lambda f: order[f.rsplit(".")[-1]])
    warnings = tuple(dict.fromkeys(w for r in replies for w in r.warnings))
    images = tuple(dict.fromkeys(i for r in replies for i in r.images))
    seconds = max(r.seconds for r in replies)
    return Reply(ok=True, files=tuple(files), warnings=warnings, images=images,
                 seconds=seconds, worker=replies[0].worker)  # fmt: skip


class WorkerPool:
    """``limits.workers`` workers, each fed from one bounded queue by a task of its own."""

    def __init__(self, limits: PoolLimits, on_restart: Callable[[str], None]) -> None:
        self.limits = limits
        self._on_restart = on_restart
        self._workers: list[Worker | None] = [None] * limits.workers
        self._queue: asyncio.Queue[tuple[Request, asyncio.Future[Reply], Callable[[int], None]]]
        self._queue = asyncio.Queue()
        self._feeders: list[asyncio.Task[None]] = []
        self.busy = 0

    async def start(self) -> None:
        """Start every worker and wait until each is warm."""
        started = await asyncio.gather(
            *(asyncio.to_thread(self._new_worker) for _ in range(self.limits.workers))
        )
        self._workers = list(started)
        self._feeders = [
            asyncio.create_task(self._feed(slot)) for slot in range(self.limits.workers)
        ]

    def _new_worker(self) -> Worker:
        for _ in range(3):
            worker = Worker()
            if worker.wait_ready():
                return worker
            worker.kill()
        raise RuntimeError("a worker process could not start: run `exporter build` on a file")

    @property
    def queued(self) -> int:
        return self._queue.qsize()

    def pids(self) -> list[int]:
        return [worker.pid for worker in self._workers if worker is not None]

    async def run(self, request: Request, started: Callable[[int], None]) -> Reply:
        """Queue ``request``; its reply once a worker has done it. ``started`` is called
        with the worker's process id when one takes it.

        When a PDF and other formats are asked for and two workers are idle with nothing
        waiting, the PDF is made by one and the rest by the other at once: the answer
        comes in the PDF's time, not the sum (each reads and parses the article, a small
        part of an export). With work waiting, the job stays whole."""
        formats = request.options.formats
        idle = self.limits.workers - self.busy - self.queued
        if "pdf" not in formats or len(formats) == 1 or idle < 2:
            return await self._one(request, started)
        rest = tuple(fmt for fmt in formats if fmt != "pdf")
        parts = [
            dataclasses.replace(request, options=dataclasses.replace(request.options, formats=f))
            for f in (("pdf",), rest)
        ]
        replies = await asyncio.gather(*(self._one(part, started) for part in parts))
        return merged(replies, formats)

    async def _one(self, request: Request, started: Callable[[int], None]) -> Reply:
        done: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((request, done, started))
        return await done

    async def _feed(self, slot: int) -> None:
        while True:
            request, done, started = await self._queue.get()
            worker = self._workers[slot]
            if worker is None or not worker.alive:
                worker = await self._replace(slot, worker, "crash")
            self.busy += 1
            try:
                started(worker.pid)
                reply = await asyncio.to_thread(worker.run, request, self.limits.memory_bytes)
            finally:
                self.busy -= 1
            if not done.cancelled():
                done.set_result(reply)
            reason = self._retire_reason(worker, reply)
            if reason:
                await self._replace(slot, worker, reason)

    def _retire_reason(self, worker: Worker, reply: Reply) -> str | None:
        if reply.kind in {"crash", "memory", "timeout"}:
            return reply.kind
        if not worker.alive:
            return "crash"
        if worker.jobs >= self.limits.jobs_per_worker:
            return "jobs"
        if resident_bytes(worker.pid) > self.limits.memory_bytes:
            return "memory"
        return None

    async def _replace(self, slot: int, old: Worker | None, reason: str) -> Worker:
        if old is not None:
            await asyncio.to_thread(old.stop if old.alive else old.kill)
        self._on_restart(reason)
        worker = await asyncio.to_thread(self._new_worker)
        self._workers[slot] = worker
        return worker

    async def close(self) -> None:
        for feeder in self._feeders:
            feeder.cancel()
        for worker in self._workers:
            if worker is not None:
                await asyncio.to_thread(worker.stop)
