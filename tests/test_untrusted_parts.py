"""The pieces behind the hostile corpus, each on its own: address checks, image headers,
the SVG sanitiser, the nesting count, and the command line's handling of failures."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from exporter.errors import ResourceError
from exporter.read.images import declared_size, sniff_media_type
from exporter.read.limits import nesting_depth
from exporter.read.remote import fetch_remote, is_public
from exporter.read.svg import sanitize_svg
from tests.hostile_corpus import LoopbackListener
from tests.readers import run_cli


@pytest.mark.parametrize(
    ("address", "public"),
    [("93.184.215.14", True), ("2606:4700::6810:84e5", True), ("127.0.0.1", False),
     ("127.8.9.10", False), ("::1", False), ("10.1.2.3", False), ("172.16.0.1", False),
     ("192.168.1.1", False), ("169.254.169.254", False), ("fe80::1", False),
     ("fd00::1", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),
     ("::ffff:127.0.0.1", False), ("::ffff:10.0.0.1", False), ("2002:7f00:1::", False)],
)  # fmt: skip
def test_only_public_addresses_are_reachable(address: str, public: bool) -> None:
    assert is_public(address) is public


def test_fetching_a_loopback_url_never_connects() -> None:
    listener = LoopbackListener()
    try:
        for host in ("127.0.0.1", "localhost", "[::1]", "0x7f.1"):
            with pytest.raises(ResourceError):
                fetch_remote(f"http://{host}:{listener.port}/x.png", timeout=2, max_bytes=100)
        with pytest.raises(ResourceError, match="not an http or https URL"):
            fetch_remote(f"ftp://127.0.0.1:{listener.port}/x", timeout=2, max_bytes=100)
    finally:
        listener.close()
    assert listener.connections == 0


def _encoded(fmt: str, size: tuple[int, int], **options: object) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA" if fmt in {"PNG", "WEBP"} else "RGB", size, "#c22").save(
        buffer, fmt, **options
    )
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("fmt", "options", "media_type"),
    [("PNG", {}, "image/png"), ("JPEG", {}, "image/jpeg"),
     ("JPEG", {"progressive": True}, "image/jpeg"), ("GIF", {}, "image/gif"),
     ("WEBP", {"lossless": True}, "image/webp"), ("WEBP", {"quality": 50}, "image/webp"),
     ("WEBP", {"exif": b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00"}, "image/webp")],
)  # fmt: skip
def test_header_size_matches_what_pillow_decodes(
    fmt: str, options: dict[str, object], media_type: str
) -> None:
    data = _encoded(fmt, (321, 123), **options)
    assert sniff_media_type(data) == media_type
    assert declared_size(data, media_type) == (321, 123)
    assert Image.open(io.BytesIO(data)).size == (321, 123)


def test_a_damaged_header_is_refused_and_text_is_no_image() -> None:
    with pytest.raises(ResourceError, match="damaged"):
        declared_size(b"\xff\xd8\xff\xe0\x00", "image/jpeg")
    assert sniff_media_type(b"GIF8 not quite") is None
    assert sniff_media_type(b"<html><body>x</body></html>") is None


def test_svg_keeps_its_drawing_and_loses_everything_else() -> None:
    svg = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">
      <defs><radialGradient id="r"/></defs>
      <rect width="5" height="5" fill="url(#r)" onmouseover="x()"/>
      <text>visible<script>evil()</script> tail</text>
      <use x:href="http://example.com/a.svg#b"/><use href="#r"/>
    </svg>"""
    clean = sanitize_svg(svg)
    assert b'fill="url(#r)"' in clean and b"visible" in clean and b" tail" in clean
    assert b"script" not in clean and b"onmouseover" not in clean
    assert b"example.com" not in clean and b'href="#r"' in clean


@pytest.mark.parametrize(
    "svg",
    [b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
     b'<svg xmlns="http://www.w3.org/2000/svg">&undefined;</svg>',
     b"<html><svg/></html>", b"<svg xmlns='http://www.w3.org/2000/svg'><unclosed></svg>"],
)  # fmt: skip
def test_svg_with_entities_or_not_svg_is_refused(svg: bytes) -> None:
    with pytest.raises(ResourceError):
        sanitize_svg(svg)


@pytest.mark.parametrize(
    ("html", "depth"),
    [("<p>a</p><p>b</p>", 0), ("<div><div><span>x</span></div></div>", 3),
     ("<p>" * 500, 0), ("<li>" * 300, 0), ("<td>" * 300, 0), ("<br><img src=x><hr/>", 0),
     ("<blockquote>" * 7 + "</blockquote>" * 7 + "<div>", 7), ("<b>" * 1000, 1000),
     ('<div title="a>b"><div>', 2), ("</div>" * 10 + "<i>", 1)],
)  # fmt: skip
def test_nesting_is_counted_as_a_parser_builds_it(html: str, depth: int) -> None:
    assert nesting_depth(html) == depth


ONE_IMAGE = "---\ntitle: صورة\n---\n\nنص ![سر](../outside.png) بعده.\n"


def test_strict_turns_a_refused_image_into_an_error(tmp_path: Path) -> None:
    source = tmp_path / "in" / "strict.md"
    source.parent.mkdir()
    source.write_text(ONE_IMAGE, encoding="utf-8")
    done = run_cli("build", str(source), "-o", str(tmp_path / "out"), "-f", "html", "--strict")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"error: {source}:5: image '../outside.png' lies outside the article's folder: left out"
    ]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_remote_image_is_not_fetched_without_allow_remote(tmp_path: Path) -> None:
    listener = LoopbackListener()
    try:
        source = tmp_path / "remote.md"
        source.write_text(f"![ب](http://127.0.0.1:{listener.port}/a.png)\n", encoding="utf-8")
        done = run_cli("build", str(source), "-o", str(tmp_path / "out"), "-f", "html,pdf")
    finally:
        listener.close()
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(
        rf"warning: {re.escape(str(source))}:1: image 'http://127\.0\.0\.1:\d+/a\.png' is a "
        r"remote URL, not fetched without --allow-remote: left out\n",
        done.stderr,
    )
    assert listener.connections == 0


def test_timeout_stops_the_export_and_keeps_the_earlier_output(tmp_path: Path) -> None:
    source = tmp_path / "long.md"
    source.write_text("\n\n".join(f"فقرة رقم {i} من نص طويل." * 8 for i in range(3000)))
    out = tmp_path / "out"
    out.mkdir()
    (out / "long.pdf").write_bytes(b"an earlier export")
    done = run_cli("build", str(source), "-o", str(out), "-f", "pdf", "--timeout", "1")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"error: {source}: the export took longer than 1 s and was stopped (raise --timeout)"
    ]
    assert (out / "long.pdf").read_bytes() == b"an earlier export"
    assert [p.name for p in out.iterdir()] == ["long.pdf"]


def test_error_line_escapes_control_characters_in_the_file_name(tmp_path: Path) -> None:
    source = tmp_path / "bad\x1b[2J\u202eevil\nname.md"
    source.write_bytes(b"\xff")
    done = run_cli("build", str(source), "-o", str(tmp_path / "out"))
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert "bad\\x1b[2J\\u202eevil\\x0aname.md:1: not valid UTF-8" in line
    assert not re.search("[\x00-\x1f\u202a-\u202e\u2066-\u2069]", line)


def test_debug_alone_shows_a_traceback(tmp_path: Path) -> None:
    source = tmp_path / "bad.md"
    source.write_text("---\ntitle: [x\n---\n", encoding="utf-8")
    quiet = run_cli("build", str(source), "-o", str(tmp_path / "out"))
    loud = run_cli("build", str(source), "-o", str(tmp_path / "out"), "--debug")
    assert "Traceback" not in quiet.stderr and len(quiet.stderr.splitlines()) == 1
    assert "Traceback" in loud.stderr
    assert loud.stderr.splitlines()[-1] == quiet.stderr.splitlines()[0]


def test_dead_links_lose_their_target_and_ids_stay_unique(tmp_path: Path) -> None:
    source = tmp_path / "links.md"
    source.write_text(
        '## أ {#same}\n\n<div id="same">ب</div> <span id="fn-1">ج</span>\n\n'
        "[هنا](#same) [غائب](#missing) [ملف](other.md) [ويب](https://example.com/) نص[^1]\n\n"
        "[^1]: حاشية [رجوع](#same)\n",
        encoding="utf-8",
    )
    done = run_cli("build", str(source), "-o", str(tmp_path / "out"), "-f", "html")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        f"warning: {source}:5: link '#missing' points to nothing in the article: kept as text",
        f"warning: {source}:5: link 'other.md' leads to a file that is not exported with the "
        "article: kept as text",
    ]
    html = (tmp_path / "out" / "links.html").read_text(encoding="utf-8")
    ids = re.findall(r'\sid="([^"]*)"', html)
    assert len(ids) == len(set(ids)) and "same" in ids and "fn-1" in ids
    targets = set(re.findall(r'\shref="([^"]*)"', html))
    assert targets == {"#same", "https://example.com/", "#fn-1", "#fnref-1"}
