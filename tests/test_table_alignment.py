"""A table column's `:--`, `:-:` and `--:` are the left, the centre and the right of its
cells, in Arabic as everywhere Markdown is read: a column of numbers marked `--:` lines
its units up on the right (issue 17, item 2). Measured where the text lands: PDFium's
character boxes in the PDF, Chromium's boxes in the web page and the EPUB."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter import export
from exporter.pdf.readback import BIDI_CONTROLS
from tests.browser import browser
from tests.layoutprobe import epub_documents, pdf_words

# The numbers are the author's (Western digits, as typed); the codes are Latin, so that each
# is one word whose edges PDFium gives.
ROWS = [
    ("مصر", "1.9", "up", "EG"),
    ("المغرب", "12.6", "down", "MAR"),
    ("تونس", "100.25", "steady", "TUNIS"),
]
TABLE = "\n".join([
    "| البلد | النسبة | التغير | الرمز |",
    "|---|---:|:---:|:---|",
    *(f"| {country} | {share} % | {change} | {code} |" for country, share, change, code in ROWS),
])  # fmt: skip
ARTICLE = f"---\ntitle: جدول بأعمدة محاذاة\nlang: ar\n---\n\nنسب النمو في ثلاثة بلدان:\n\n{TABLE}\n"
# In the PDF, points; in Chromium, CSS pixels.
PDF_TOLERANCE = 0.5
SCREEN_TOLERANCE = 1.0
# For each cell of the three aligned columns: where its text's ink is (a Range over its
# text) within the room its padding leaves.
CELLS_JS = """
return [...document.querySelectorAll('tbody tr')].map(row => [...row.cells].slice(1).map(cell => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  const text = range.getBoundingClientRect();
  const box = cell.getBoundingClientRect();
  const style = getComputedStyle(cell);
  const side = (name) =>
    parseFloat(style['padding' + name]) + parseFloat(style['border' + name + 'Width']);
  return {left: text.left - box.left - side('Left'), right: box.right - side('Right') - text.right};
}));
"""


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("table")
    source = folder / "table.md"
    source.write_text(ARTICLE, encoding="utf-8")
    return {path.suffix[1:]: path for path in export(source, out_dir=folder / "out")}


def _column_words(pdf: Path, column: int) -> list[tuple[float, float]]:
    """The left and right edges of one column's words in the body rows, row by row."""
    wanted = [row[column] for row in ROWS]
    found = {
        "".join(char for char in word.text if char not in BIDI_CONTROLS): (word.left, word.right)
        for line in pdf_words(pdf)
        for word in line
    }
    assert set(wanted) <= set(found), (wanted, sorted(found))
    return [found[text] for text in wanted]


def test_pdf_columns_take_the_side_their_markdown_names(outputs: dict[str, Path]) -> None:
    numbers, changes, codes = (_column_words(outputs["pdf"], column) for column in (1, 2, 3))
    # `--:`: the numbers end at one right edge, so their decimals line up.
    rights = [right for _, right in numbers]
    assert max(rights) - min(rights) < PDF_TOLERANCE, numbers
    assert max(left for left, _ in numbers) - min(left for left, _ in numbers) > 5
    # `:-:`: one centre.
    centres = [(left + right) / 2 for left, right in changes]
    assert max(centres) - min(centres) < PDF_TOLERANCE, changes
    # `:--`: one left edge.
    lefts = [left for left, _ in codes]
    assert max(lefts) - min(lefts) < PDF_TOLERANCE, codes
    assert max(right for _, right in codes) - min(right for _, right in codes) > 5


def test_web_page_and_epub_columns_take_the_side_their_markdown_names(
    outputs: dict[str, Path], tmp_path: Path
) -> None:
    documents = [outputs["html"], epub_documents(outputs["epub"], tmp_path)[0]]
    with browser() as chromium:
        for document in documents:
            rows = chromium.open(document, width=800, height=900).measure(CELLS_JS)
            numbers, changes, codes = zip(*rows, strict=True)
            # Every number flush right, the narrower ones with room on their left.
            assert all(abs(cell["right"]) < SCREEN_TOLERANCE for cell in numbers), numbers
            assert max(cell["left"] for cell in numbers) > 5, (document.name, numbers)
            assert all(abs(c["left"] - c["right"]) < SCREEN_TOLERANCE for c in changes)
            assert all(abs(cell["left"]) < SCREEN_TOLERANCE for cell in codes), codes
            assert max(cell["right"] for cell in codes) > 5, (document.name, codes)
