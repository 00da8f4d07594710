"""The real command under faults: started in a process group of its own, its processes
found afterwards by a mark in their environment (every child inherits it), its output
folder checked for temporaries and for a manifest that matches the files."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2

from exporter.manifest import MANIFEST_NAME

COMMAND = Path(sys.executable).parent / "exporter"
SHORT = "---\ntitle: {title}\n---\n\n## قسم\n\nنص قصير فيه *تأكيد* و**قوة** رقم {number}.\n"


@dataclass
class Run:
    """One ``exporter build`` in its own process group, as a user's shell starts it."""

    process: subprocess.Popen[str]
    mark: str
    out: Path

    @classmethod
    def start(cls, *args: str | Path, out: Path) -> Run:
        mark = uuid.uuid4().hex
        process = subprocess.Popen(
            [str(COMMAND), "build", *map(str, args), "-o", str(out)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "EXPORTER_FAULT_MARK": mark}, start_new_session=True,
        )  # fmt: skip
        return cls(process, mark, out)

    def signal(self, signum: int, *, group: bool = False) -> None:
        """``group``: to every process of the group, as a terminal's Ctrl-C does."""
        if group:
            os.killpg(self.process.pid, signum)
        else:
            self.process.send_signal(signum)

    def finish(self, timeout: float = 600) -> Done:
        """Wait for the command itself (not for children that might hold its pipes)."""
        status = self.process.wait(timeout=timeout)
        gone = wait_until(lambda: not live_processes(self.mark), 10)
        left = live_processes(self.mark)
        for pid in left:  # so that a failed test leaves nothing running either
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        stdout, stderr = self.process.communicate(timeout=30)
        return Done(status, stdout, stderr, [] if gone else left)


@dataclass(frozen=True)
class Done:
    status: int
    stdout: str
    stderr: str
    left_running: list[int]

    @property
    def problems(self) -> list[str]:
        return self.stderr.splitlines()


def build(*args: str | Path, out: Path, timeout: float = 600) -> Done:
    return Run.start(*args, out=out).finish(timeout)


def live_processes(mark: str) -> list[int]:
    """The processes, not yet reaped or not, that carry ``mark`` and still run."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if f"EXPORTER_FAULT_MARK={mark}".encode() in environ and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def wait_until(condition: Callable[[], object], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


def part_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def manifest_records(out: Path) -> dict[str, dict]:
    return json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["inputs"]


def assert_consistent(out: Path, expected: dict[Path, tuple[str, ...]]) -> None:
    """Every record of the manifest matches the files in the folder, byte for byte, and
    each input of ``expected`` is recorded with those formats, its outputs readable."""
    records = manifest_records(out)
    for record in records.values():
        for name, digest in record["outputs"].values():
            assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name
    for source, formats in expected.items():
        record = records[str(source.resolve())]
        assert sorted(record["outputs"]) == sorted(formats)
        for fmt in formats:
            assert_readable(out / f"{source.stem}.{fmt}")


def assert_readable(path: Path) -> None:
    """The output opens as its format: a PDF with pages, an EPUB package, a web page."""
    if path.suffix == ".pdf":
        document = pypdfium2.PdfDocument(path)
        assert len(document) >= 1
        document.close()
    elif path.suffix == ".epub":
        with zipfile.ZipFile(path) as package:
            assert package.read("mimetype") == b"application/epub+zip"
    else:
        assert "<html" in path.read_text(encoding="utf-8")


def assert_clean(done: Done, out: Path) -> None:
    """No process of the run left, no temporary in its folder, no traceback."""
    assert done.left_running == []
    assert not out.exists() or part_files(out) == []
    assert "Traceback" not in done.stderr, done.stderr


def errors(done: Done) -> list[str]:
    return [line for line in done.problems if not line.startswith("warning: ")]


def write_articles(folder: Path, count: int, prefix: str = "article") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"{prefix}-{number}.md"
        path.write_text(SHORT.format(title=f"مقال {number}", number=number), encoding="utf-8")
        paths.append(path)
    return paths


@contextlib.contextmanager
def small_disk(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``where`` (root only), unmounted afterwards."""
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                             capture_output=True, text=True)  # fmt: skip
    if mounted.returncode != 0:
        import pytest

        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}): no small disk")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def remount(where: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(where)], check=True)


def fill(folder: Path) -> None:
    """Write filler files until the file system has no byte left."""
    for size in (1 << 16, 1 << 12, 1 << 9, 1 << 6, 1):
        with contextlib.suppress(OSError), (folder / f"filler-{size}").open("wb") as filler:
            while True:
                filler.write(b"\0" * size)
                filler.flush()
