"""How much of each test article's text PDF readers get back from the PDF we write.

    .venv/bin/python scripts/extraction.py [ARTICLE.md ...]

Each article (by default article.md and the test corpus) is exported to PDF, then read
by poppler (``pdftotext``), PDFium (``pypdfium2``) and MuPDF (``mutool draw -F txt``).
The reference is the text WeasyPrint laid out: the body of the print HTML.

Both texts are normalised (NFKC, tatweel and bidi controls removed). *Letters* are the
characters of Unicode categories L, M and N; *words* are maximal runs of them.
*Found in order* = length of the longest common subsequence of the two sequences (of
letters, or of words) / length of the reference sequence. Extra text in the PDF (folios,
running heads, a table of contents) costs nothing; a letter or word lost, changed or out
of order does. *Forms* lists presentation-form characters (U+FB50..U+FDFF,
U+FE70..U+FEFF) found in the extracted text. Targets: poppler and PDFium letters 1.000
and words >= 0.99, no forms; MuPDF 1.21 writes right-to-left text in visual order for
every producer, so it is reported only.
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
ARTICLES = (
    ROOT / "article.md",
    ROOT / "tests" / "corpus" / "vocalised.md",
    ROOT / "tests" / "corpus" / "mixed-latin.md",
    ROOT / "tests" / "corpus" / "mixed-inline.md",
)


def measure(source: Path, out_dir: Path) -> Iterator[tuple[str, Score]]:
    """Export ``source`` to PDF in ``out_dir``, then score every reader on it."""
    (pdf,) = export(source, out_dir=out_dir, formats="pdf")
    reference = laid_out_text(source)
    for reader, extract in READERS.items():
        yield reader, score(reference, extract(pdf))


def main(arguments: list[str]) -> int:
    articles = [Path(a) for a in arguments] or [a for a in ARTICLES if a.is_file()]
    warnings.simplefilter("ignore")  # the export's own check of the text layer: measured here
    print(f"{'article':<20} {'reader':<8} {'letters':>8} {'words':>8}  forms")
    with tempfile.TemporaryDirectory() as out_dir:
        for source in articles:
            for reader, found in measure(source, Path(out_dir)):
                forms = found.presentation_forms or "none"
                figures = f"{found.letters:>8.3f} {found.words:>8.3f}"
                print(f"{source.name:<20} {reader:<8} {figures}  {forms}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
