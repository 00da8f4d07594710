"""Debian's Chromium, headless, driven over the DevTools protocol on a pipe: a page opened
at a phone's width (or any), in the light or the dark colour scheme, measured with a
script once its fonts have loaded, or photographed.

The window of a headless Chromium is never narrower than 500 px, so the width is set the
way DevTools' device mode sets it (``Emulation.setDeviceMetricsOverride``), and the colour
scheme as its rendering panel does (``Emulation.setEmulatedMedia``). The protocol runs on
file descriptors 3 and 4, one JSON message after another, each ended by a NUL byte
(``--remote-debugging-pipe``): no port is opened and nothing but Chromium is needed.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from tests.ebook_readers import chromium

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--remote-debugging-pipe",
)  # fmt: skip


class Browser:
    """One Chromium process; ``open`` gives a page in it."""

    def __init__(self, process: subprocess.Popen[bytes], to_browser: int, from_browser: int):
        self.process = process
        self._out = os.fdopen(to_browser, "wb")
        self._in = os.fdopen(from_browser, "rb")
        self._buffer = b""
        self._next_id = 0

    def _read(self) -> dict[str, object]:
        while b"\0" not in self._buffer:
            chunk = self._in.read1(1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def call(self, method: str, session: str | None = None, **params: object) -> dict:
        self._next_id += 1
        request: dict[str, object] = {"id": self._next_id, "method": method, "params": params}
        if session:
            request["sessionId"] = session
        self._out.write(json.dumps(request).encode() + b"\0")
        self._out.flush()
        while True:
            message = self._read()
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]  # type: ignore[return-value]

    def wait_for(self, event: str, session: str) -> None:
        while True:
            message = self._read()
            if message.get("method") == event and message.get("sessionId") == session:
                return

    def open(self, page: Path, *, width: int, height: int, dark: bool = False) -> Page:
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Emulation.setDeviceMetricsOverride", session, width=width, height=height,
                  deviceScaleFactor=1, mobile=False)  # fmt: skip
        scheme = "dark" if dark else "light"
        self.call("Emulation.setEmulatedMedia", session,
                  features=[{"name": "prefers-color-scheme", "value": scheme}])  # fmt: skip
        self.call("Page.enable", session)
        self.call("Page.navigate", session, url=page.resolve().as_uri())
        self.wait_for("Page.loadEventFired", session)
        return Page(self, session)


class Page:
    def __init__(self, browser: Browser, session: str):
        self.browser = browser
        self.session = session

    def measure(self, body: str) -> object:
        """The value of a JavaScript function body (JSON-able), run once the page's fonts
        have loaded."""
        expression = f"document.fonts.ready.then(() => JSON.stringify((() => {{{body}}})()))"
        result = self.browser.call("Runtime.evaluate", self.session, expression=expression,
                                   awaitPromise=True, returnByValue=True)  # fmt: skip
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return json.loads(result["result"]["value"])

    def screenshot(self, target: Path) -> Path:
        """The viewport as a PNG."""
        self.measure("return null;")  # the fonts have loaded
        shot = self.browser.call("Page.captureScreenshot", self.session, format="png")
        target.write_bytes(base64.b64decode(shot["data"]))
        return target


@contextmanager
def browser() -> Iterator[Browser]:
    """A headless Chromium with a profile of its own, closed on the way out."""
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        to_read, to_browser = os.pipe()  # Chromium reads commands on its fd 3
        from_browser, to_write = os.pipe()  # and writes answers on its fd 4

        def pipes_at_3_and_4() -> None:
            # Moved out of the way first: either end may itself be fd 3 or 4.
            read_end, write_end = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_read, to_write))
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        process = subprocess.Popen(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=pipes_at_3_and_4, pass_fds=(3, 4),
        )  # fmt: skip
        os.close(to_read)
        os.close(to_write)
        instance = Browser(process, to_browser, from_browser)
        try:
            yield instance
        finally:
            with suppress(RuntimeError, OSError):  # it may be gone already
                instance.call("Browser.close")
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            instance._out.close()
            instance._in.close()
