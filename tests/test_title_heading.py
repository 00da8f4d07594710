"""An article that opens with its title as a heading shows the title once, in its title
block, with its text right under it: in the PDF on page 1, in the web page and in the
EPUB (issue 17, item 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter import export
from exporter.pdf.readback import BIDI_CONTROLS
from exporter.read.parser import parse_article
from exporter.read.source import read_source
from tests.browser import browser
from tests.layoutprobe import epub_documents
from tests.pdfread import PdfReader

TITLE = "عنوان المقالة بلا مقدمة"
TITLE_ID = "عنوان-المقالة-بلا-مقدمة"
BODY = f"""\
هذه الفقرة الأولى من المقالة، تأتي بعد العنوان مباشرة، وفيها [رابط إلى العنوان](#{TITLE_ID}).

## قسم أول

فقرة في القسم الأول.
"""
# Where the first paragraph starts, measured from the title's foot: the title block's own
# margins and one line, never a page or a second heading.
MOST_BELOW_TITLE_EM = 4.0
# In Chromium: the title's box, how far below it the first paragraph starts (in the
# paragraph's ems) and how many h1 the document holds.
TITLE_AND_TEXT_JS = """
const title = document.querySelector('h1.title').getBoundingClientRect();
const paragraph = document.querySelector('main p');
const size = parseFloat(getComputedStyle(paragraph).fontSize);
return {h1: document.querySelectorAll('h1').length,
        below: (paragraph.getBoundingClientRect().top - title.bottom) / size,
        id: document.querySelector('h1.title').id,
        link: document.querySelector('main p a').getAttribute('href')};
"""


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("title")
    source = folder / "no-front-matter.md"
    source.write_text(f"# {TITLE}\n\n{BODY}", encoding="utf-8")
    return {path.suffix[1:]: path for path in export(source, out_dir=folder / "out")}


def _article(tmp_path: Path, text: str) -> object:
    source = tmp_path / "article.md"
    source.write_text(text, encoding="utf-8")
    return parse_article(read_source(source))


def test_the_opening_heading_becomes_the_title_block(tmp_path: Path) -> None:
    article = _article(tmp_path, f"# {TITLE}\n\n{BODY}")
    assert article.metadata.title == TITLE
    assert "<h1" not in article.body_html
    assert [heading.text for heading in article.headings] == ["قسم أول"]
    assert article.title_id == TITLE_ID


def test_a_heading_repeating_the_front_matters_title_is_taken_out(tmp_path: Path) -> None:
    article = _article(tmp_path, f"---\ntitle: {TITLE}\n---\n\n#  {TITLE}\n\n{BODY}")
    assert "<h1" not in article.body_html and article.title_id == TITLE_ID


def test_a_heading_other_than_the_title_stays(tmp_path: Path) -> None:
    article = _article(tmp_path, f"---\ntitle: عنوان آخر\n---\n\n# {TITLE}\n\n{BODY}")
    assert f'<h1 id="{TITLE_ID}">' in article.body_html and article.title_id is None


def test_the_only_chapter_heading_after_a_standfirst_is_the_title(tmp_path: Path) -> None:
    later = _article(tmp_path, f"مقدمة قصيرة.\n\n# {TITLE}\n\n{BODY}")
    assert later.metadata.title == TITLE and later.title_id == TITLE_ID
    assert "<h1" not in later.body_html and "مقدمة قصيرة" in later.body_html
    assert [heading.text for heading in later.headings] == ["قسم أول"]


def test_one_chapter_of_several_is_not_the_title(tmp_path: Path) -> None:
    chapters = f"مقدمة قصيرة.\n\n# {TITLE}\n\n{BODY}\n# فصل ثان\n\nنص.\n"
    article = _article(tmp_path, chapters)
    assert article.metadata.title == "article" and article.title_id is None  # the file's name
    assert article.body_html.count("<h1") == 2
    quoted = _article(tmp_path, f"مقدمة.\n\n> # {TITLE}\n\nنص.\n")  # not at the top level
    assert quoted.metadata.title == "article" and "<h1" in quoted.body_html


def test_pdf_page_one_holds_the_title_once_and_the_text(outputs: dict[str, Path]) -> None:
    reader = PdfReader(outputs["pdf"])
    try:
        assert len(reader) == 1
        # The text layer marks the direction at each text box's edge (RLM): not the words'.
        text = "".join(char for char in reader.page_text(1) if char not in BIDI_CONTROLS)
        assert text.count(TITLE) == 1
        assert "الفقرة الأولى" in text and "فقرة في القسم الأول" in text
        places = reader.heading_tops()
        assert places[TITLE_ID][0] == 1  # the title block carries the heading's id
        title_top = places[TITLE_ID][1]
        body_size = min(reader.line_sizes(1, title_top, 0).values())
        lines = reader.line_sizes(1, title_top, 0)
        first_line = max(baseline for baseline, size in lines.items() if size == body_size)
        assert title_top - first_line < (MOST_BELOW_TITLE_EM + 3) * body_size, lines
        assert TITLE_ID in {link.target for link in reader.links()}
    finally:
        reader.close()


def test_web_page_and_epub_show_the_title_once_above_the_text(
    outputs: dict[str, Path], tmp_path: Path
) -> None:
    documents = [outputs["html"], epub_documents(outputs["epub"], tmp_path)[0]]
    with browser() as chromium:
        for document in documents:
            found = chromium.open(document, width=800, height=900).measure(TITLE_AND_TEXT_JS)
            assert found["h1"] == 1, document.name
            assert 0 <= found["below"] < MOST_BELOW_TITLE_EM, (document.name, found)
            assert found["id"] == TITLE_ID and found["link"].endswith(f"#{TITLE_ID}")
