"""The hostile corpus, laid out for one run: the committed cases of ``tests/hostile/``
copied into an input folder, the cases too big, binary or machine-specific to commit
generated beside them, and secret files placed one level up, outside the folder."""

from __future__ import annotations

import shutil
import socket
import struct
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "hostile"
SECRET = b"SECRET-3c1f9e-must-never-reach-an-output"


def png(width: int, height: int, *, text: bytes = b"", pixels: bool = True) -> bytes:
    """A real PNG; with ``pixels=False`` only its header, declaring the size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    extra = chunk(b"tEXt", b"Comment\x00" + text) if text else b""
    rows = b"".join(b"\x00" + b"\x22\x66\xcc" * width for _ in range(height)) if pixels else b""
    data = chunk(b"IDAT", zlib.compress(rows)) if pixels else b""
    return b"\x89PNG\r\n\x1a\n" + header + extra + data + chunk(b"IEND", b"")


class LoopbackListener:
    """A real TCP server on 127.0.0.1 that counts the connections it receives."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()


def generated_cases(port: int) -> dict[str, bytes]:
    """Cases written by the test: binary, large, or naming a port known only now."""
    remote = f"http://127.0.0.1:{port}"
    controls = (
        '---\ntitle: "عنوان \u202eمقلوب\u202c"\nauthor: "كاتب\u2066 معزول"\n---\n\n'
        "## عنوان \u202eفيه تجاوز\u202c\n\n"
        "نص فيه \u202eabc\u202c و\u2066xyz\u2069 ومحارف تحكم \x07\x1b[2J\x08 و\x0c و\x7f و\x85.\n"
    )
    bom_crlf = "---\r\ntitle: عنوان بعلامة ترتيب\r\n---\r\n\r\n## قسم\r\n\r\nسطر\r\nسطر ثان\r\n"
    return {
        "invalid-utf8.md": "---\ntitle: نص\n---\n\nبداية".encode() + b" \xc3\x28 end\n",
        "binary.md": png(4, 4),
        "nul-byte.md": "نص".encode() + b"\x00\x01\x02 binary\n",
        "empty.md": b"",
        "bom-crlf.md": b"\xef\xbb\xbf" + bom_crlf.encode(),
        "controls.md": controls.encode(),
        "deep-blockquotes.md": ("> " * 200 + "نص عميق\n").encode(),
        "deep-lists.md": "".join("  " * i + "- بند\n" for i in range(120)).encode(),
        "deep-html.md": ("<div>" * 30000 + "نص\n").encode(),
        "many-footnotes.md": (
            " ".join(f"ن[^{i}]" for i in range(3000))
            + "\n\n"
            + "\n".join(f"[^{i}]: حاشية {i}" for i in range(3000))
        ).encode(),
        "huge-pixels.md": "---\ntitle: بكسلات\n---\n\n![ض](huge.png) ![ص](red.png)\n".encode(),
        "huge.png": png(30000, 30000, pixels=False),
        "pathological.md": (
            "نص\n\n"
            + "[" * 6000
            + "\n\n"
            + "*" * 6000
            + "\n\n"
            + "_a" * 3000
            + "\n\n"
            + "![[" * 2000
            + "\n\n"
            + "<" * 5000
            + "\n\n"
            + "`" * 3000
            + "\n"
        ).encode(),
        "too-large.md": b"# x\n" + b"a" * (10 * 1024 * 1024),
        "remote.md": (
            f"---\ntitle: بعيد\n---\n\n![بعيدة]({remote}/a.png)\n\n"
            f'<img src="http://localhost:{port}/b.png" alt="خام">\n\n'
            f"![ستة](http://[::1]:{port}/c.png) ![خاص](http://10.0.0.1:{port}/d.png)\n\n"
            f"[رابط عادي]({remote}/page)\n"
        ).encode(),
    }


@dataclass
class Corpus:
    root: Path  # holds the secrets
    inputs: Path  # the article folder: everything the articles may use
    secrets: list[bytes] = field(default_factory=list)


def lay_out(root: Path, port: int) -> Corpus:
    inputs = root / "in"
    shutil.copytree(CORPUS, inputs)
    for name, data in generated_cases(port).items():
        (inputs / name).write_bytes(data)
    secret_png = png(6, 6, text=SECRET)
    (root / "secret.txt").write_bytes(SECRET + b"\n")
    (root / "secret.png").write_bytes(secret_png)
    (root / "secret.svg").write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg"><text id="x">' + SECRET + b"</text></svg>"
    )
    (inputs / "link-out.png").symlink_to(root / "secret.png")
    (inputs / "linked-dir").symlink_to(root, target_is_directory=True)
    return Corpus(root=root, inputs=inputs, secrets=[SECRET, secret_png[-60:]])
