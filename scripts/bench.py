"""``make bench``: the exporter timed side by side with WeasyPrint's own CLI and Pandoc.

Every figure is the median wall time of several runs of a whole command in a fresh process
(interpreter start and imports included, as a user meets them), with the peak resident
memory of the largest process the command ran (``os.wait4``: the kernel's maximum over
the process and the children it waited for). Prints a table and the issue's targets; with
``--readme`` it also writes the table into README.md between the bench markers.

    .venv/bin/python scripts/bench.py [--runs 3] [--articles 100] [--only article,book,batch]
                                      [--readme]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.longdoc import long_document  # noqa: E402  (the suite's 300-page book)

BIN = Path(sys.executable).parent
README = ROOT / "README.md"
MARKERS = ("<!-- bench:start -->", "<!-- bench:end -->")


@dataclass(frozen=True)
class Figure:
    label: str
    seconds: float  # median wall time
    spread: tuple[float, float]  # fastest, slowest
    cpu: float  # median user + system seconds, the command's processes together
    peak_mib: float  # the largest over the runs


def run(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one command."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)  # fmt: skip
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{stderr}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def measure(label: str, runs: int, command: Callable[[int], list[str]], cwd: Path,
            before: Callable[[int], None] | None = None) -> Figure:  # fmt: skip
    """``command(i)`` gives run i's command; ``before(i)`` prepares it, untimed."""
    times, cpus, peaks = [], [], []
    for index in range(runs):
        if before:
            before(index)
        seconds, cpu, peak = run(command(index), cwd)
        times.append(seconds)
        cpus.append(cpu)
        peaks.append(peak)
    figure = Figure(label, statistics.median(times), (min(times), max(times)),
                    statistics.median(cpus), max(peaks))  # fmt: skip
    print(f"  {label}: {figure.seconds:.2f} s, {figure.cpu:.2f} s CPU (median of {runs}), "
          f"{figure.peak_mib:.0f} MiB", flush=True)  # fmt: skip
    return figure


def print_html(source: Path, target: Path) -> None:
    """The HTML the exporter gives WeasyPrint for ``source``, for WeasyPrint's own CLI."""
    from exporter.options import Options
    from exporter.pdf.printhtml import render_print_html
    from exporter.read.parser import parse_article
    from exporter.read.source import read_source

    options = Options()
    article = parse_article(read_source(source), options)
    target.write_text(render_print_html(article, options), encoding="utf-8")


def weasyprint_command(html: Path, pdf: Path, source: Path) -> list[str]:
    """WeasyPrint's CLI asked for what the exporter asks of it: PDF/A-3u, tagged, with
    the Markdown source attached."""
    return [str(BIN / "weasyprint"), "--pdf-variant", "pdf/a-3u", "--pdf-tags",
            "--attachment", str(source), str(html), str(pdf)]  # fmt: skip


def exporter_command(*args: str) -> list[str]:
    # No time limit: on a loaded machine the book may take longer than the default 120 s.
    return [str(BIN / "exporter"), "build", "--timeout", "0", *args]


def pandoc() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def typst_source(source: Path, target: Path) -> None:
    """The article as Typst markup, by Pandoc's Typst writer, set in the bundled Amiri."""
    subprocess.run([pandoc(), str(source), "-f", "markdown", "-t", "typst", "-s",
                    "-V", "lang=ar", "-V", "mainfont=Amiri", "-o", str(target)],
                   check=True)  # fmt: skip


def typst_command(typ: Path, pdf: Path) -> list[str]:
    """Typst's whole run on ``typ`` in a fresh process: the compiler of the ``typst``
    package (the bench extra), with the bundled fonts."""
    script = (
        "import sys, typst; "
        "typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]])"
    )
    return [sys.executable, "-c", script, str(typ), str(pdf), str(ROOT / "fonts")]


def many_articles(folder: Path, count: int) -> None:
    """``count`` different articles made from article.md: its paragraphs rotated, a
    numbered title, so no two share their text (nor their font subsets)."""
    text = (ROOT / "article.md").read_text(encoding="utf-8")
    _, front, body = text.split("---", 2)
    paragraphs = [p for p in body.strip().split("\n\n") if p.strip()]
    folder.mkdir(parents=True)
    for number in range(count):
        turn = number % len(paragraphs)
        rotated = paragraphs[turn:] + paragraphs[:turn]
        titled = re.sub(r"^title: (.*)$", rf"title: \1 ({number + 1})", front, flags=re.M)
        (folder / f"article-{number:03d}.md").write_text(
            f"---{titled}---\n\n" + "\n\n".join(rotated) + "\n", encoding="utf-8"
        )


def fresh(folder: Path) -> Callable[[int], None]:
    def clear(_: int) -> None:
        shutil.rmtree(folder, ignore_errors=True)

    return clear


def article_figures(work: Path, runs: int) -> list[Figure]:
    article = ROOT / "article.md"
    html = work / "article-print.html"
    print_html(article, html)
    out = work / "out"
    print("The article:")
    return [
        measure("exporter: PDF + EPUB + HTML", runs,
                lambda i: exporter_command(str(article), "-o", str(out / f"all-{i}")), work),
        measure("exporter: PDF only", runs,
                lambda i: exporter_command(str(article), "-f", "pdf", "-o", str(out / f"pdf-{i}")),
                work),
        measure("exporter: EPUB only", runs,
                lambda i: exporter_command(str(article), "-f", "epub",
                                           "-o", str(out / f"epub-{i}")), work),
        measure("exporter: HTML only", runs,
                lambda i: exporter_command(str(article), "-f", "html",
                                           "-o", str(out / f"html-{i}")), work),
        measure("WeasyPrint CLI: the same HTML to PDF", runs,
                lambda i: weasyprint_command(html, out / f"weasy-{i}.pdf", article), work),
        measure("Pandoc: EPUB", runs,
                lambda i: [pandoc(), str(article), "-o", str(out / f"pandoc-{i}.epub")], work),
        measure("Pandoc + WeasyPrint: PDF", runs,
                lambda i: [pandoc(), str(article), "--pdf-engine=weasyprint",
                           "-o", str(out / f"pandoc-{i}.pdf")], work),
    ]  # fmt: skip


def book_figures(work: Path, runs: int) -> list[Figure]:
    book = work / "book" / "book.md"
    book.parent.mkdir()
    book.write_text(long_document(), encoding="utf-8")
    html = work / "book-print.html"
    print_html(book, html)
    out = work / "book-out"
    print("A generated book of about 300 A5 pages:")
    return [
        measure("exporter: the book to PDF", runs,
                lambda i: exporter_command(str(book), "-f", "pdf", "-o", str(out / str(i))),
                work),
        measure("WeasyPrint CLI: the same HTML to PDF", runs,
                lambda i: weasyprint_command(html, out / f"weasy-{i}.pdf", book), work),
    ]  # fmt: skip


def batch_figures(work: Path, runs: int, count: int) -> list[Figure]:
    folder = work / "many"
    many_articles(folder, count)
    out = work / "many-out"
    print(f"{count} articles, PDF + EPUB + HTML:")
    one = measure("--jobs 1", runs,
                  lambda _: exporter_command(str(folder), "-o", str(out), "--jobs", "1"),
                  work, before=fresh(out))  # fmt: skip
    two = measure("--jobs 2", runs,
                  lambda _: exporter_command(str(folder), "-o", str(out), "--jobs", "2"),
                  work, before=fresh(out))  # fmt: skip
    again = measure("again, nothing changed", runs,
                    lambda _: exporter_command(str(folder), "-o", str(out)), work)  # fmt: skip
    return [one, two, again]


def ratio(a: Figure, b: Figure) -> float:
    return a.seconds / b.seconds


def cpu_ratio(a: Figure, b: Figure) -> str:
    return f"{a.cpu / b.cpu:.2f}"


def targets(sections: dict[str, list[Figure]], count: str) -> list[str]:
    """The issue's targets, for the sections that were run."""
    rows = []
    if article := sections.get("article"):
        all_three, _, epub, _, _, pandoc_epub, pandoc_pdf = article
        rows += [("article, all three formats ÷ Pandoc→WeasyPrint PDF", all_three, pandoc_pdf,
                  "≤ 1.0", ratio(all_three, pandoc_pdf) <= 1.0),
                 ("article, EPUB only ÷ Pandoc EPUB", epub, pandoc_epub, "≤ 1.0",
                  ratio(epub, pandoc_epub) <= 1.0)]  # fmt: skip
    if book := sections.get("book"):
        ours_book, weasy_book = book
        rows.append(("300 pages ÷ WeasyPrint's own render", ours_book, weasy_book, "≤ 1.05",
                     ratio(ours_book, weasy_book) <= 1.05))  # fmt: skip
    if batch := sections.get(count):
        one, two, again = batch
        rows += [(f"{count}: --jobs 1 ÷ --jobs 2 (speed-up)", one, two, "≥ 1.8",
                  ratio(one, two) >= 1.8),
                 (f"{count}: unchanged rerun ÷ first run", again, two, "≤ 0.1",
                  ratio(again, two) <= 0.1)]  # fmt: skip
    lines = ["| target | wall-time ratio | CPU-time ratio | wanted | met (wall) |",
             "|---|---|---|---|---|"]  # fmt: skip
    lines += [f"| {name} | {ratio(a, b):.2f} | {cpu_ratio(a, b)} | {wanted} | "
              f"{'yes' if ok else 'no'} |" for name, a, b, wanted, ok in rows]  # fmt: skip
    if book:
        ok = book[0].peak_mib <= 600
        lines.append(f"| 300 pages: peak memory | {book[0].peak_mib:.0f} MiB | | ≤ 600 MiB | "
                     f"{'yes' if ok else 'no'} |")  # fmt: skip
    return lines


def table(sections: dict[str, list[Figure]]) -> list[str]:
    lines = ["| run | wall, median | fastest – slowest | CPU, median | peak memory |",
             "|---|---|---|---|---|"]  # fmt: skip
    for section, figures in sections.items():
        for figure in figures:
            low, high = figure.spread
            lines.append(f"| {section}: {figure.label} | {figure.seconds:.2f} s | "
                         f"{low:.2f} – {high:.2f} s | {figure.cpu:.2f} s | "
                         f"{figure.peak_mib:.0f} MiB |")  # fmt: skip
    return lines


def write_readme(block: str) -> None:
    text = README.read_text(encoding="utf-8")
    start, end = MARKERS
    before, _, rest = text.partition(start)
    _, _, after = rest.partition(end)
    README.write_text(f"{before}{start}\n{block}\n{end}{after}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--book-runs", type=int, default=3, help="runs of the 300 pages")
    parser.add_argument("--batch-runs", type=int, default=3, help="runs of the batches")
    parser.add_argument("--articles", type=int, default=100, help="articles in the batch")
    parser.add_argument(
        "--only",
        default="article,book,batch",
        help="sections to run, comma-separated: article, book, batch",
    )
    parser.add_argument("--readme", action="store_true", help="write the figures into README")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    count = f"{args.articles} articles"
    sections: dict[str, list[Figure]] = {}
    with tempfile.TemporaryDirectory(prefix="exporter-bench-") as name:
        work = Path(name)
        if "article" in args.only:
            sections["article"] = article_figures(work, args.runs)
        if "book" in args.only:
            sections["book"] = book_figures(work, args.book_runs)
        if "batch" in args.only:
            sections[count] = batch_figures(work, args.batch_runs, args.articles)
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = (f"{when}; {os.cpu_count()} cores, load average {load:.1f} at the start; "
              f"Python {platform.python_version()}; "
              f"`.venv/bin/python scripts/bench.py {' '.join(sys.argv[1:])}`. "
              "CPU is user + system time of all the command's processes: on a machine that "
              "others load, its ratios show the work done where wall times show the "
              "waiting too.")  # fmt: skip
    block = "\n".join([header, "", *table(sections), "", *targets(sections, count)])
    print()
    print(block)
    if args.readme:
        write_readme(block)


if __name__ == "__main__":
    main()
