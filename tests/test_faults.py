"""The command under faults, as a user or an operator meets them: kills, signals, a full
disk, a read-only folder, two runs at once, a damaged manifest, hostile inputs and names.

Each test runs the real ``exporter build`` in a process of its own and asserts the exit
status, one line on stderr, that no temporary (``.part``) is left in the output folder and
no process of the run is still alive (found in ``/proc`` by a mark in their environment),
and that a next run writes correct outputs and a manifest that matches them.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from exporter.errors import escape_controls
from exporter.manifest import MANIFEST_NAME
from tests.faultrun import (
    COMMAND,
    SHORT,
    Run,
    assert_clean,
    assert_consistent,
    build,
    errors,
    fill,
    manifest_records,
    part_files,
    remount,
    small_disk,
    wait_until,
    write_articles,
)
from tests.longdoc import long_document

SUMMARY = re.compile(r"^exported (\d+), skipped (\d+), failed (\d+) in \d+\.\d s$", re.M)
ALL = ("pdf", "epub", "html")


def summary(stdout: str) -> tuple[int, int, int]:
    (found,) = SUMMARY.findall(stdout)
    return int(found[0]), int(found[1]), int(found[2])


def book(folder: Path, chapters: int = 3) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "book.md"
    path.write_text(long_document(chapters=chapters, sections=3), encoding="utf-8")
    return path


def a_batch(folder: Path) -> Path:
    """Two long inputs (exported first: longest first) and four short ones."""
    write_articles(folder, 4)
    for name in ("long-1", "long-2"):
        (folder / f"{name}.md").write_text(long_document(chapters=2, sections=2), encoding="utf-8")
    return folder


def then_a_clean_run(sources: list[Path], out: Path, formats: tuple[str, ...] = ALL) -> None:
    """The next run: nothing failed, nothing left, outputs and manifest right."""
    done = build(*sources, "-f", ",".join(formats), out=out)
    assert done.status == 0, done.stderr
    assert errors(done) == []
    assert_clean(done, out)
    assert_consistent(out, {source: formats for source in sources})


# Inputs that are no Markdown file: refused at once, with one line (the fast tier).


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda folder: folder / "empty.md", "the file is empty"),
        (lambda folder: folder / "blank.md", "the file is empty"),
        (lambda folder: Path("/dev/zero"), "is not a regular file"),
        (lambda folder: folder / "pipe.md", "is not a regular file"),
        (lambda folder: folder / "loop.md", "is a symbolic link that loops"),
    ],
    ids=["empty", "blank", "dev-zero", "fifo", "symlink-loop"],
)
def test_an_input_that_is_no_article_is_one_line(tmp_path: Path, make, problem: str) -> None:
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "blank.md").write_bytes(b"\xef\xbb\xbf \n\n\t\n")
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "loop.md").symlink_to(tmp_path / "loop.md")
    source = make(tmp_path)
    out = tmp_path / "out"
    done = build(source, out=out, timeout=60)
    assert done.status == 1
    assert len(done.problems) == 1, done.stderr
    assert done.problems[0].startswith(f"error: {source}: {problem}")
    assert_clean(done, out)
    assert not out.exists() or [p.name for p in out.iterdir()] == []


def test_a_scheduler_address_of_no_known_protocol_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(SHORT.format(title="م", number=1), encoding="utf-8")
    done = build(tmp_path / "a.md", "--scheduler", "foo://x", out=tmp_path / "out", timeout=60)
    assert done.status == 2
    assert len(done.problems) == 1
    assert done.problems[0].startswith("exporter: usage error: scheduler foo://x: unknown protocol")
    assert_clean(done, tmp_path / "out")


def test_names_up_to_the_longest_legal_and_names_with_controls(tmp_path: Path) -> None:
    """Names of 243 to 250 bytes (the temporary's name adds bytes, never past the final
    name's limit); a newline and U+202E shown escaped alike on stdout and stderr."""
    long_names = [tmp_path / f"{'ع' * ((size - 5) // 2)}{'a' * ((size - 5) % 2)}.md"
                  for size in (243, 246, 250)]  # fmt: skip
    controlled = [tmp_path / "new\nline.md", tmp_path / "rlo\u202eevil.md"]
    for path in [*long_names, *controlled]:
        path.write_text(SHORT.format(title="م", number=1), encoding="utf-8")
    assert max(len(os.fsencode(f"{p.stem}.epub")) for p in long_names) == 250
    out = tmp_path / "out"
    done = build(*long_names, *controlled, "-f", "epub,html", out=out)
    assert done.status == 0, done.stderr
    assert_clean(done, out)
    for path in controlled:
        assert f"{escape_controls(str(out / path.stem))}.html\n" in done.stdout
    assert "\u202e" not in done.stdout and "new\nline" not in done.stdout
    # The same name refused is escaped the same way on stderr.
    controlled[0].write_bytes(b"\xff")
    failed = build(controlled[0], "-f", "html", out=out)
    assert failed.problems[0].startswith(f"error: {escape_controls(str(controlled[0]))}:")
    assert_consistent(out, {path: ("epub", "html") for path in long_names})


# Kills: the process and what it started die together; the next run clears what is left.


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["before", "during", "after"])
def test_kill_9_of_a_single_export_leaves_no_process(tmp_path: Path, moment: str) -> None:
    source = book(tmp_path / "in")
    out = tmp_path / "out"
    run = Run.start(source, "--timeout", "0", out=out)
    if moment == "before":  # while the second process loads WeasyPrint
        time.sleep(0.5)
    elif moment == "during":  # the PDF being drawn in the second process
        assert wait_until(lambda: out.exists() and part_files(out), 300)
        time.sleep(1.0)
    else:  # the outputs in place, the run about to end
        assert wait_until(lambda: (out / "book.pdf").exists(), 600)
    run.signal(signal.SIGKILL)
    done = run.finish()
    # After: the kill may come as the run ends, or after it did.
    assert done.status in ((-signal.SIGKILL, 0) if moment == "after" else (-signal.SIGKILL,))
    assert errors(done) == []
    assert done.left_running == []
    then_a_clean_run([source], out)


@pytest.mark.slow
def test_kill_9_of_a_batch_leaves_no_worker(tmp_path: Path) -> None:
    sources = a_batch(tmp_path / "in")
    out = tmp_path / "out"
    run = Run.start(sources, "--jobs", "2", "-f", "pdf", out=out)
    assert wait_until(lambda: out.exists() and part_files(out), 300)
    run.signal(signal.SIGKILL)
    done = run.finish()
    assert done.status == -signal.SIGKILL
    assert done.left_running == []  # the pool's workers and the resource tracker too
    then_a_clean_run(sorted(sources.glob("*.md")), out, ("pdf",))


# Signals: the run stops its workers, removes its temporaries, reports what finished.


def _stopped(done, signum: int, out: Path) -> None:
    assert done.status == 128 + signum, done.stderr
    name = signal.Signals(signum).name
    (line,) = errors(done)  # and a warning line for a finished input, if it had one
    assert re.fullmatch(rf"exporter: stopped by {name}: \d+ of \d+ inputs not exported", line)
    summary(done.stdout)
    assert_clean(done, out)


@pytest.mark.slow
def test_sigterm_during_a_single_pdf(tmp_path: Path) -> None:
    source = book(tmp_path / "in")
    out = tmp_path / "out"
    run = Run.start(source, "--timeout", "0", out=out)
    assert wait_until(lambda: out.exists() and part_files(out), 300)
    run.signal(signal.SIGTERM)
    done = run.finish(timeout=30)
    _stopped(done, signal.SIGTERM, out)
    assert summary(done.stdout) == (0, 0, 0)
    assert sorted(p.name for p in out.iterdir()) == []
    then_a_clean_run([source], out)


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "group"), [(signal.SIGTERM, False), (signal.SIGINT, True)])
def test_a_signal_stops_a_batch_and_keeps_what_finished(
    tmp_path: Path, signum: int, group: bool
) -> None:
    """SIGINT to the whole group, as a terminal's Ctrl-C sends it."""
    sources = a_batch(tmp_path / "in")
    out = tmp_path / "out"
    run = Run.start(sources, "--jobs", "2", "-f", "pdf,html", out=out)
    assert wait_until(lambda: out.exists() and part_files(out), 300)
    run.signal(signum, group=group)
    done = run.finish(timeout=30)
    _stopped(done, signum, out)
    exported, _, _ = summary(done.stdout)
    if exported:  # what finished is recorded, and skipped next time
        assert len(manifest_records(out)) == exported
    then_a_clean_run(sorted(sources.glob("*.md")), out, ("pdf", "html"))


@pytest.mark.slow
def test_two_ctrl_c_end_at_once(tmp_path: Path) -> None:
    sources = a_batch(tmp_path / "in")
    out = tmp_path / "out"
    for _ in range(2):
        run = Run.start(sources, "--jobs", "2", "-f", "pdf,html", "--force", out=out)
        assert wait_until(lambda: out.exists() and part_files(out), 300)
        run.signal(signal.SIGINT, group=True)
        time.sleep(0.2)
        run.signal(signal.SIGINT, group=True)
        started = time.monotonic()
        done = run.finish(timeout=30)
        assert time.monotonic() - started < 10
        assert done.status == 130
        (line,) = errors(done)
        assert line.startswith("exporter: stopped")
        assert_clean(done, out)
    then_a_clean_run(sorted(sources.glob("*.md")), out, ("pdf", "html"))


# A small disk, a read-only folder.


@pytest.mark.slow
def test_a_full_disk_during_a_book(tmp_path: Path) -> None:
    source = book(tmp_path / "in", chapters=2)
    with small_disk(tmp_path / "out", "64k") as out:
        done = build(source, "-f", "pdf", "--timeout", "0", out=out)
        assert done.status == 1
        assert errors(done) == [f"error: {source}: cannot write {out / 'book.pdf'}: "
                                "No space left on device"]  # fmt: skip
        assert_clean(done, out)
        assert list(out.iterdir()) == []
        remount(out, "size=16m")
        then_a_clean_run([source], out, ("pdf",))


@pytest.mark.slow
def test_a_full_disk_when_only_the_manifest_is_to_write(tmp_path: Path) -> None:
    sources = write_articles(tmp_path / "in", 2)
    with small_disk(tmp_path / "out", "1m") as out:
        assert build(*sources, "-f", "html", out=out).status == 0
        fill(out)
        unchanged = build(*sources, "-f", "html", out=out)
        assert (unchanged.status, unchanged.stderr) == (0, "")
        assert summary(unchanged.stdout) == (0, 2, 0)
        (out / "article-1.html").unlink()  # room for the page, none for the manifest
        done = build(*sources, "-f", "html", out=out)
        assert done.status == 1
        assert done.problems == [f"error: {sources[1]}: cannot write {out / MANIFEST_NAME}: "
                                 "No space left on device"]  # fmt: skip
        assert_clean(done, out)
        assert not (out / "article-1.html").exists()  # the output waits for its record
        for filler in out.glob("filler-*"):
            filler.unlink()
        then_a_clean_run(sources, out, ("html",))


@pytest.mark.slow
def test_a_read_only_folder(tmp_path: Path) -> None:
    (source,) = write_articles(tmp_path / "in", 1)
    with small_disk(tmp_path / "out", "4m") as out:
        assert build(source, "-f", "epub,html", out=out).status == 0
        remount(out, "ro")
        unchanged = build(source, "-f", "epub,html", out=out)
        assert (unchanged.status, unchanged.stderr) == (0, "")
        assert summary(unchanged.stdout) == (0, 1, 0)
        source.write_text(SHORT.format(title="عنوان آخر", number=2), encoding="utf-8")
        done = build(source, "-f", "epub,html", out=out)
        assert done.status == 1
        assert done.problems == [
            f"error: {source}: cannot write {out / 'article-0.epub'}: Read-only file system"
        ]
        assert_clean(done, out)
        remount(out, "rw")
        then_a_clean_run([source], out, ("epub", "html"))
        assert "عنوان آخر" in (out / "article-0.html").read_text(encoding="utf-8")


# Two runs at once into one folder.


@pytest.mark.slow
def test_two_runs_into_one_folder_keep_each_others_records(tmp_path: Path) -> None:
    first = write_articles(tmp_path / "one", 4, "one")
    second = write_articles(tmp_path / "two", 4, "two")
    out = tmp_path / "out"
    runs = [
        Run.start(*group, "-f", "epub,html", "--jobs", "1", out=out) for group in (first, second)
    ]
    for done in [run.finish() for run in runs]:  # the other's temporaries are its own
        assert (done.status, done.stderr) == (0, "")
        assert_clean(done, out)
    assert_consistent(out, {source: ("epub", "html") for source in [*first, *second]})
    again = build(*first, *second, "-f", "epub,html", out=out)
    assert summary(again.stdout) == (0, 8, 0)


@pytest.mark.slow
def test_two_inputs_of_one_name_at_once_write_one_set_of_outputs(tmp_path: Path) -> None:
    """``a/x.md`` and ``b/x.md`` into one folder at once: the outputs of one or of the
    other, never a mix, and the manifest records the one whose outputs are there."""
    out = tmp_path / "out"
    sources = []
    for letter in "ab":
        (tmp_path / letter).mkdir()
        text = SHORT.format(title=f"عنوان {letter}", number=1) + "\nفقرة أخرى.\n" * 400
        (tmp_path / letter / "x.md").write_text(text, encoding="utf-8")
        sources.append(tmp_path / letter / "x.md")
    for _ in range(4):
        runs = [Run.start(source, "-f", "epub,html", "--force", out=out) for source in sources]
        for done in [run.finish() for run in runs]:
            assert_clean(done, out)
        page = (out / "x.html").read_text(encoding="utf-8")
        writer = "a" if "عنوان a" in page else "b"
        assert f"عنوان {writer}".encode() in _epub_text(out / "x.epub")
        (name,) = manifest_records(out)
        assert name == str((tmp_path / writer / "x.md").resolve())
        assert_consistent(out, {tmp_path / writer / "x.md": ("epub", "html")})


def _epub_text(path: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as package:
        return b"".join(package.read(n) for n in package.namelist() if n.endswith("html"))


@pytest.mark.slow
def test_an_input_edited_during_the_run_is_recorded_as_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "big.md").write_text(long_document(chapters=2, sections=2), encoding="utf-8")
    small = folder / "small.md"
    original = SHORT.format(title="الأصل", number=1)
    small.write_text(original, encoding="utf-8")
    out = tmp_path / "out"
    run = Run.start(folder, "--jobs", "1", "-f", "html", out=out)  # big.md first
    assert wait_until(lambda: out.exists() and part_files(out), 300)  # planned, exporting
    small.write_text(SHORT.format(title="المعدل", number=2), encoding="utf-8")
    done = run.finish()
    assert (done.status, errors(done)) == (0, [])
    assert "المعدل" in (out / "small.html").read_text(encoding="utf-8")
    small.write_text(original, encoding="utf-8")  # reverted
    again = build(folder, "--jobs", "1", "-f", "html", out=out)
    assert summary(again.stdout) == (1, 1, 0)
    assert "الأصل" in (out / "small.html").read_text(encoding="utf-8")
    assert_consistent(out, {small: ("html",)})


# A damaged manifest: set aside with one warning, rebuilt; reading it never blocks.


def _entries(change):
    def damage(out: Path, data: dict) -> None:
        for entry in data["inputs"].values():
            change(out, entry)
        (out / MANIFEST_NAME).write_text(json.dumps(data), encoding="utf-8")

    return damage


def _replace_manifest(make):
    def damage(out: Path, data: dict) -> None:
        (out / MANIFEST_NAME).unlink()
        make(out / MANIFEST_NAME)

    return damage


def _other_file(out: Path, entry: dict) -> None:
    entry["outputs"]["epub"] = entry["outputs"]["html"]  # the EPUB's record names the page
    (out / "art.epub").unlink()


def _asset_fifo(out: Path, entry: dict) -> None:
    os.mkfifo(out.parent / "in" / "pipe.png")
    entry["assets"] = {str(out.parent.resolve() / "in" / "pipe.png"): "0" * 64}


DAMAGES = {
    "nested": lambda out, data: (out / MANIFEST_NAME).write_text("[" * 50_000 + "]" * 50_000),
    "not-json": lambda out, data: (out / MANIFEST_NAME).write_bytes(b"\xff{"),
    "wrong-types": _entries(lambda out, e: e.update(key=5, outputs={"html": [1, 2, 3]})),
    "wrong-shape": lambda out, data: (out / MANIFEST_NAME).write_text('{"version":1,"inputs":[]}'),
    "a-folder": _replace_manifest(lambda path: path.mkdir()),
    "a-link-to-dev-zero": _replace_manifest(lambda path: path.symlink_to("/dev/zero")),
    "a-fifo": _replace_manifest(os.mkfifo),
    "entry-at-dev-zero": _entries(lambda out, e: e["outputs"].update(html=["/dev/zero", "0" * 64])),
    "entry-outside": _entries(lambda out, e: e["outputs"].update(html=["../x.html", "0" * 64])),
    "asset-fifo": _entries(_asset_fifo),
    "other-file": _entries(_other_file),
}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(DAMAGES))
def test_a_damaged_manifest_is_set_aside_and_rebuilt(tmp_path: Path, kind: str) -> None:
    (tmp_path / "in").mkdir()
    source = tmp_path / "in" / "art.md"
    source.write_text(SHORT.format(title="م", number=1), encoding="utf-8")
    out = tmp_path / "out"
    assert build(source, "-f", "epub,html", out=out).status == 0
    DAMAGES[kind](out, json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8")))
    done = build(source, "-f", "epub,html", out=out, timeout=60)
    assert done.status == 0, done.stderr
    (warning,) = done.problems
    assert warning.startswith(f"warning: {out / MANIFEST_NAME}: damaged manifest (")
    assert warning.endswith(f"set aside as {MANIFEST_NAME}.damaged; its inputs are exported again")
    assert summary(done.stdout) == (1, 0, 0)
    assert_clean(done, out)
    assert_consistent(out, {source: ("epub", "html")})
    again = build(source, "-f", "epub,html", out=out)
    assert (again.status, again.stderr, summary(again.stdout)) == (0, "", (0, 1, 0))


# What WeasyPrint alone would take minutes over.


@pytest.mark.slow
def test_pathological_inline_input_exports_in_well_under_a_minute(tmp_path: Path) -> None:
    lines = ["[" * 20_000, "*a " * 6_000, "a`" * 10_000, "*a*" * 6_000, "_a_" * 6_000,
             "**a**" * 4_000, "`" * 20_000]  # fmt: skip
    source = tmp_path / "lines.md"
    source.write_text("# عنوان\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    started = time.monotonic()
    done = build(source, "-f", "pdf", "--timeout", "60", out=out)
    assert time.monotonic() - started < 60
    assert done.status == 0, done.stderr
    assert errors(done) == []
    assert any("as plain text" in line for line in done.problems)
    assert_clean(done, out)
    assert_consistent(out, {source: ("pdf",)})


# Dask: workers that keep dying, or none left.


class Cluster:
    """A Dask scheduler and one worker process under a nanny, as ``dask`` starts them,
    each in a process group of its own."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.address = f"tcp://127.0.0.1:{port}"
        dask = COMMAND.parent / "dask"
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL,
                 "start_new_session": True}  # fmt: skip
        self.scheduler = subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port",
                                           str(port), "--no-dashboard"], **quiet)  # fmt: skip
        time.sleep(3)
        self.nanny = subprocess.Popen([dask, "worker", self.address, "--nworkers", "1",
                                       "--nthreads", "1", "--no-dashboard"], **quiet)  # fmt: skip
        time.sleep(5)

    def workers(self) -> list[int]:
        """The worker processes the nanny runs (it starts another when one dies)."""
        found = []
        for entry in Path("/proc").iterdir():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == self.nanny.pid and fields[0] not in ("Z", "X"):
                found.append(int(entry.name))
        return found

    def close(self) -> None:
        for process in (self.nanny, self.scheduler):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    pytest.importorskip("distributed")
    running = Cluster()
    try:
        yield running
    finally:
        running.close()


@pytest.mark.slow
def test_a_dask_run_without_workers_ends_with_one_line_per_article(
    tmp_path: Path, cluster: Cluster
) -> None:
    sources = write_articles(tmp_path / "in", 3)
    os.killpg(cluster.nanny.pid, signal.SIGKILL)  # the nanny and its worker: none left
    started = time.monotonic()
    done = build(*sources, "-f", "html", "--scheduler", cluster.address, out=tmp_path / "out")
    assert time.monotonic() - started < 120
    assert done.status == 1
    assert sorted(done.problems) == sorted(
        f"error: {source}: not exported: the Dask cluster had no worker left for 30 s"
        for source in sources
    )
    assert_clean(done, tmp_path / "out")
    then_a_clean_run(sources, tmp_path / "out", ("html",))


@pytest.mark.slow
def test_a_dask_run_whose_workers_keep_dying_ends(tmp_path: Path, cluster: Cluster) -> None:
    """Every worker killed as soon as it is seen, for as long as the run goes on: each
    input is exported or fails with one line, in bounded time (with ``--timeout 20``, the
    run waits at most 70 s for an export to finish)."""
    sources = write_articles(tmp_path / "in", 4)
    out = tmp_path / "out"
    run = Run.start(*sources, "-f", "pdf,html", "--timeout", "20", "--scheduler",
                    cluster.address, out=out)  # fmt: skip
    started, kills = time.monotonic(), 0
    while run.process.poll() is None and time.monotonic() - started < 240:
        for pid in cluster.workers():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
                kills += 1
        time.sleep(0.2)
    done = run.finish(timeout=10)
    assert time.monotonic() - started < 240
    assert kills >= 4
    exported, skipped, failed = summary(done.stdout)
    assert (exported + failed, skipped) == (len(sources), 0)
    assert done.status == (1 if failed else 0)
    failures = errors(done)
    assert len(failures) == failed
    reasons = ("every Dask worker that ran it died", "the Dask cluster had no worker left for 30 s",
               "no export on the Dask cluster finished for 70 s")  # fmt: skip
    assert all(re.fullmatch(rf"error: .*: not exported: ({'|'.join(reasons)})", line)
               for line in failures), failures  # fmt: skip
    assert_clean(done, out)
    then_a_clean_run(sources, out, ("pdf", "html"))
