"""How much of each test article's text PDF readers get back from the PDF we write.

    .venv/bin/python scripts/extraction.py [--differences] [ARTICLE.md ...]

Each article (by default article.md and every article of tests/corpus/) is exported to
PDF, then read by poppler (``pdftotext``), PDFium (``pypdfium2``) and MuPDF (``mutool draw
-F txt``). The reference is the logical text WeasyPrint laid out: the body of the print
HTML, each note the print layout moves to the foot of its page apart.

*Tokens* are the white-space-separated pieces of text, in NFC, tatweel and bidi controls
removed: a word with its punctuation, quotes, brackets, signs and zero width non-joiners.
*Letters* are the characters of Unicode categories L, M and N (NFKC); *words* the older
measure, maximal runs of letters. *Found in order* = the share of the source's items that
come out in the source's order (``exporter.pdf.readback.compare``). Extra text in the PDF
(folios, running heads, list numbers) costs nothing; an item lost, changed or out of
order does. *Forms* lists presentation-form characters (U+FB50..U+FDFF, U+FE70..U+FEFF)
in the extracted text. Targets: poppler and PDFium tokens >= 0.99, letters 1.000, no
forms; MuPDF 1.21 writes right-to-left text in visual order for every producer, so it is
reported only. ``--differences`` prints, under each figure, the first source tokens that
did not come out as written and what the reader has at their place.
"""

from __future__ import annotations

import sys
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

from exporter import export

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the measurement lives in tests/
from tests.textscore import READERS, Score, laid_out_text, score

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = (ROOT / "article.md", *sorted((ROOT / "tests" / "corpus").glob("*.md")))
NOT_ARTICLES = ("README.md",)


def measure(source: Path, out_dir: Path) -> Iterator[tuple[str, Score]]:
    """Export ``source`` to PDF in ``out_dir``, then score every reader on it."""
    (pdf,) = export(source, out_dir=out_dir, formats="pdf")
    reference = laid_out_text(source)
    for reader, extract in READERS.items():
        yield reader, score(reference, extract(pdf))


def main(arguments: list[str]) -> int:
    show = "--differences" in arguments
    paths = [Path(a) for a in arguments if a != "--differences"]
    articles = paths or [a for a in ARTICLES if a.is_file() and a.name not in NOT_ARTICLES]
    warnings.simplefilter("ignore")  # the export's own check of the text layer: measured here
    print(f"{'article':<22} {'reader':<8} {'tokens':>7} {'letters':>8} {'words':>7}  forms")
    with tempfile.TemporaryDirectory() as out_dir:
        for source in articles:
            for reader, found in measure(source, Path(out_dir)):
                forms = found.presentation_forms or "none"
                figures = f"{found.tokens:>7.3f} {found.letters:>8.3f} {found.words:>7.3f}"
                print(f"{source.name:<22} {reader:<8} {figures}  {forms}")
                if show and reader != "mupdf":
                    for wanted, got in found.differences:
                        print(f"{'':<31} {wanted}  ->  {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
