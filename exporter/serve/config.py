"""The service's settings, from ``exporter serve``'s flags."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..options import Options


@dataclass(frozen=True)
class ServeConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 0  # 0: one per core
    token: str | None = None
    options: Options = field(
        default_factory=Options
    )  # the server's defaults and ceilings (timeout, max_size)
    queue: int = 32  # jobs waiting for a worker before 429
    max_upload: int = 20 * 1024 * 1024  # bytes of one request's body
    max_files: int = 200  # entries of a zip, images beside a Markdown file
    max_unpacked: int = 50 * 1024 * 1024  # bytes a zip may unpack to
    sync_limit: int = 256 * 1024  # an upload larger than this is answered with 202
    jobs_per_worker: int = 200
    worker_memory: int = 1536 * 1024 * 1024  # bytes
    keep_seconds: float = 600.0  # how long a finished async job's files are kept
    root: Path | None = None  # the jobs' folders (default: a fresh temporary folder)
    scheduler: str | None = None  # a Dask scheduler's address: jobs run there
    library: Path | None = None  # a folder whose OPDS catalog is served at /opds
