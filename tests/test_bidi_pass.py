"""The bidi pass on HTML fragments: levels against python-bidi, wrapped runs, paragraph
direction, languages and bidi-control hygiene."""

from __future__ import annotations

import re
import tempfile
import warnings
from pathlib import Path

import pytest
from bidi import get_display
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from exporter import export
from exporter.bidi.levels import paragraph_levels
from exporter.bidi.markup import Paragraph, apply_bidi_pass
from exporter.errors import ExportError, ExportWarning
from exporter.options import make_options
from exporter.read.parser import parse_article
from exporter.read.source import read_source
from tests.markdown_strategy import articles
from tests.readers import EpubPackage

ROOT = Path(__file__).resolve().parents[1]


def visual_order(text: str, base_level: int) -> str:
    """Rule L2: reverse every run at or above each level, from the highest down."""
    levels = paragraph_levels(text, base_level)
    order = list(range(len(text)))
    for level in range(max(levels, default=0), 0, -1):
        start = None
        for position in range(len(order) + 1):
            inside = position < len(order) and levels[order[position]] >= level
            if inside and start is None:
                start = position
            elif not inside and start is not None:
                order[start:position] = order[start:position][::-1]
                start = None
    return "".join(text[i] for i in order)


# Letters of both directions, both kinds of digits, separators, terminators, a mark and
# a neutral: everything the weak and neutral rules look at. No brackets: python-bidi
# mirrors them (rule L4), which is a matter of glyphs, not of order.
ALPHABET = "ab cdعربيשל0123٠١٢.,-+%$#:/ \u064e"


@pytest.mark.slow  # 3000 Hypothesis examples
@settings(max_examples=3000, deadline=None)
@given(st.text(ALPHABET, min_size=1, max_size=16), st.sampled_from([0, 1]))
def test_levels_give_the_order_python_bidi_gives(text: str, base_level: int) -> None:
    assert visual_order(text, base_level) == get_display(text, base_dir="LR"[base_level])


def layer(fragment: str, direction: str = "rtl", lang: str = "ar") -> str:
    return apply_bidi_pass(fragment, lang=lang, direction=direction)


CASES = [
    # Latin run across emphasis and code: one wrap from the first Latin letter on. Inline
    # code is a left-to-right isolate, and to the text around it a Latin word.
    (
        "<p>جهاز <b>Apple</b> <i>iPhone</i> <code>17</code> الجديد</p>",
        '<p>جهاز <span dir="ltr"><b>Apple</b> <i>iPhone</i> <code dir="ltr">17</code></span>'
        " الجديد</p>",
    ),
    (
        "<p>جهاز <b>Apple</b> <code>17</code> <i>Pro</i> الجديد</p>",
        '<p>جهاز <span dir="ltr"><b>Apple</b> <code dir="ltr">17</code> <i>Pro</i></span>'
        " الجديد</p>",
    ),
    # A number after Arabic is not part of the Latin run after it (rule W7 needs an L).
    ("<p>بسرعة 5.4 <b>GHz</b> فقط</p>", "<p>بسرعة 5.4 <b>GHz</b> فقط</p>"),
    # A run that starts and ends inside elements splits them; the copy drops the id.
    (
        '<p><b id="x">عربي Apple</b> <i>iPhone عربي</i> نص</p>',
        '<p><b id="x">عربي </b><span dir="ltr"><b>Apple</b> <i>iPhone</i></span><i> عربي</i>'
        " نص</p>",
    ),
    # A run wholly inside one link needs no wrap; one that leaves it takes the link in.
    ('<p>قال <a href="u">Hello big</a> ثم</p>', '<p>قال <a href="u">Hello big</a> ثم</p>'),
    (
        '<p>قال <a href="u">Hello <b>big</b></a> world ثم</p>',
        '<p>قال <span dir="ltr"><a href="u">Hello <b>big</b></a> world</span> ثم</p>',
    ),
    # An English paragraph takes dir="ltr"; its Arabic run across markup takes rtl.
    (
        "<p>He said <b>مرحبا</b> عالم today.</p>",
        '<p dir="ltr">He said <span dir="rtl"><b>مرحبا</b> عالم</span> today.</p>',
    ),
    # An Arabic paragraph that opens with a Latin name stays Arabic.
    (
        "<p>Apple <b>Inc</b> أعلنت اليوم عن هاتف جديد</p>",
        '<p><span dir="ltr">Apple <b>Inc</b></span> أعلنت اليوم عن هاتف جديد</p>',
    ),
    # Numbers joined by a common separator across markup are one run (rule W4)...
    ("<p>بين <b>2019</b>/2021 صدر</p>", '<p>بين <span dir="ltr"><b>2019</b>/2021</span> صدر</p>'),
    # ... but not by a hyphen after Arabic: W2 makes them Arabic numbers, and W4 joins
    # those by a common separator only, so the two numbers stand apart.
    ("<p>بين <b>2019</b>-2021 صدر</p>", "<p>بين <b>2019</b>-2021 صدر</p>"),
    # Hebrew and Greek runs carry their language.
    (
        "<p>قال שלום עולם ثم λόγος هنا</p>",
        '<p>قال <span lang="he">שלום עולם</span> ثم <span lang="el">λόγος</span> هنا</p>',
    ),
    # An element with its own dir is an isolate: its content is laid out on its own.
    (
        '<p>نص <span dir="ltr">a <b>b</b> عربي <i>ج</i></span> نص</p>',
        '<p>نص <span dir="ltr">a <b>b</b> <span dir="rtl">عربي <i>ج</i></span></span> نص</p>',
    ),
    # A bare <bdi> gets the direction of its letters, written out for WeasyPrint.
    ("<p>نص <bdi>abc</bdi> نص</p>", '<p>نص <bdi dir="ltr">abc</bdi> نص</p>'),
    # A technical token is an isolate; a Latin phrase that ends with one is one run.
    ("<p>نكتب بلغة C++ كل يوم.</p>", '<p>نكتب بلغة <span dir="ltr">C++</span> كل يوم.</p>'),
    (
        "<p>النظام macOS 10.15.7 قديم</p>",
        '<p>النظام <span dir="ltr">macOS <span dir="ltr">10.15.7</span></span> قديم</p>',
    ),
    # In left-to-right text, code and tokens are neutral objects, as browsers see them: one
    # between two Arabic words is part of their run.
    (
        "<p>He wrote مرحبا <code>x</code> عالم and C++ عالم مرحبا today.</p>",
        '<p dir="ltr">He wrote <span dir="rtl">مرحبا <code dir="ltr">x</code> عالم</span> and '
        '<span dir="ltr">C++</span> عالم مرحبا today.</p>',
    ),
    # A token over the edge of an element splits it; the copy drops the id.
    (
        '<p>نص <b id="x">مسار /usr/sh</b>are/x نص</p>',
        '<p>نص <b id="x">مسار </b><span dir="ltr"><b>/usr/sh</b>are/x</span> نص</p>',
    ),
    # An element that holds just the token is taken into the isolate whole.
    (
        '<p>زر <a href="u">https://example.org/a</a>. ثم</p>',
        '<p>زر <span dir="ltr"><a href="u">https://example.org/a</a></span>. ثم</p>',
    ),
    # No token inside code, which is one isolate already; none in a code block.
    ("<p>نفّذ <code>ls /tmp</code> الآن</p>", '<p>نفّذ <code dir="ltr">ls /tmp</code> الآن</p>'),
    ("<pre><code>C++ /usr</code></pre>", '<pre dir="ltr"><code>C++ /usr</code></pre>'),
    # Plain numbers, dates, percentages and signed numbers follow the bidi algorithm.
    ("<p>ارتفع 2.8% و+182.4 في 2026-11-20</p>", "<p>ارتفع 2.8% و+182.4 في 2026-11-20</p>"),
    # Nested lists: each paragraph of inline content is handled on its own.
    (
        "<ul><li>بند <b>one</b> two<ul><li>فرعي</li></ul></li></ul>",
        '<ul><li>بند <span dir="ltr"><b>one</b> two</span><ul><li>فرعي</li></ul></li></ul>',
    ),
]


@pytest.mark.parametrize(("given_html", "expected"), CASES)
def test_bidi_pass_output(given_html: str, expected: str) -> None:
    assert layer(given_html) == expected


def test_open_overrides_and_isolates_close_with_their_element() -> None:
    got = layer("<p>أ <b>\u202eabc</b> \u2067x\u202bي <i>\u2066q</i> ب\u202c\u2069\u2069</p>")
    # RLO closed at the end of <b>, LRI at the end of <i>; the RLE inside the RLI is closed
    # by its PDI (UAX #9, X6a); the stray PDI at the end is dropped.
    assert (
        got == "<p>أ <b>\u202eabc\u202c</b> \u2067x\u202bي <i>\u2066q\u2069</i> ب\u202c\u2069</p>"
    )


def test_controls_that_xhtml_forbids_are_removed_and_joiners_kept() -> None:
    got = layer("<p>نص\x01\x1b نص\u200cی\u200dه</p>", lang="fa")
    assert got == "<p>نص نص\u200cی\u200dه</p>"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["عربي ", "Apple ", "17 ", "<b>", "</b>", "<i>", "</i>", "5.4 ", "ש "]),
        max_size=14,
    )
)
def test_output_is_well_formed_and_keeps_the_text(pieces: list[str]) -> None:
    import nh3

    fragment = nh3.clean("<p>" + "".join(pieces) + "</p>")
    got = layer(fragment)
    before = etree.fromstring(f"<div>{fragment}</div>")
    after = etree.fromstring(f"<div>{got}</div>")  # raises when not well formed
    assert "".join(after.itertext()) == "".join(before.itertext())


def test_controls_never_reach_titles_authors_ids_or_the_table_of_contents(
    tmp_path: Path,
) -> None:
    source = tmp_path / "controls.md"
    source.write_text(
        # YAML escapes: an override and a bell in the title, an isolate in the author.
        '---\ntitle: "عنوان\\u202e مقلوب\\a"\nauthor: "كاتب\\u2067 x"\n---\n\n'
        "## قسم\u202b أول\n\n## ثان\u2066\n\nنص\u200cی [رابط](#قسم-أول).\n",
        encoding="utf-8",
    )
    written = export(source, out_dir=tmp_path, formats="epub,html")
    page = lxml_html.fromstring(written[1].read_bytes())
    controls = re.compile("[\u202a-\u202e\u2066-\u2069\x00-\x08\x0b-\x1f]")
    assert page.findtext(".//title") == "عنوان مقلوب"
    assert page.xpath("string(//meta[@name='author']/@content)") == "كاتب x"
    assert [h.get("id") for h in page.iter("h2")] == ["قسم-أول", "ثان"]
    assert page.xpath("//a[@href='#قسم-أول']")
    assert "\u200c" in page.text_content()  # ZWNJ stays
    package = EpubPackage(written[0])
    nav = etree.tostring(package.nav_document(), encoding="unicode")
    opf = etree.tostring(package.opf, encoding="unicode")
    for text in (nav, opf, page.findtext(".//title")):
        assert not controls.search(text), repr(text)


def _body_both_ways(source: Path) -> tuple[str, str] | None:
    """The article's body after the layer, and the same when no paragraph takes the fast
    path; None for an input refused before the layer."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExportWarning)  # the inputs' own: tested elsewhere
        return _parsed_both_ways(source)


def _parsed_both_ways(source: Path) -> tuple[str, str] | None:
    try:
        fast = parse_article(read_source(source), make_options()).body_html
        original = Paragraph._left_as_is
        Paragraph._left_as_is = lambda self, tokens: False  # type: ignore[method-assign]
        try:
            full = parse_article(read_source(source), make_options()).body_html
        finally:
            Paragraph._left_as_is = original  # type: ignore[method-assign]
    except ExportError:
        return None
    return fast, full


MARKDOWN_FILES = sorted(
    [ROOT / "article.md", *(ROOT / "tests" / "corpus").glob("*.md"),
     *(ROOT / "tests" / "hostile").glob("*.md")]
)  # fmt: skip


@pytest.mark.parametrize("path", MARKDOWN_FILES, ids=lambda path: path.name)
def test_paragraphs_left_as_they_are_come_out_as_the_full_passes_give_them(path: Path) -> None:
    """A paragraph with nothing for the layer to do skips its passes, to the same HTML."""
    both = _body_both_ways(path)
    assert both is None or both[0] == both[1]


@settings(max_examples=60, deadline=None)
@given(articles)
def test_any_markdown_comes_out_of_both_paths_alike(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "a.md"
        source.write_text(text, encoding="utf-8")
        both = _body_both_ways(source)
    assert both is None or both[0] == both[1]
