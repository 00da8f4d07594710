"""``make bench-serve``: the article through the warm service (``exporter serve``), timed
with a real HTTP client, against Typst's whole run on the same article; then a load of
many requests from concurrent clients. Prints figures; not a test.

    .venv/bin/python scripts/bench_serve.py [--runs 21] [--requests 500] [--clients 8]
                                            [--workers 2]

- PDF alone, p50 of ``--runs`` requests one after another, against the median of Typst's
  whole run (a fresh process: Pandoc's Typst markup compiled with the bundled Amiri);
- PDF + EPUB + HTML, p50;
- ``--requests`` requests from ``--clients`` clients at once, a mix of the article, the
  test corpus and one document of about 100 pages: every answer checked (status, the
  files in it, the article's own title in its HTML), p50 and p99 latency, throughput, and
  the server's memory (every process of it) after the first 50 requests and at the end.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import statistics
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from scripts.bench import measure, typst_command, typst_source  # noqa: E402
from tests.longdoc import long_document  # noqa: E402
from tests.servers import start_server, tree_rss_bytes  # noqa: E402

ARTICLE = ROOT / "article.md"
CORPUS = ["persian", "mixed-latin", "vocalised", "scripts", "technical-tokens", "structure"]
ALL = "pdf,epub,html"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def export(client: httpx.Client, name: str, data: bytes, formats: str) -> tuple[float, bytes]:
    """One export as a client makes it: the answer at once, or (202) the job followed."""
    started = time.perf_counter()
    response = client.post("/v1/exports", files={"file": (name, data)}, data={"formats": formats})
    if response.status_code == 202:
        location = response.headers["location"]
        while (job := client.get(location).json())["state"] not in ("done", "failed"):
            time.sleep(0.05)
        if job["state"] != "done":
            raise RuntimeError(f"{name}: {job['error']}")
        files = {f["name"]: client.get(f["url"]).content for f in job["files"]}
        client.delete(location)
        return time.perf_counter() - started, _zip(files)
    if response.status_code != 200:
        raise RuntimeError(f"{name}: {response.status_code} {response.text}")
    return time.perf_counter() - started, response.content


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def sequential(client: httpx.Client, formats: str, runs: int) -> list[float]:
    data = ARTICLE.read_bytes()
    return [export(client, "article.md", data, formats)[0] for _ in range(runs)]


def typst_median(runs: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        typst_source(ARTICLE, work / "article.typ")
        typ, pdf = work / "article.typ", work / "article.pdf"
        label = "Typst: the article to PDF, a whole run"
        figure = measure(label, runs, lambda _: typst_command(typ, pdf), work)
    return figure.seconds


def title_of(data: bytes) -> str:
    for line in data.decode("utf-8").splitlines():
        if line.startswith("title:"):
            return line.split(":", 1)[1].strip().strip('"')
    raise ValueError("no title")


def load(client: httpx.Client, requests: int, clients: int, server_pid: int) -> dict[str, object]:
    inputs = [("article.md", ARTICLE.read_bytes())]
    inputs += [(f"{stem}.md", (ROOT / "tests" / "corpus" / f"{stem}.md").read_bytes())
               for stem in CORPUS]  # fmt: skip
    book = ("book.md", long_document(chapters=10).encode())
    mix = [book, *itertools.islice(itertools.cycle(inputs), requests - 1)]
    latencies: list[float] = []
    wrong: list[str] = []
    done = itertools.count(1)
    memory: dict[str, int] = {}
    lock = threading.Lock()

    def one(item: tuple[str, bytes]) -> None:
        name, data = item
        try:
            seconds, packed = export(client, name, data, ALL)
            with zipfile.ZipFile(io.BytesIO(packed)) as archive:
                stem = name.removesuffix(".md")
                names = sorted(archive.namelist())
                html = archive.read(f"{stem}.html").decode()
            expected = sorted(f"{stem}.{fmt}" for fmt in ("epub", "html", "pdf"))
            if names != expected or f"<title>{title_of(data)}" not in html:
                raise RuntimeError(f"{name}: wrong answer {names}")
        except Exception as error:  # counted, not raised: the run goes on
            with lock:
                wrong.append(str(error)[:200])
            return
        with lock:
            latencies.append(seconds)
            if next(done) == 50:
                memory["after 50"] = tree_rss_bytes(server_pid)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, mix))
    wall = time.perf_counter() - started
    memory["end"] = tree_rss_bytes(server_pid)
    return {"latencies": latencies, "wrong": wrong, "wall": wall, "memory": memory}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    cores = os.cpu_count()
    load_average = os.getloadavg()[0]
    print(f"{cores} cores, load average {load_average:.1f} at the start", flush=True)
    typst = typst_median(7)
    server = start_server("--workers", str(args.workers), "--queue", "1000", "--timeout", "600")
    try:
        with httpx.Client(base_url=server.url, timeout=900) as client:
            sequential(client, ALL, 3)  # each worker's first real job
            pdf = sequential(client, "pdf", args.runs)
            three = sequential(client, ALL, args.runs)
            print(f"  PDF alone through the service: p50 {statistics.median(pdf):.3f} s "
                  f"({min(pdf):.3f} – {max(pdf):.3f}), {statistics.median(pdf) / typst:.2f}× "
                  f"Typst's {typst:.3f} s (wanted ≤ 2×)")  # fmt: skip
            print(
                f"  PDF + EPUB + HTML: p50 {statistics.median(three):.3f} s "
                f"({min(three):.3f} – {max(three):.3f}) (wanted ≤ 0.6 s)",
                flush=True,
            )
            if args.requests:  # --requests 0: the latencies alone
                result = load(client, args.requests, args.clients, server.process.pid)
                metrics = client.get("/metrics").text
    finally:
        server.stop()
    if args.requests:
        _report(result, args, metrics)


def _report(result: dict[str, object], args: argparse.Namespace, metrics: str) -> None:
    latencies: list[float] = result["latencies"]  # type: ignore[assignment]
    wrong: list[str] = result["wrong"]  # type: ignore[assignment]
    memory: dict[str, int] = result["memory"]  # type: ignore[assignment]
    wall: float = result["wall"]  # type: ignore[assignment]
    restarts = [line for line in metrics.splitlines()
                if line.startswith("exporter_worker_restarts_total")]  # fmt: skip
    print(f"  {args.requests} requests from {args.clients} clients (article, corpus, one "
          f"100-page book; PDF + EPUB + HTML each): {len(wrong)} lost or wrong, "
          f"p50 {percentile(latencies, 0.5):.2f} s, p99 {percentile(latencies, 0.99):.2f} s, "
          f"{len(latencies) / wall * 60:.0f} articles/min over {wall:.0f} s")  # fmt: skip
    first, end = memory.get("after 50", 0) / 2**20, memory["end"] / 2**20
    change = (end - first) / first * 100 if first else float("nan")
    print(
        f"  server memory, all its processes: {first:.0f} MiB after 50 requests, "
        f"{end:.0f} MiB at the end ({change:+.1f} %, wanted within 10 %)"
    )
    print("  worker restarts: " + ", ".join(line.split("{", 1)[1] for line in restarts))
    for line in wrong[:5]:
        print(f"  wrong: {line}")


if __name__ == "__main__":
    main()
