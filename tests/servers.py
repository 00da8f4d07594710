"""``exporter serve`` started for real in a subprocess, on a free port (``--port 0``), its
address read from the line it prints once its workers are warm; stopped with SIGTERM."""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
EXPORTER = Path(sys.executable).parent / "exporter"
_STARTED = re.compile(r"serving on (http://\S+?)/ with root (\S+)")


@dataclass
class RunningServer:
    process: subprocess.Popen[str]
    url: str
    root: Path

    def stop(self, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def alive(self) -> bool:
        return self.process.poll() is None


def start_server(*args: str, env: dict[str, str] | None = None, wait: float = 90) -> RunningServer:
    """``exporter serve --port 0 ARGS...``, once it says where it listens."""
    process = subprocess.Popen(
        [str(EXPORTER), "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
    assert process.stdout is not None
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            line = process.stdout.readline()
            if found := _STARTED.search(line):
                return RunningServer(process, found.group(1), Path(found.group(2)))
        if process.poll() is not None:
            raise RuntimeError(f"exporter serve ended: {process.stderr.read()}")  # type: ignore[union-attr]
    process.kill()
    raise RuntimeError("exporter serve did not start in time")


@contextmanager
def running_server(*args: str, env: dict[str, str] | None = None) -> Iterator[RunningServer]:
    server = start_server(*args, env=env)
    try:
        yield server
    finally:
        server.stop()


def serving(*args: str) -> Iterator[RunningServer]:
    """A module's server, for a fixture to ``yield from``: it must stop cleanly (status 0)."""
    running = start_server(*args)
    yield running
    assert running.stop() == 0


def client_of(server: RunningServer, timeout: float) -> Iterator[httpx.Client]:
    """A module's HTTP client of ``server``, for a fixture to ``yield from``."""
    with httpx.Client(base_url=server.url, timeout=timeout) as http:
        yield http


def process_tree(pid: int) -> list[int]:
    """``pid`` and every process below it, from /proc."""
    found = [pid]
    for member in found:
        try:
            tasks = Path(f"/proc/{member}/task").iterdir()
            for task in tasks:
                children = (task / "children").read_text().split()
                found.extend(int(child) for child in children)
        except OSError:
            continue
    return found


def tree_rss_bytes(pid: int) -> int:
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for member in process_tree(pid):
        try:
            total += int(Path(f"/proc/{member}/statm").read_text().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
    return total


def left_in(root: Path) -> list[Path]:
    """The files under ``root`` once the last answer's folder is removed (just after it
    is sent)."""
    for _ in range(50):
        # os.walk, not rglob: a folder removed meanwhile is skipped, not an error.
        left = [Path(top, name) for top, _, names in os.walk(root) for name in names]
        if not left:
            break
        time.sleep(0.05)
    return left
