"""``exporter watch --preview`` for real: a subprocess exports an article, then exports it
again when the article or an image it uses changes, printing each output as ``exporter
build`` does; its preview sends the reload event, and the page served carries the new text."""

from __future__ import annotations

import queue
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx

from tests.conftest import CORPUS, ROOT
from tests.servers import EXPORTER


class Lines:
    """A process's output, line by line, read on a thread."""

    def __init__(self, stream: object) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.queue.put(line.rstrip("\n"))

    def until(self, wanted: str, seconds: float = 60) -> list[str]:
        seen = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.queue.get(timeout=0.2)
            except queue.Empty:
                continue
            seen.append(line)
            if wanted in line:
                return seen
        raise AssertionError(f"no {wanted!r} in {seen}")


def events(url: str, found: list[str], stop: threading.Event) -> None:
    with httpx.stream("GET", url + "_events", timeout=None) as response:
        for line in response.iter_lines():
            if line.startswith("data: "):
                found.append(line[6:])
            if stop.is_set():
                return


def test_watch_exports_again_on_change_and_the_preview_reloads(tmp_path: Path) -> None:
    folder = tmp_path / "article"
    (folder / "images").mkdir(parents=True)
    shutil.copy(CORPUS / "structure.md", folder / "structure.md")
    shutil.copy(CORPUS / "images" / "diagram.png", folder / "images" / "diagram.png")
    out = tmp_path / "out"
    process = subprocess.Popen(
        [str(EXPORTER), "watch", str(folder), "-o", str(out), "-f", "html,epub", "--preview"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    stdout, stderr = Lines(process.stdout), Lines(process.stderr)
    try:
        url = stdout.until("preview: ")[-1].removeprefix("preview: ")
        assert url.startswith("http://127.0.0.1:")
        first = stdout.until("structure.epub")  # the formats in the order asked
        assert f"{out}/structure.epub" in first and f"{out}/structure.html" in first
        stderr.until("watching")
        page = httpx.get(url + "structure.html").text
        assert '<script src="/_reload.js"></script></body>' in page
        assert "data:image/png;base64," in page

        found: list[str] = []
        stop = threading.Event()
        threading.Thread(target=events, args=(url, found, stop), daemon=True).start()
        time.sleep(0.5)
        source = folder / "structure.md"
        source.write_text(source.read_text(encoding="utf-8") + "\nفقرة أضيفت الآن.\n",
                          encoding="utf-8")  # fmt: skip
        stdout.until("structure.epub")
        assert "فقرة أضيفت الآن" in (out / "structure.html").read_text(encoding="utf-8")
        assert "فقرة أضيفت الآن" in httpx.get(url + "structure.html").text
        deadline = time.monotonic() + 10
        while not found and time.monotonic() < deadline:
            time.sleep(0.1)
        assert found == ["structure.html"]

        # An image the article uses: removed, the export warns; back, it is embedded again.
        image = folder / "images" / "diagram.png"
        kept = image.read_bytes()
        image.unlink()
        warned = stderr.until("images/diagram.png")
        assert warned[-1].startswith(f"warning: {source}:")
        stdout.until("structure.epub")
        image.write_bytes(kept)
        stdout.until("structure.epub")
        assert "data:image/png;base64," in (out / "structure.html").read_text(encoding="utf-8")

        # A change elsewhere in the folder exports nothing.
        (folder / "notes.txt").write_text("x", encoding="utf-8")
        time.sleep(1.5)
        assert stdout.queue.empty()
        stop.set()
    finally:
        process.send_signal(signal.SIGTERM)
        status = process.wait(30)
    assert status == 0
