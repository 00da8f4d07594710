"""``exporter serve``'s flags, and the command itself: settings checked, then the server
run (``server.py``); a problem is one line and exit status 1 (2 for a usage error)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..errors import EXIT_FAILED, EXIT_USAGE, RunError, escape_controls
from ..options import Options

MIB = 1024 * 1024


def add_arguments(serve: argparse.ArgumentParser) -> None:
    add = serve.add_argument
    add("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    add("--port", type=int, default=8000, help="port to listen on; 0: a free one (default: 8000)")
    add(
        "--workers",
        type=int,
        default=0,
        metavar="N",
        help="warm worker processes (default: 0, one per core)",
    )
    add(
        "--token-file",
        type=Path,
        metavar="FILE",
        help="the bearer token clients must send; needed when bound to a non-loopback address "
        "(or set EXPORTER_TOKEN)",
    )
    add(
        "--queue",
        type=int,
        default=32,
        metavar="N",
        help="jobs that may wait for a worker before requests get 429 (default: 32)",
    )
    add(
        "--max-upload",
        type=int,
        default=20 * MIB,
        metavar="BYTES",
        help="largest request body (default: 20 MiB)",
    )
    add(
        "--max-files",
        type=int,
        default=200,
        metavar="N",
        help="most files in a zip, or images beside a Markdown file (default: 200)",
    )
    add(
        "--max-unpacked",
        type=int,
        default=50 * MIB,
        metavar="BYTES",
        help="most bytes a zip may unpack to (default: 50 MiB)",
    )
    add(
        "--sync-limit",
        type=int,
        default=256 * 1024,
        metavar="BYTES",
        help="uploads larger than this are answered 202 with a job (default: 256 KiB)",
    )
    add(
        "--jobs-per-worker",
        type=int,
        default=200,
        metavar="N",
        help="replace a worker after this many jobs (default: 200)",
    )
    add(
        "--worker-memory",
        type=int,
        default=1536,
        metavar="MIB",
        help="replace a worker whose memory passes this; a job that passes it fails "
        "(default: 1536)",
    )
    add(
        "--keep",
        type=float,
        default=600.0,
        metavar="S",
        help="seconds a finished job's files are kept for GET (default: 600)",
    )
    add(
        "--root",
        type=Path,
        metavar="DIR",
        help="folder for the jobs' folders (default: a new temporary folder; with --scheduler, "
        "one the Dask workers see at the same path)",
    )
    add("--library", type=Path, metavar="DIR", help="serve DIR's OPDS catalog at /opds")
    for name, metavar, flag_help in (
        (
            "--timeout",
            "S",
            "a job's time limit in seconds, the most a client may ask (default: 120)",
        ),
        ("--max-size", "BYTES", "largest Markdown file or image accepted (default: 10 MB)"),
    ):
        add(name, type=int, metavar=metavar, help=flag_help)
    add(
        "--allow-remote",
        action="store_true",
        default=None,
        help="let articles name http(s) images (public addresses only)",
    )
    add(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="run the jobs on this Dask cluster (needs the dask extra)",
    )
    add("--debug", action="store_true", help=argparse.SUPPRESS)


def main(namespace: argparse.Namespace, options: Options, stdout: TextIO, stderr: TextIO) -> int:
    from .config import ServeConfig

    numbers = (
        "port",
        "workers",
        "queue",
        "max_upload",
        "max_files",
        "max_unpacked",
        "sync_limit",
        "jobs_per_worker",
        "worker_memory",
        "keep",
    )
    for name in numbers:
        if getattr(namespace, name) < (0 if name in ("port", "workers") else 1):
            stderr.write(f"exporter: usage error: --{name.replace('_', '-')} is too small\n")
            return EXIT_USAGE
    try:
        from .auth import load_token
        from .server import run_serve

        token = load_token(namespace.host, namespace.token_file)
        config = ServeConfig(
            host=namespace.host,
            port=namespace.port,
            workers=namespace.workers,
            token=token,
            options=options,
            queue=namespace.queue,
            max_upload=namespace.max_upload,
            max_files=namespace.max_files,
            max_unpacked=namespace.max_unpacked,
            sync_limit=namespace.sync_limit,
            jobs_per_worker=namespace.jobs_per_worker,
            worker_memory=namespace.worker_memory * MIB,
            keep_seconds=namespace.keep,
            root=namespace.root,
            scheduler=options.scheduler,
            library=namespace.library,
        )
        return run_serve(config, stdout)
    except RunError as error:
        stderr.write(f"exporter: error: {escape_controls(error.problem)}\n")
        return EXIT_FAILED
