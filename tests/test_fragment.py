"""The body as one parsed tree between the stages: sanitised HTML read into lxml and written
back byte for byte, and what the read and render stages do on the tree (ids, links,
refused images, print footnotes placed at their calls, the faces the text needs)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from exporter import parse_article, read_source
from exporter.bidi.markup import apply_bidi_pass
from exporter.fragment import parse_fragment, replace_with_text, serialize_fragment, unwrap
from exporter.model import Article
from exporter.read.parser import markdown_parser
from exporter.read.sanitize import sanitize_html
from exporter.render.footnotes import inline_footnotes
from exporter.render.typefaces import faces_used
from tests.markdown_strategy import articles

ROOT = Path(__file__).resolve().parents[1]


def round_trip(html: str) -> str:
    return serialize_fragment(parse_fragment(html))


@pytest.mark.parametrize(
    "raw",
    [
        "<b><p>a paragraph inside bold</p></b>",  # libxml2 would move the <p> out
        "<pre>\n\nthe first newline of a pre</pre>",  # an HTML5 parser would drop it
        '<p title="&amp; &quot; &lt;b&gt; \u00a0">&amp; " \' &lt;i&gt; \u00a0 \u2003</p>',
        '<ol reversed start="3"><li>one<br>two</li></ol><hr><img src="a b.png" alt="">',
        "<table><tr><td>a cell</td></tr></table>",
        '<span><div>a block in an inline</div></span> <a href="#x"><div>y</div></a>',
        "text before <em>and</em> after\n",
    ],
)
def test_sanitised_html_is_written_back_as_it_was(raw: str) -> None:
    html = sanitize_html(raw)
    assert round_trip(html) == html


def sanitised_and_isolated(markdown: str) -> str:
    """The HTML the parser reads into a tree: sanitised, through the bidi pass, sanitised."""
    html = sanitize_html(markdown_parser().render(markdown))
    return sanitize_html(apply_bidi_pass(html, lang="ar", direction="rtl"))


CORPUS = [ROOT / "article.md", *sorted((ROOT / "tests" / "corpus").glob("*.md"))]


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: path.name)
def test_the_corpus_as_parsed_is_written_back_as_it_was(path: Path) -> None:
    html = sanitised_and_isolated(read_source(path).body)
    assert round_trip(html) == html


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=articles)
def test_any_markdown_as_parsed_is_written_back_as_it_was(text: str) -> None:
    html = sanitised_and_isolated(text)
    not_xml = [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]
    assert round_trip(html) == html.translate(dict.fromkeys(not_xml))


def test_characters_xml_cannot_hold_are_dropped() -> None:
    html = sanitize_html('<span title="a&#1;b">x&#xFFFF;y</span>')
    assert html == '<span title="a\x01b">x\uffffy</span>'
    assert round_trip(html) == '<span title="ab">xy</span>'


def test_an_element_gives_way_to_text_or_to_what_it_holds() -> None:
    fragment = parse_fragment("<p>a<img src=x>b<i>c</i>d</p>")
    replace_with_text(fragment.find(".//img"), "<alt>")
    unwrap(fragment.find(".//i"))
    assert serialize_fragment(fragment) == "<p>a&lt;alt&gt;bcd</p>"
    fragment = parse_fragment("<p>a<span>b<b>c</b>d</span>e</p>")
    unwrap(fragment.find(".//span"))
    assert serialize_fragment(fragment) == "<p>ab<b>c</b>de</p>"


def _article(tmp_path: Path, text: str) -> tuple[Article, list[str]]:
    source = tmp_path / "a.md"
    source.write_text(f"---\ntitle: ن\n---\n{text}", encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        article = parse_article(read_source(source))
    return article, [str(warning.message) for warning in caught]


def test_text_that_looks_like_an_attribute_is_text(tmp_path: Path) -> None:
    article, _ = _article(tmp_path, 'يكتب id="x" ثم id="" هنا.\n\n<p id="x">فقرة</p>\n')
    assert 'يكتب id="x" ثم id="" هنا.' in article.body_html
    assert '<p id="x">فقرة</p>' in article.body_html


def test_repeated_ids_dead_links_and_refused_images(tmp_path: Path) -> None:
    article, messages = _article(
        tmp_path,
        '<p id="a">1</p><p id="a">2</p>\n\n[x](#a) [y](#nowhere) ![صورة "ما"](missing.png)\n',
    )
    assert '<p id="a">1</p><p>2</p>' in article.body_html
    assert '<a href="#a">x</a> <a>y</a> صورة "ما"' in article.body_html
    assert any("'#nowhere'" in message for message in messages)
    assert any("'missing.png'" in message for message in messages)


def test_a_print_note_goes_after_its_first_call(tmp_path: Path) -> None:
    article, _ = _article(
        tmp_path, "نص[^1] ثم[^1].\n\n[^1]: &nbsp;أولى.\n\n    ثانية.\n\n    > ثالثة\n"
    )
    body = parse_fragment(article.body_html)
    inline_footnotes(body, article.footnotes)
    html = serialize_fragment(body)
    placed = (
        '</a></sup><span class="footnote" id="fn-1" dir="rtl">&nbsp;أولى.<br>ثانية.\n'
        "<blockquote>\nثالثة\n</blockquote></span> ثم<sup"
    )
    assert placed in html
    assert html.count('class="footnote"') == 1


@pytest.mark.parametrize(
    ("html", "bold_slanted"),
    [("<p><strong>a <em>b</em></strong></p>", True), ("<h3>a <i>b</i></h3>", True),
     ("<p><em>a <b>b</b></em></p>", True), ("<p><b></b><b><b></b><i>x</i></b></p>", True),
     ("<p><em>a</em> <strong>b</strong></p>", False)],
)  # fmt: skip
def test_the_bold_slanted_face_only_for_emphasis_and_bold_together(
    html: str, bold_slanted: bool
) -> None:
    styles = {(face.weight, face.style) for face in faces_used(html, "نص")}
    assert (400, "italic") in styles
    assert ((700, "italic") in styles) is bold_slanted
