"""Jobs and their states, each in a fresh folder of its own under the server's root:
``in/`` holds only the upload, ``out/`` the outputs. A job's folder is removed when the job
is deleted, when it expires, or, for a job answered at once, once the answer is sent."""

from __future__ import annotations

import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from .worker import Reply

State = Literal["queued", "running", "done", "failed"]

# The HTTP status of each kind of failed job (``worker.Reply.kind``).
STATUS_OF_KIND = {
    "input": 422,
    "timeout": 504,
    "memory": 422,
    "crash": 500,
    "internal": 500,
}


@dataclass
class Job:
    id: str
    folder: Path
    source_name: str
    formats: tuple[str, ...]
    created: float = field(default_factory=time.time)
    state: State = "queued"
    reply: Reply | None = None
    worker: int | None = None
    finished: float | None = None
    deleted: bool = False  # deleted while it ran: its folder is removed when it ends

    @property
    def inputs(self) -> Path:
        return self.folder / "in"

    @property
    def outputs(self) -> Path:
        return self.folder / "out"

    @property
    def files(self) -> tuple[str, ...]:
        return self.reply.files if self.reply and self.reply.ok else ()

    @property
    def status(self) -> int:
        """The HTTP status a request waiting for this job gets."""
        if self.reply is None or self.reply.ok:
            return 200
        return STATUS_OF_KIND.get(self.reply.kind or "internal", 500)

    def started(self, worker: int) -> None:
        self.state = "running"
        self.worker = worker

    def finish(self, reply: Reply) -> None:
        self.reply = reply
        self.state = "done" if reply.ok else "failed"
        self.finished = time.time()

    def describe(self, base: str) -> dict[str, object]:
        """The job's JSON: its state, warnings, error and files (each with its URL)."""
        reply = self.reply
        return {
            "id": self.id,
            "state": self.state,
            "source": self.source_name,
            "formats": list(self.formats),
            "worker": self.worker,
            "warnings": list(reply.warnings) if reply else [],
            "error": reply.error if reply and not reply.ok else None,
            "status": self.status if self.state in ("done", "failed") else None,
            "seconds": round(reply.seconds, 3) if reply else None,
            "files": [
                {"name": name, "url": f"{base}/v1/jobs/{self.id}/files/{quote(name)}"}
                for name in self.files
            ],
        }


class JobStore:
    """The jobs a client may still ask about, and their folders under ``root``."""

    def __init__(self, root: Path, keep_seconds: float) -> None:
        self.root = root
        self.keep_seconds = keep_seconds
        self._jobs: dict[str, Job] = {}

    def new(self, source_name: str, formats: tuple[str, ...]) -> Job:
        job_id = secrets.token_urlsafe(12)
        folder = self.root / f"job-{job_id}"
        (folder / "in").mkdir(parents=True)
        (folder / "out").mkdir()
        return Job(job_id, folder, source_name, formats)

    def keep(self, job: Job) -> None:
        self._jobs[job.id] = job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def active(self) -> int:
        return sum(job.state in ("queued", "running") for job in self._jobs.values())

    def delete(self, job: Job) -> None:
        self._jobs.pop(job.id, None)
        if job.state in ("queued", "running"):
            job.deleted = True
        else:
            remove_folder(job.folder)

    def expire(self, now: float | None = None) -> int:
        """Remove the finished jobs older than ``keep_seconds``; how many."""
        now = time.time() if now is None else now
        old = [
            job
            for job in self._jobs.values()
            if job.finished is not None and now - job.finished > self.keep_seconds
        ]
        for job in old:
            self.delete(job)
        return len(old)

    def clear(self) -> None:
        for job in list(self._jobs.values()):
            self.delete(job)


def remove_folder(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
