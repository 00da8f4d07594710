"""The preview of ``exporter watch --preview``: the output folder's HTML files served on
127.0.0.1 only, each with a small script that listens for server-sent events
(``/_events``) and reloads the page when its file has been exported again. The files are
served as written; the script is added to the response only."""

from __future__ import annotations

import contextlib
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import jinja2

from ..bundle import TEMPLATES_DIR

_HEARTBEAT_SECONDS = 15.0
_RELOAD_SCRIPT = b'<script src="/_reload.js"></script>'


class Preview:
    def __init__(self, out_dir: Path, port: int = 0) -> None:
        self.out_dir = out_dir
        self.names: list[str] = []
        self._version = 0
        self._last: list[str] = []
        self._changed = threading.Condition()
        self._stopping = False
        handler = type("Handler", (_Handler,), {"preview": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> None:
        self._thread.start()

    def exported(self, name: str) -> None:
        """Tell the pages listening that ``name`` (an HTML file's name) was written again."""
        with self._changed:
            if name not in self.names:
                self.names.append(name)
            self._version += 1
            self._last = [name]
            self._changed.notify_all()

    def wait(self, seen: int) -> tuple[int, list[str]]:
        with self._changed:
            self._changed.wait_for(
                lambda: self._version != seen or self._stopping, _HEARTBEAT_SECONDS
            )
            return self._version, (self._last if self._version != seen else [])

    def stop(self) -> None:
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    preview: Preview

    def log_message(self, format: str, *args: object) -> None:
        return  # the terminal shows the exports, not the requests

    def do_GET(self) -> None:
        path = unquote(self.path.split("?", 1)[0])
        if path == "/_events":
            self._events()
        elif path == "/_reload.js":
            script = (TEMPLATES_DIR / "watch" / "reload.js").read_bytes()
            self._send(script, "text/javascript; charset=utf-8")
        elif path == "/":
            self._send(_index(self.preview.names).encode(), "text/html; charset=utf-8")
        else:
            self._page(path.lstrip("/"))

    def _page(self, name: str) -> None:
        if name not in self.preview.names:  # only the pages this run exported
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        html = (self.preview.out_dir / name).read_bytes()
        at = html.rfind(b"</body>")
        html = html[:at] + _RELOAD_SCRIPT + html[at:] if at >= 0 else html + _RELOAD_SCRIPT
        self._send(html, "text/html; charset=utf-8")

    def _send(self, body: bytes, media: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = self.preview.wait(-1)[0]
        with contextlib.suppress(OSError):
            self.wfile.write(b": listening\n\n")
            self.wfile.flush()
            while not self.preview._stopping:
                seen, names = self.preview.wait(seen)
                message = "".join(f"event: export\ndata: {name}\n\n" for name in names)
                self.wfile.write(message.encode() or b": still here\n\n")
                self.wfile.flush()


def _index(names: list[str]) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR / "watch"), autoescape=True
    )
    return env.get_template("index.html.j2").render(names=names)
