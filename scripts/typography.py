"""How justified print lines take up their slack: word spaces and kashidas, measured.

    .venv/bin/python scripts/typography.py [--timing [RUNS]] [ARTICLE.md ...]
    .venv/bin/python scripts/typography.py --timing-only [RUNS]     # the timing alone

Lays out article.md, the test articles of tests/corpus/ and the generated book
(tests/longdoc.py) for print at A4 and A5, once justified with spaces only and once with
kashidas (``--justify``), with WeasyPrint patched as an export patches it, and reads every
justified line off the laid-out pages: the space each of its text boxes was widened by
(``justification_spacing``, the amount WeasyPrint adds to each space it draws) and the
kashidas planned on it (``exporter/engine/kashida.py``). For each line, the *space ratio*
is its widest word space over the font's natural space (its advance at the box's size);
reported per article, paper and justification: the median, 95th percentile and maximum
ratio, the share of lines above 1.5, kashidas per line and their lengths (in em).

``--timing`` then writes the book's PDF (layout, drawing and writing, text layer and
read-back check included) RUNS times (default 3) with each justification, alternately (which
goes first changes from run to run), in this process, and prints the median wall and CPU
time of each and their ratios: on a machine others load, the CPU time's ratio shows the
work done, the wall time's the waiting too.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the book lives in tests/
from exporter import parse_article, read_source, write_pdf
from exporter.engine import patched
from exporter.engine.kashida import PLAN
from exporter.options import make_options
from exporter.pdf.bundledfonts import bundled_font_config
from exporter.pdf.fetcher import SafeURLFetcher
from exporter.pdf.printhtml import render_print_html
from tests.longdoc import long_document

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = (ROOT / "article.md", *sorted((ROOT / "tests" / "corpus").glob("*.md")))
NOT_ARTICLES = ("README.md",)
PAPERS = ("A4", "A5")
JUSTIFICATIONS = ("spaces", "kashida")


@dataclass
class Lines:
    ratios: list[float] = field(default_factory=list)
    kashidas: list[int] = field(default_factory=list)  # per line
    lengths: list[float] = field(default_factory=list)  # each kashida, in em

    def row(self) -> str:
        if not self.ratios:
            return "no justified line"
        ratios = sorted(self.ratios)
        p95 = ratios[min(len(ratios) - 1, round(0.95 * (len(ratios) - 1)))]
        above = sum(ratio > 1.5 for ratio in ratios) / len(ratios)
        lengths = (
            f"{statistics.median(self.lengths):.2f}/{max(self.lengths):.2f}"
            if self.lengths
            else "-"
        )
        return (f"{len(ratios):>6} {statistics.median(ratios):>6.2f} {p95:>6.2f} "
                f"{ratios[-1]:>6.2f} {above:>7.1%} {statistics.mean(self.kashidas):>6.2f} "
                f"{lengths:>10}")  # fmt: skip


def _natural_spaces() -> dict[tuple[str, bool], float]:
    """The space's advance in em of each bundled text face, by (family, bold)."""
    import uharfbuzz

    spaces = {}
    nastaliq = ("NotoNastaliqUrdu-Regular", "NotoNastaliqUrdu-Bold")
    for family, files in (("Amiri", ("Amiri-Regular", "Amiri-Bold")),
                          ("Noto Nastaliq Urdu", nastaliq)):  # fmt: skip
        for bold, name in zip((False, True), files, strict=True):
            face = uharfbuzz.Face((ROOT / "fonts" / f"{name}.ttf").read_bytes())
            font = uharfbuzz.Font(face)
            spaces[family, bold] = (
                font.get_glyph_h_advance(font.get_nominal_glyph(0x20)) / face.upem
            )
    return spaces


SPACES = _natural_spaces()


def _natural_space(style: object) -> float | None:
    family = next((f for f in style["font_family"] if (f, False) in SPACES), None)  # type: ignore[index]
    if family is None:
        return None
    return SPACES[family, style["font_weight"] >= 600] * style["font_size"]  # type: ignore[index]


def _line_boxes(box: object) -> Iterator[object]:
    if type(box).__name__ == "LineBox":
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _line_boxes(child)


def _text_boxes(box: object) -> Iterator[object]:
    if hasattr(box, "text"):
        yield box
    for child in getattr(box, "children", ()):
        yield from _text_boxes(child)


def measure_line(line: object, into: Lines) -> None:
    boxes = [box for box in _text_boxes(line) if "justification_spacing" in vars(box)]
    if not boxes:
        return  # not justified (WeasyPrint sets the spacing of each box of a justified line)
    widest = None
    for box in boxes:
        natural = _natural_space(box.style)  # type: ignore[attr-defined]
        if natural and (" " in box.text or "\u00a0" in box.text):  # type: ignore[attr-defined]
            ratio = (natural + box.justification_spacing) / natural  # type: ignore[attr-defined]
            widest = ratio if widest is None else max(widest, ratio)
    if widest is None:
        return
    into.ratios.append(widest)
    kashidas = [
        (kashida.length, box.style["font_size"])  # type: ignore[attr-defined]
        for box in boxes
        for kashida in vars(box).get(PLAN, ())
    ]
    into.kashidas.append(len(kashidas))
    into.lengths.extend(length / size for length, size in kashidas)


def lay_out(source: Path, paper: str, justify: str) -> Lines:
    import weasyprint

    options = make_options(paper=paper, justify=justify, formats="pdf")
    article = parse_article(read_source(source), options)
    html = weasyprint.HTML(
        string=render_print_html(article, options),
        base_url=article.source.folder.as_uri() + "/",
        url_fetcher=SafeURLFetcher(article.assets),
    )
    lines = Lines()
    with patched():
        document = html.render(font_config=bundled_font_config(), pdf_tags=True)
        for page in document.pages:
            for line in _line_boxes(page._page_box):
                measure_line(line, lines)
    return lines


def report(articles: list[Path]) -> None:
    print(f"{'article':<24} {'paper':<5} {'justify':<8} {'lines':>6} {'median':>6} {'p95':>6} "
          f"{'max':>6} {'>1.5x':>7} {'k/line':>6} {'k em med/max':>10}")  # fmt: skip
    for source in articles:
        for paper in PAPERS:
            for justify in JUSTIFICATIONS:
                lines = lay_out(source, paper, justify)
                print(f"{source.stem[:24]:<24} {paper:<5} {justify:<8} {lines.row()}", flush=True)


def timing(book: Path, runs: int) -> None:
    options = {j: make_options(formats="pdf", justify=j) for j in JUSTIFICATIONS}
    article = parse_article(read_source(book), options["spaces"])
    wall: dict[str, list[float]] = {j: [] for j in JUSTIFICATIONS}
    cpu: dict[str, list[float]] = {j: [] for j in JUSTIFICATIONS}
    with tempfile.TemporaryDirectory() as out:
        for run in range(runs):
            for justify in JUSTIFICATIONS[:: 1 if run % 2 == 0 else -1]:
                start, start_cpu = time.perf_counter(), time.process_time()
                write_pdf(article, Path(out) / f"{justify}.pdf", options[justify])
                wall[justify].append(time.perf_counter() - start)
                cpu[justify].append(time.process_time() - start_cpu)
    for name, seconds in (("wall", wall), ("CPU", cpu)):
        medians = {j: statistics.median(s) for j, s in seconds.items()}
        for justify in JUSTIFICATIONS:
            runs_text = ", ".join(f"{s:.1f}" for s in seconds[justify])
            print(f"book PDF, {name} time, {justify:<8} median {medians[justify]:.2f} s "
                  f"({runs_text})")  # fmt: skip
        print(f"book PDF, {name} time, kashida / spaces: "
              f"{medians['kashida'] / medians['spaces']:.3f}")  # fmt: skip


def main(arguments: list[str]) -> int:
    if "--timing-only" in arguments:  # the timing alone, on the generated book
        arguments.remove("--timing-only")
        runs = int(arguments[0]) if arguments else 3
        with tempfile.TemporaryDirectory() as folder:
            book = Path(folder) / "book.md"
            book.write_text(long_document(), encoding="utf-8")
            timing(book, runs)
        return 0
    warnings.simplefilter("ignore")
    runs = 0
    if "--timing" in arguments:
        at = arguments.index("--timing")
        runs = 3
        if at + 1 < len(arguments) and arguments[at + 1].isdigit():
            runs = int(arguments.pop(at + 1))
        arguments.pop(at)
    with tempfile.TemporaryDirectory() as folder:
        book = Path(folder) / "book.md"
        book.write_text(long_document(), encoding="utf-8")
        paths = [Path(a) for a in arguments]
        articles = paths or [
            *(a for a in ARTICLES if a.is_file() and a.name not in NOT_ARTICLES),
            book,
        ]
        report(articles)
        if runs:
            timing(book, runs)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
