"""Bad input: one line on stderr naming the file and the problem, exit 1, nothing written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.readers import run_cli

CASES = {
    "missing": (None, r"missing\.md: file not found"),
    "latin1": ("---\ntitle: ok\n---\n\nمرحبا".encode() + b"\n\xe9t\xe9\n",
               r"latin1\.md:6: not valid UTF-8: byte 0xe9 at offset 30 \(line 6, column 1\)"),
    "yaml-syntax": ("---\ntitle: [unclosed\nlang: ar\n---\n\nنص\n".encode(),
                    r"yaml-syntax\.md:\d+: front matter is not valid YAML"),
    "wrong-type": ("---\ntitle: عنوان\nauthor:\n  - {x: 1}\n---\n\nنص\n".encode(),
                   r"wrong-type\.md:3: author must be text or a list of text"),
    "title-type": ("---\ntitle: [1, 2]\n---\n\nنص\n".encode(),
                   r"title-type\.md:2: title must be text"),
    "bad-date": ("---\ntitle: عنوان\ndate: 2026-02-30\n---\n\nنص\n".encode(),
                 r"bad-date\.md:3: date has an impossible value"),
    "not-mapping": ("---\n- a\n- b\n---\n\nنص\n".encode(),
                    r"not-mapping\.md:2: front matter must be a mapping"),
    "bad-lang": ("---\ntitle: عنوان\nlang: 'ar; x'\n---\n\nنص\n".encode(),
                 r"bad-lang\.md:3: lang must be a language tag"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gives_one_line_and_writes_nothing(tmp_path: Path, name: str) -> None:
    content, expected = CASES[name]
    source = tmp_path / f"{name}.md"
    if content is not None:
        source.write_bytes(content)
    out_dir = tmp_path / "out"
    done = run_cli("build", str(source), "-o", str(out_dir))
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"error: {source}")
    assert re.search(expected, lines[0]), lines[0]
    assert "Traceback" not in done.stderr
    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_a_bad_input_does_not_stop_the_others(tmp_path: Path) -> None:
    good = tmp_path / "good.md"
    good.write_text("---\ntitle: جيد\n---\n\nنص **عربي** قصير.\n", encoding="utf-8")
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\xff\xfe")
    done = run_cli("build", str(bad), str(good), "-o", str(tmp_path / "out"), "-f", "html")
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1
    assert (tmp_path / "out" / "good.html").is_file()
    assert not (tmp_path / "out" / "bad.html").exists()


def test_usage_error_exits_2(tmp_path: Path) -> None:
    done = run_cli("build", "x.md", "-f", "docx")
    assert done.returncode == 2
    assert "unknown format docx" in done.stderr


def test_a_reader_that_goes_away_stops_it_without_a_traceback(tmp_path: Path) -> None:
    """``exporter build ... | head -0``: stdout's reader is gone before the first line."""
    source = tmp_path / "short.md"
    source.write_text("# عنوان\n\nنص.\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "exporter", "build", str(source), "-f", "html", "-o",
         str(tmp_path / "out")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    process.stdout.close()
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 1
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
