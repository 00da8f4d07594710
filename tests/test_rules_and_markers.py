"""The thematic break is a thin grey rule like the title block's, and the third level of a
bulleted list a light mark, not a heavy black square (issue 17, item 10): measured in the
pixels of the PDF's page and of the web page and EPUB in Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from exporter import export
from tests.browser import browser
from tests.layoutprobe import epub_documents
from tests.pdfread import PdfReader

ARTICLE = """\
---
title: فاصل وقوائم متداخلة
lang: ar
---

فقرة قبل الفاصل.

---

فقرة بعد الفاصل.

- البند الأول
  - البند الثاني
    - البند الثالث
"""
DPI = 200
ITEM_WORD = "البند"  # the first word of every item
INK = 200  # a pixel darker than this is ink
# In Chromium: the rule's box, and the marker side (right of the text) of the first and the
# third level's items, in CSS pixels.
BOXES_JS = """
const box = (element) => { const r = element.getBoundingClientRect();
  return [r.left, r.top, r.right, r.bottom]; };
const items = [...document.querySelectorAll('main li')];
const marker = (item) => { const r = item.getBoundingClientRect();
  const size = parseFloat(getComputedStyle(item).fontSize);
  const line = parseFloat(getComputedStyle(item).lineHeight);
  return [r.right, r.top, r.right + 2 * size, r.top + line]; };
return {rule: box(document.querySelector('main hr')),
        first: marker(items[0]), third: marker(items[2])};
"""


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("rules")
    source = folder / "rules.md"
    source.write_text(ARTICLE, encoding="utf-8")
    return {path.suffix[1:]: path for path in export(source, out_dir=folder / "out")}


def _rules(page: Image.Image) -> list[tuple[int, int]]:
    """The horizontal rules of a page, top to bottom: rows where ink runs across a quarter
    of the page's width, grouped; each as its thickness in rows and its darkest pixel."""
    width, height = page.size
    pixels = page.load()
    rows = [y for y in range(height)
            if sum(pixels[x, y] < INK for x in range(0, width, 2)) > width / 8]  # fmt: skip
    bands: list[list[int]] = []
    for y in rows:
        if bands and y == bands[-1][-1] + 1:
            bands[-1].append(y)
        else:
            bands.append([y])
    return [(len(band), min(pixels[x, y] for y in band for x in range(width))) for band in bands]


def _ink(page: Image.Image, box: tuple[float, float, float, float]) -> int:
    """How many pixels of ``box`` (left, top, right, bottom) are ink."""
    region = page.crop(tuple(round(v) for v in box))
    return sum(value < INK for value in region.get_flattened_data())


def test_pdf_thematic_break_is_as_light_as_the_title_rule(outputs: dict[str, Path]) -> None:
    reader = PdfReader(outputs["pdf"])
    try:
        page = reader.render(1, dpi=DPI).convert("L")
    finally:
        reader.close()
    (title_rule, break_rule) = _rules(page)
    assert break_rule[0] <= title_rule[0], (title_rule, break_rule)  # no thicker
    assert break_rule[1] >= title_rule[1] - 16, (title_rule, break_rule)  # no darker


def test_pdf_third_level_marker_is_lighter_than_the_first(outputs: dict[str, Path]) -> None:
    """The ink on the right of each item's first word (where a right-to-left list puts its
    marker), from the word's edge to a line's height beyond it."""
    reader = PdfReader(outputs["pdf"])
    try:
        page = reader.render(1, dpi=DPI).convert("L")
        text = reader.pdfium[0].get_textpage()
        content = text.get_text_range()
        height = reader.size_mm(1)[1] * 72 / 25.4
        scale = DPI / 72
        inks = []
        for start in (i for i in range(len(content)) if content.startswith(ITEM_WORD, i)):
            boxes = [text.get_charbox(i) for i in range(start, start + len(ITEM_WORD))]
            right = max(box[2] for box in boxes)
            bottom, top = min(box[1] for box in boxes), max(box[3] for box in boxes)
            region = (right + 1, height - top - 2, right + (top - bottom) + 4, height - bottom + 2)
            inks.append(_ink(page, tuple(v * scale for v in region)))  # type: ignore[arg-type]
    finally:
        reader.close()
    first, _, third = inks
    assert 0 < third < first, inks


def _web_measures(document: Path, tmp_path: Path) -> tuple[dict[str, list[float]], Image.Image]:
    with browser() as chromium:
        page = chromium.open(document, width=600, height=800)
        boxes = page.measure(BOXES_JS)
        shot = page.screenshot(tmp_path / f"{document.stem}.png")
    return boxes, Image.open(shot).convert("L")  # type: ignore[return-value]


def test_web_page_and_epub_rule_and_markers_are_light(
    outputs: dict[str, Path], tmp_path: Path
) -> None:
    for document in (outputs["html"], epub_documents(outputs["epub"], tmp_path)[0]):
        boxes, shot = _web_measures(document, tmp_path)
        left, top, right, bottom = boxes["rule"]
        rule = shot.crop((round(left), round(top) - 2, round(right), round(bottom) + 2))
        ink_rows = [
            y for y in range(rule.height)
            if sum(rule.getpixel((x, y)) < INK for x in range(rule.width)) > rule.width / 2
        ]  # fmt: skip
        assert len(ink_rows) == 1, (document.name, ink_rows)
        # One row of the title rule's grey (#888), neither black nor a two-tone inset.
        assert abs(min(rule.get_flattened_data()) - 0x88) <= 8, document.name
        assert _ink(shot, boxes["third"]) < _ink(shot, boxes["first"]), document.name
