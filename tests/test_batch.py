"""Many inputs: a folder with a bad file, the summary, and incremental runs."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from exporter.cli import main
from exporter.manifest import MANIFEST_NAME
from tests.readers import run_cli

# Slow tier (make test-fast leaves it out): batch runs of many inputs, a Dask cluster.
pytestmark = pytest.mark.slow

ARTICLE = "---\ntitle: {title}\n---\n\n## قسم\n\nنص قصير فيه *تأكيد* و**قوة** رقم {number}.\n"
SUMMARY = re.compile(r"^exported (\d+), skipped (\d+), failed (\d+) in \d+\.\d s$", re.M)


def write_articles(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"article-{number}.md"
        path.write_text(ARTICLE.format(title=f"مقال {number}", number=number), encoding="utf-8")
        paths.append(path)
    return paths


def build(*args: str) -> tuple[int, str, str]:
    """The command line in this process (the same ``main`` the console script runs)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    status = main(["build", *args], stdout=stdout, stderr=stderr)
    return status, stdout.getvalue(), stderr.getvalue()


def summary(stdout: str) -> tuple[int, int, int]:
    found = SUMMARY.findall(stdout)
    assert len(found) == 1, stdout
    exported, skipped, failed = found[0]
    return int(exported), int(skipped), int(failed)


def test_a_folder_with_a_bad_file_exports_the_rest(tmp_path: Path) -> None:
    sources = tmp_path / "articles"
    write_articles(sources, 2)
    write_articles(sources / "deeper", 1)[0].rename(sources / "deeper" / "nested.md")
    (sources / "deeper" / "broken.md").write_bytes(b"---\ntitle: x\n---\n\n\xff\n")
    (sources / "notes.txt").write_text("not Markdown", encoding="utf-8")
    out = tmp_path / "out"

    done = run_cli("build", str(sources), "-o", str(out), "-f", "html", "--jobs", "2")

    assert done.returncode == 1
    problems = done.stderr.splitlines()
    assert len(problems) == 1, done.stderr
    assert problems[0].startswith(f"error: {sources / 'deeper' / 'broken.md'}:5: not valid UTF-8")
    assert summary(done.stdout) == (3, 0, 1)
    written = sorted(p.name for p in out.glob("*.html"))
    assert written == ["article-0.html", "article-1.html", "nested.html"]
    for name in written:
        assert f"{out / name}\n" in done.stdout
    assert "<html" in (out / "nested.html").read_text(encoding="utf-8")


def test_unchanged_inputs_are_skipped_until_something_changes(tmp_path: Path) -> None:
    first, second = write_articles(tmp_path / "in", 2)
    out = tmp_path / "out"
    assert summary(build(str(tmp_path / "in"), "-o", str(out), "-f", "epub,html")[1]) == (2, 0, 0)
    assert (out / MANIFEST_NAME).is_file()
    written_at = {p.name: p.stat().st_mtime_ns for p in out.glob("article-*")}

    status, stdout, stderr = build(str(tmp_path / "in"), "-o", str(out), "-f", "epub,html")
    assert (status, stderr) == (0, "")
    assert summary(stdout) == (0, 2, 0)
    assert f"skipped: {first}: unchanged since its last export" in stdout
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("article-*")} == written_at
    # A subset of the formats already written is still up to date.
    assert summary(build(str(first), "-o", str(out), "-f", "html")[1]) == (0, 1, 0)

    second.write_text(ARTICLE.format(title="عنوان جديد", number=9), encoding="utf-8")
    status, stdout, _ = build(str(tmp_path / "in"), "-o", str(out), "-f", "epub,html")
    assert summary(stdout) == (1, 1, 0)
    assert "عنوان جديد" in (out / "article-1.html").read_text(encoding="utf-8")

    # An option that changes the output, a format not written yet, a damaged output.
    args = (str(tmp_path / "in"), "-o", str(out))
    assert summary(build(*args, "-f", "epub,html", "--numerals", "western")[1]) == (2, 0, 0)
    assert summary(build(*args, "-f", "epub,html", "--numerals", "western")[1]) == (0, 2, 0)
    (out / "article-0.epub").write_bytes(b"damaged")
    assert summary(build(*args, "-f", "epub,html", "--numerals", "western")[1]) == (1, 1, 0)
    assert (out / "article-0.epub").read_bytes().startswith(b"PK")
    # Options that only say how to run change nothing.
    run_options = ("--jobs", "1", "--timeout", "300")
    assert summary(build(*args, "-f", "epub,html", "--numerals", "western", *run_options)[1]) == (
        0,
        2,
        0,
    )
    assert summary(build(*args, "-f", "epub,html", "--numerals", "western", "--force")[1]) == (
        2,
        0,
        0,
    )


def test_a_changed_image_exports_again(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    Image.new("RGB", (8, 8), "red").save(folder / "figure.png")
    source = folder / "pictured.md"
    source.write_text("# صورة\n\n![شكل](figure.png)\n", encoding="utf-8")
    out = tmp_path / "out"
    assert summary(build(str(source), "-o", str(out), "-f", "html")[1]) == (1, 0, 0)
    assert summary(build(str(source), "-o", str(out), "-f", "html")[1]) == (0, 1, 0)
    before = (out / "pictured.html").read_text(encoding="utf-8")
    Image.new("RGB", (8, 8), "blue").save(folder / "figure.png")
    assert summary(build(str(source), "-o", str(out), "-f", "html")[1]) == (1, 0, 0)
    assert (out / "pictured.html").read_text(encoding="utf-8") != before


def test_two_inputs_with_one_name_do_not_overwrite_each_other(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "same.md").write_text(ARTICLE.format(title="أ", number=1), encoding="utf-8")
    (tmp_path / "b" / "same.md").write_text(ARTICLE.format(title="ب", number=2), encoding="utf-8")
    status, stdout, stderr = build(str(tmp_path / "a"), str(tmp_path / "b"), "-o",
                                   str(tmp_path / "out"), "-f", "html")  # fmt: skip
    assert status == 1
    assert summary(stdout) == (1, 0, 1)
    assert stderr == (
        f"error: {tmp_path / 'b' / 'same.md'}: writes the same outputs as "
        f"{tmp_path / 'a' / 'same.md'} ({tmp_path / 'out' / 'same'}.*): "
        "rename one, or export it on its own\n"
    )
    assert "أ" in (tmp_path / "out" / "same.html").read_text(encoding="utf-8")


def test_a_folder_without_markdown_is_a_usage_error(tmp_path: Path) -> None:
    status, _, stderr = build(str(tmp_path))
    assert status == 2
    assert f"no *.md file in {tmp_path}" in stderr


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_progress_bar(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 2)
    screen = Terminal()
    status = main(["build", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-f", "html"],
                  stdout=screen, stderr=screen)  # fmt: skip
    assert status == 0
    shown = screen.getvalue()
    assert "2/2" in shown and "━" in shown  # rich's bar, complete
    assert str(tmp_path / "out" / "article-1.html") in shown
    assert re.search(r"exported 2, skipped 0, failed 0 in \d+\.\d s\n", shown)


@pytest.mark.parametrize("bad", ["0.5", "-1"])
def test_jobs_must_be_a_count(bad: str) -> None:
    assert build("x.md", "--jobs", bad)[0] == 2


def test_a_folder_exported_through_a_dask_cluster(tmp_path: Path) -> None:
    """The same tasks on a Dask cluster (here one worker, on loopback): outputs in the
    shared folder, a bad file reported as in a local run, the manifest written."""
    from distributed import LocalCluster

    sources = tmp_path / "in"
    write_articles(sources, 3)
    (sources / "broken.md").write_bytes(b"\xfe\xff")
    out = tmp_path / "out"
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp",
                      host="127.0.0.1", dashboard_address=None) as cluster:  # fmt: skip
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        status, stdout, stderr = build(str(sources), "-o", str(out), "-f", "epub,html",
                                       "--scheduler", address)  # fmt: skip
        again = build(str(sources), "-o", str(out), "-f", "epub,html", "--scheduler", address)
    assert status == 1
    assert summary(stdout) == (3, 0, 1)
    assert stderr.startswith(f"error: {(sources / 'broken.md').resolve()}:1: not valid UTF-8")
    assert len(stderr.splitlines()) == 1
    assert sorted(p.name for p in out.glob("*.epub")) == [f"article-{n}.epub" for n in range(3)]
    assert (out / MANIFEST_NAME).is_file()
    assert summary(again[1]) == (0, 3, 1)
