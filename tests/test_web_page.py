"""The web page of a long document as a phone shows it (Chromium at 390 px): a table of
contents after the title, each chapter's notes at the chapter's end, figures as wide as the
column, and a dark style when the reader's system asks for one, its text legible."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import html as lxml_html
from PIL import Image

from exporter import export, parse_article, read_source
from exporter.errors import ExportWarning
from tests.browser import Browser, browser
from tests.conftest import ARTICLE, BOOK
from tests.longdoc import long_document

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with browser() as instance:
        yield instance


@pytest.fixture(scope="module")
def long_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A document of six chapters with sections, quotations, lists and notes."""
    source = tmp_path_factory.mktemp("long") / "long.md"
    source.write_text(long_document(chapters=6, sections=3, paragraphs=4), encoding="utf-8")
    (html,) = export(source, out_dir=source.parent, formats=("html",))
    return html


@pytest.fixture(scope="module")
def book_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExportWarning)  # its image without alt text
        (html,) = export(BOOK, out_dir=tmp_path_factory.mktemp("book"), formats=("html",))
    return html


def test_chapters_bring_a_table_of_contents_after_the_title(
    long_html: Path, chromium: Browser
) -> None:
    headings = parse_article(read_source(long_html.with_suffix(".md"))).headings
    tree = lxml_html.fromstring(long_html.read_bytes())
    [toc] = tree.xpath("//nav[@role='doc-toc']")
    links = [link.get("href") for link in toc.iter("a")]
    assert links == [f"#{h.id}" for h in headings if h.level <= 2]
    assert all(tree.get_element_by_id(link[1:]) is not None for link in links)
    page = chromium.open(long_html, **PHONE)
    title, contents, text = page.measure(  # type: ignore[misc]
        "return ['header.title-block', 'nav.toc', 'main'].map("
        "s => document.querySelector(s).getBoundingClientRect().top);"
    )
    assert title < contents < text


def test_an_article_without_chapters_has_no_table_of_contents(tmp_path: Path) -> None:
    (html,) = export(ARTICLE, out_dir=tmp_path, formats=("html",))
    assert not lxml_html.fromstring(html.read_bytes()).xpath("//nav[@role='doc-toc']")


# Each note call: the top of the call, of its note, and of the next chapter's heading (or
# the page's end), in px from the top of the page.
CALLS_AND_NOTES = """
const top = element => element.getBoundingClientRect().top + scrollY;
const chapters = [...document.querySelectorAll('main > h1')].map(top);
const end = document.documentElement.scrollHeight;
return [...document.querySelectorAll('a[role="doc-noteref"]')].map(call => {
  const note = document.querySelector(call.getAttribute('href'));
  return [call.id, top(call), top(note), Math.min(end, ...chapters.filter(t => t > top(call)))];
});
"""


def test_each_note_is_set_at_the_end_of_its_chapter(long_html: Path, chromium: Browser) -> None:
    page = chromium.open(long_html, **PHONE)
    calls = page.measure(CALLS_AND_NOTES)
    assert len(calls) > 20  # type: ignore[arg-type]
    for call_id, call, note, next_chapter in calls:  # type: ignore[union-attr]
        assert call < note < next_chapter, call_id


# The left and right edges of the text column and of each figure and its image, in px.
FIGURES = """
const column = document.querySelector('main > p').getBoundingClientRect();
return [...document.querySelectorAll('figure')].map(figure => {
  const box = figure.getBoundingClientRect();
  const image = figure.querySelector('img').getBoundingClientRect();
  return {column: [column.left, column.right], figure: [box.left, box.right],
          image: [image.left, image.right]};
});
"""


def test_figures_use_the_whole_column_at_phone_width(
    book_html: Path, chromium: Browser, tmp_path: Path
) -> None:
    page = chromium.open(book_html, **PHONE)
    [figure] = page.measure(FIGURES)  # type: ignore[misc]
    assert figure["figure"] == pytest.approx(figure["column"], abs=1), figure
    # The image (320 px wide) fills the column's width as nearly as it can, centred.
    width = figure["column"][1] - figure["column"][0]
    assert figure["image"][1] - figure["image"][0] == pytest.approx(min(320, width), abs=1)
    page.screenshot(tmp_path / "phone.png")


def luminance(rgb: list[float]) -> float:
    """Relative luminance, WCAG 2.2's definition."""
    linear = [c / 255 / 12.92 if c <= 10.31475 else ((c / 255 + 0.055) / 1.055) ** 2.4
              for c in rgb]  # fmt: skip
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: list[float], other: list[float]) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# The page's background, and the colour of the body text, a heading, a link, the notes.
SELECTORS = {"text": "main p", "heading": "main h1", "contents": "nav.toc a",
             "call": "a[role='doc-noteref']", "note": "section.footnotes li",
             "back": "a[role='doc-backlink']"}  # fmt: skip
COLOURS = """
const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
const colours = {background: rgb(getComputedStyle(document.documentElement).backgroundColor)};
for (const [name, selector] of Object.entries(SELECTORS)) {
  const element = document.querySelector(selector);
  if (element) colours[name] = rgb(getComputedStyle(element).color);
}
return colours;
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_is_legible_in_either_colour_scheme(
    scheme: str, long_html: Path, chromium: Browser, tmp_path: Path
) -> None:
    page = chromium.open(long_html, **PHONE, dark=scheme == "dark")
    script = f"const SELECTORS = {json.dumps(SELECTORS)};" + COLOURS
    colours: dict[str, list[float]] = page.measure(script)  # type: ignore[assignment]
    background = colours.pop("background")
    assert (luminance(background) < 0.05) is (scheme == "dark"), background
    assert set(colours) == set(SELECTORS), colours
    for name, colour in colours.items():
        # WCAG 2.2, 1.4.6 (enhanced contrast): 7:1 for text.
        assert contrast(colour, background) >= 7, (name, colour, background)
    # And the page as drawn: the margin beside the column has the background's colour.
    shot = Image.open(page.screenshot(tmp_path / f"{scheme}.png")).convert("RGB")
    assert list(shot.getpixel((4, PHONE["height"] // 2))) == pytest.approx(background, abs=2)
