"""Where the ink of each line of text lies: in a PDF page (each line drawn alone by PDFium)
and in a page or an EPUB document shown by headless Chromium (the words of alternate lines
painted in two colours). A line whose ink reaches into its neighbour's is a collision; ink
past the page's text area is ink a reader may lose."""

from __future__ import annotations

import io
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2
from PIL import Image

from tests.ebook_readers import chromium

# Path construction and painting, images and shadings: everything but text is left out
# of a line drawn alone, so that only its glyphs make ink.
_NOT_TEXT = {"m", "l", "c", "v", "y", "h", "re", "f", "F", "f*", "S", "s", "B", "B*", "b", "b*",
             "n", "W", "W*", "Do", "sh", "BI", "ID", "EI"}  # fmt: skip
# Text objects whose baselines lie this close (in the page's drawing units, CSS pixels for
# WeasyPrint) belong to one line: a raised footnote call is drawn on a baseline of its own.
_SAME_LINE = 12.0


@dataclass(frozen=True)
class LineInk:
    baseline: float  # the line's baseline, from the top of the page (drawing units)
    left: float  # its ink, in points from the page's top left corner
    top: float
    right: float
    bottom: float


def _text_objects(ops: list[tuple[object, object]]) -> list[tuple[float, int, int]]:
    """(baseline, first op, last op) of each BT ... ET block, in drawing order."""
    blocks, start, baseline = [], None, None
    for index, (operands, operator) in enumerate(ops):
        name = str(operator)
        if name == "BT":
            start, baseline = index, None
        elif name == "Tm" and start is not None and baseline is None:
            baseline = float(operands[5])  # type: ignore[index]
        elif name == "ET" and start is not None and baseline is not None:
            blocks.append((baseline, start, index))
            start = None
    return blocks


def _lines(blocks: list[tuple[float, int, int]]) -> list[list[tuple[float, int, int]]]:
    lines: list[list[tuple[float, int, int]]] = []
    for block in sorted(blocks):
        if lines and block[0] - lines[-1][-1][0] < _SAME_LINE:
            lines[-1].append(block)
        else:
            lines.append([block])
    return lines


def pdf_line_inks(pdf: Path, page_index: int, scale: float = 4.0) -> list[LineInk]:
    """The ink of every line of the page, top to bottom: each line drawn alone by PDFium
    (every other text block and all painting but text removed from the content stream)."""
    with pikepdf.open(pdf) as document:
        page = document.pages[page_index]
        ops = list(pikepdf.parse_content_stream(page))
        blocks = _text_objects(ops)
        in_text = set().union(*(range(start, end + 1) for _, start, end in blocks))
        inks = []
        for line in _lines(blocks):
            kept = set().union(*(range(start, end + 1) for _, start, end in line))
            alone = [op for index, op in enumerate(ops) if index in kept
                     or (index not in in_text and str(op[1]) not in _NOT_TEXT)]  # fmt: skip
            box = _ink_box(document, page, pikepdf.unparse_content_stream(alone), scale)
            if box is not None:
                inks.append(LineInk(line[0][0], *box))
    return inks


def _ink_box(
    document: pikepdf.Pdf, page: pikepdf.Page, content: bytes, scale: float
) -> tuple[float, float, float, float] | None:
    single = pikepdf.new()
    single.pages.append(page)
    single.pages[0].Contents = single.make_stream(content)
    buffer = io.BytesIO()
    single.save(buffer)
    rendered = pypdfium2.PdfDocument(buffer.getvalue())
    try:
        image = rendered[0].render(scale=scale, grayscale=True).to_pil().convert("L")
    finally:
        rendered.close()
    box = image.point(lambda value: 255 if value < 160 else 0).getbbox()
    return tuple(edge / scale for edge in box) if box else None  # type: ignore[return-value]


# Wraps every word of the document in a span once its fonts are in, groups the words into
# lines by where they stand, paints alternate lines red and blue, and writes each line's
# box (its centre plus and minus half the line height) as JSON into the page. Raised
# footnote calls are painted black: they are no line of their own.
_SCRIPT = r"""
document.fonts.ready.then(() => {
  // Links and their underlines would be painted in the link colour: black, as the calls.
  for (const link of document.querySelectorAll("a, sup")) {
    link.style.color = "#000";
    link.style.textDecoration = "none";
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const skipped = node.parentElement.closest("sup, style, script");
    if (node.textContent.trim() && !skipped) texts.push(node);
  }
  const words = [];
  for (const node of texts) {
    const parts = node.textContent.split(/(\s+)/);
    const fragment = document.createDocumentFragment();
    for (const part of parts) {
      if (!part.trim()) { fragment.append(part); continue; }
      const span = document.createElement("span");
      span.textContent = part;
      fragment.append(span);
      words.push(span);
    }
    node.replaceWith(fragment);
  }
  const lines = [];
  for (const span of words) {
    const rect = span.getBoundingClientRect();
    const centre = rect.top + rect.height / 2 + window.scrollY;
    const height = parseFloat(getComputedStyle(span).lineHeight);
    const last = lines[lines.length - 1];
    if (last && Math.abs(centre - last.centre) < last.height / 2) last.spans.push(span);
    else lines.push({centre, height, spans: [span]});
  }
  lines.forEach((line, index) => {
    for (const span of line.spans) span.style.color = index % 2 ? "#0000ff" : "#ff0000";
  });
  const out = document.createElement("pre");
  out.id = "line-boxes";
  out.style.display = "none";
  out.textContent = JSON.stringify({
    height: document.documentElement.scrollHeight,
    lines: lines.map((line) => [line.centre - line.height / 2, line.centre + line.height / 2]),
  });
  document.body.append(out);
});
"""


@dataclass(frozen=True)
class BrowserLines:
    boxes: list[tuple[float, float]]  # each line's box, top and bottom, in CSS pixels
    image: Image.Image  # the whole page, one pixel per CSS pixel

    def intrusions(self) -> list[tuple[int, int]]:
        """(line, rows) for each line whose box holds ink of another line's colour."""
        found = []
        for index, (top, bottom) in enumerate(self.boxes):
            other = (0, 0, 255) if index % 2 == 0 else (255, 0, 0)
            rows = sum(
                _has_colour(self.image, row, other)
                for row in range(max(0, round(top) + 1), min(self.image.height, round(bottom) - 1))
            )
            if rows:
                found.append((index, rows))
        return found


def _has_colour(image: Image.Image, row: int, colour: tuple[int, int, int]) -> bool:
    strip = image.crop((0, row, image.width, row + 1)).get_flattened_data()
    channel = colour.index(255)
    return any(
        pixel[channel] > 150 and all(pixel[c] < 110 for c in range(3) if c != channel)
        for pixel in strip
    )


def browser_lines(document: Path, work: Path, width: int = 700) -> BrowserLines:
    """The lines of ``document`` (HTML, or XHTML with an .xhtml name) in Chromium."""
    marked = document.with_name("marked-" + document.name)
    text = document.read_text(encoding="utf-8")
    script = f"<script>//<![CDATA[\n{_SCRIPT}\n//]]></script>"
    marked.write_text(text.replace("</body>", script + "</body>"), encoding="utf-8")
    dom = _chromium(marked, work, ["--dump-dom", f"--window-size={width},2000"])
    found = dom[dom.index('id="line-boxes"') :]
    data = json.loads(found[found.index(">") + 1 : found.index("</pre>")].replace("&quot;", '"'))
    shot = work / "page.png"
    _chromium(marked, work, [f"--screenshot={shot}", f"--window-size={width},{data['height']}"])
    boxes = [(float(top), float(bottom)) for top, bottom in data["lines"]]
    return BrowserLines(boxes, Image.open(shot).convert("RGB"))


def _chromium(page: Path, work: Path, extra: list[str]) -> str:
    done = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={work / 'profile'}", "--hide-scrollbars",
         "--force-device-scale-factor=1", "--virtual-time-budget=15000", *extra,
         page.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return done.stdout
