"""The front matter's cover is an asset of the parsed article: resolved with the other
images, tracked by the manifest, so that changing only the cover image exports again."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from PIL import Image

from exporter.options import make_options
from exporter.read.parser import parse_article
from exporter.read.source import read_source
from tests.readers import run_cli


def _png(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (160, 256), colour).save(buffer, "PNG")
    return buffer.getvalue()


def _article(folder: Path, cover: bytes) -> Path:
    (folder / "cover.png").write_bytes(cover)
    source = folder / "غلاف.md"
    source.write_text(
        "---\ntitle: مقالة لها غلاف\ncover: cover.png\n---\n\nنص قصير للمقالة.\n",
        encoding="utf-8",
    )
    return source


def _epub_cover(epub: Path) -> bytes:
    with zipfile.ZipFile(epub) as book:
        [name] = [n for n in book.namelist() if Path(n).stem == "cover" and n.endswith(".png")]
        return book.read(name)


def test_the_cover_is_resolved_with_the_article(tmp_path: Path) -> None:
    red = _png((200, 30, 30))
    article = parse_article(read_source(_article(tmp_path, red)), make_options())
    assert article.cover is not None
    assert article.cover.data == red and article.cover.media_type == "image/png"
    assert article.cover.path == (tmp_path / "cover.png").resolve()
    assert article.assets == ()  # the body shows no image: the cover is apart from them


def test_changing_only_the_cover_image_exports_the_epub_again(tmp_path: Path) -> None:
    source = _article(tmp_path, _png((200, 30, 30)))
    out = tmp_path / "out"
    first = run_cli("build", str(source), "-f", "epub", "-o", str(out))
    assert first.returncode == 0, first.stderr
    epub = out / f"{source.stem}.epub"
    assert _epub_cover(epub) == (tmp_path / "cover.png").read_bytes()

    unchanged = run_cli("build", str(source), "-f", "epub", "-o", str(out))
    assert "skipped:" in unchanged.stdout + unchanged.stderr

    blue = _png((30, 30, 200))
    (tmp_path / "cover.png").write_bytes(blue)
    second = run_cli("build", str(source), "-f", "epub", "-o", str(out))
    assert second.returncode == 0, second.stderr
    assert "skipped:" not in second.stdout + second.stderr
    assert _epub_cover(epub) == blue
