"""Where lines break, and what justification stretches, in the three outputs (issue 17,
items 3 and 5): inline code is never stretched and, when short, never split; an address
breaks only after `/`, `.`, `?` or `@`, never inside its scheme or at a hyphen; a version
string never breaks; a heading's short last word never stands alone on its line; and a
phone-width screen is set ragged, without the gaps of justified short lines.

The same words are set again and again, shifted along the line by a few more words each
time, so that each of them meets the end of a line somewhere; the web page is laid out at
several widths around a phone's (390 px)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from exporter import export
from exporter.fragment import parse_fragment, serialize_fragment
from exporter.pdf.readback import BIDI_CONTROLS, pdfium_text
from exporter.render.linebreaks import set_line_breaks, unbroken_end
from tests.browser import browser
from tests.layoutprobe import LaidOutText, characters_js, epub_documents, laid_out, pdf_words
from tests.readers import PdfWord

FILLER = (
    "في", "هذه", "الفقرة", "نص", "يمتد", "على", "السطر", "حتى", "نهايته", "وما", "بعدها", "من",
    "كلمات", "قليلة",
)  # fmt: skip
CODE = "pip install --upgrade exporter"
LONG_CODE = "python -m exporter build articles/ --jobs 4 --force --strict --numerals western"
EMAIL = "dev-team@example.com"
VERSION = "v2.0.1-beta"
URL = "https://example.com/docs/start-here/install?lang=ar"
SHIFTS = range(14)


def words(count: int) -> str:
    return " ".join(FILLER[i % len(FILLER)] for i in range(count))


PARAGRAPHS = [
    f"{words(k)} يكتب الأمر `{CODE}` ثم {words(k + 3)} ويراسل {EMAIL} ويذكر الإصدار "
    f"{VERSION} ويقرأ {URL} ثم {words(9)}، وقد يكتب `{LONG_CODE}` أيضًا {words(k)}."
    for k in SHIFTS
]
HEADINGS = [f"{words(k + 3)} من هنا" for k in SHIFTS]
ARTICLE = "---\ntitle: أسطر تنكسر في مواضعها\nlang: ar\n---\n\n" + "\n\n".join(
    f"## {heading}\n\n{paragraph}" for heading, paragraph in zip(HEADINGS, PARAGRAPHS, strict=True)
)
PHONE_WIDTHS = (320, 345, 370, 390, 415, 440)
DESKTOP_WIDTH = 900
ALLOWED_AFTER = "/.?@"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("breaks")
    source = folder / "breaks.md"
    source.write_text(ARTICLE, encoding="utf-8")
    return {path.suffix[1:]: path for path in export(source, out_dir=folder / "out")}


def _plain(text: str) -> str:
    return "".join(char for char in text if char not in BIDI_CONTROLS)


def _runs_on_one_line(lines: list[list[PdfWord]], run: str) -> list[tuple[float, float]]:
    """Each place where ``run`` stands whole on one PDF line: the left edges of its first
    and its last word (a right edge can take in the direction mark the text layer puts at
    a box's end). Its words are compared without their spaces: PDFium's boxes part the two
    hyphens of ``--upgrade`` as widely as a space."""
    wanted = run.replace(" ", "")
    found = []
    for line in lines:
        texts = [_plain(word.text) for word in line]
        for start in range(len(texts)):
            joined = ""
            for end in range(start, len(texts)):
                joined += texts[end]
                if joined == wanted:
                    found.append((line[start].left, line[end].left))
                if len(joined) >= len(wanted):
                    break
    return found


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        ("<h2>قسم أول من هنا</h2>", "من هنا"),
        ('<h2>عن <span dir="ltr">Open Publishing Summit</span></h2>', "Publishing Summit"),
        ("<h2>قسم <em>مائل</em> هنا</h2>", "مائل هنا"),
        ("<h2>كلمتان طويلتان: الاستراتيجيات</h2>", None),  # the last word is not short
        ('<h2>قسم من هنا<sup class="footnote-call"><a>١</a></sup></h2>', None),  # a call
    ],
)
def test_a_headings_short_last_word_is_kept_with_the_one_before(html: str, kept: str) -> None:
    tree = parse_fragment(html)
    set_line_breaks(tree, split_runs=True)
    spans = ["".join(span.itertext()) for span in tree.iter("span") if span.get("class")]
    assert spans == ([kept] if kept else [])
    assert "".join(tree.itertext()) == "".join(parse_fragment(html).itertext())


def test_title_block_title_keeps_its_last_words_together() -> None:
    assert unbroken_end("<عنوان> المقالة بلا مقدمة") == (
        '&lt;عنوان&gt; المقالة <span class="unbroken">بلا مقدمة</span>'
    )


def test_addresses_break_after_their_separators_on_screen_and_stay_whole_in_print() -> None:
    html = f"<p>يراسل {EMAIL} ويقرأ {URL}. ويذكر {VERSION}</p>"
    screen, paper = parse_fragment(html), parse_fragment(html)
    set_line_breaks(screen, split_runs=True)
    set_line_breaks(paper, split_runs=False)
    assert serialize_fragment(screen) == (
        '<p>يراسل <span class="unbroken">dev-team@</span><wbr>example.<wbr>com ويقرأ '
        '<span class="unbroken">https://example.</span><wbr>com/<wbr>docs/<wbr>'
        '<span class="unbroken">start-here/</span><wbr>install?<wbr>lang=ar. ويذكر '
        '<span class="unbroken">v2.0.1-beta</span></p>'
    )
    assert serialize_fragment(paper) == (
        f'<p>يراسل <span class="unbroken">{EMAIL}</span> ويقرأ '
        f'<span class="unbroken">{URL}</span>. ويذكر <span class="unbroken">{VERSION}</span></p>'
    )


def test_pdf_keeps_code_versions_and_short_addresses_whole(outputs: dict[str, Path]) -> None:
    lines = pdf_words(outputs["pdf"])
    for run in (CODE, EMAIL, VERSION, URL):
        assert len(_runs_on_one_line(lines, run)) == len(SHIFTS), run


def test_pdf_never_stretches_inline_code(outputs: dict[str, Path]) -> None:
    """The code is as wide on every line, however much the line around it is stretched."""
    lines = pdf_words(outputs["pdf"])
    widths = [last - first for first, last in _runs_on_one_line(lines, CODE)]
    assert len(widths) == len(SHIFTS)
    assert max(widths) - min(widths) < 0.3, sorted(widths)


def test_pdf_headings_keep_their_last_word_company(outputs: dict[str, Path]) -> None:
    lines = pdf_words(outputs["pdf"])
    last_words = [line for line in lines if any(_plain(w.text) == "هنا" for w in line)]
    assert len(last_words) == len(SHIFTS)
    assert all(len(line) >= 2 for line in last_words)
    # The words kept together copy out with a plain space between them.
    text = pdfium_text(outputs["pdf"])
    assert "\u00a0" not in text
    assert _plain(text).count("من هنا") == len(SHIFTS)


def _breaks_inside(item: LaidOutText, run: str) -> list[tuple[int, str]]:
    """Where Chromium broke a line inside each occurrence of ``run``: the offset in the run,
    and the character before the break."""
    breaks = set(item.breaks())
    found = []
    for match in re.finditer(re.escape(run), item.text):
        for offset in range(1, len(run)):
            if match.start() + offset in breaks:
                found.append((offset, run[offset - 1]))
    return found


def _check_breaks(items: list[LaidOutText], where: str) -> None:
    for item in (item for item in items if item.tag == "p"):
        for run in (CODE, VERSION):
            assert not _breaks_inside(item, run), (where, run, item.lines())
        for offset, before in _breaks_inside(item, LONG_CODE):  # at a space, which hangs
            assert " " in (before, LONG_CODE[offset]), (where, LONG_CODE[:offset], item.lines())
        for run in (EMAIL, URL):
            for offset, before in _breaks_inside(item, run):
                assert before in ALLOWED_AFTER and run[offset] != "-", (where, run, offset)
                assert offset > len("https://") or not run.startswith("http"), where
    for item in (item for item in items if item.tag == "h2"):
        last_line = item.lines()[-1].split()
        assert len(last_line) >= 2, (where, item.lines())


def _arabic_spaces(item: LaidOutText) -> list[float]:
    """The widths of the spaces between two Arabic letters, on each line but the last, and
    not at a line's end, where a space hangs."""
    breaks = item.breaks()
    ends = {i - 1 for i in breaks} | set(breaks)
    return [
        item.widths[i]
        for i in range(1, min(breaks[-1] if breaks else 0, len(item.text) - 1))
        if item.text[i] == " "
        and i not in ends
        and unicodedata.bidirectional(item.text[i - 1]) == "AL"
        and unicodedata.bidirectional(item.text[i + 1]) == "AL"
    ]


def _code_spaces(item: LaidOutText) -> list[float]:
    return [
        item.widths[match.start() + offset]
        for match in re.finditer(re.escape(CODE), item.text)
        for offset, char in enumerate(CODE)
        if char == " "
    ]


def test_web_page_breaks_only_where_the_text_allows(outputs: dict[str, Path]) -> None:
    with browser() as chromium:
        for width in (*PHONE_WIDTHS, DESKTOP_WIDTH):
            page = chromium.open(outputs["html"], width=width, height=900)
            _check_breaks(laid_out(page.measure(characters_js("main p, main h2"))), f"{width}px")


def test_web_page_is_ragged_on_a_phone_and_never_stretches_code(outputs: dict[str, Path]) -> None:
    with browser() as chromium:
        phone = chromium.open(outputs["html"], width=390, height=900)
        paragraphs = laid_out(phone.measure(characters_js("main p")))
        spaces = [width for item in paragraphs for width in _arabic_spaces(item)]
        assert max(spaces) - min(spaces) < 0.5, "a phone's lines are set ragged"
        desktop = chromium.open(outputs["html"], width=DESKTOP_WIDTH, height=900)
        paragraphs = laid_out(desktop.measure(characters_js("main p")))
        spaces = [width for item in paragraphs for width in _arabic_spaces(item)]
        assert max(spaces) - min(spaces) > 1, "a wide page stays justified"
        code = [width for item in paragraphs for width in _code_spaces(item)]
        assert len(code) == 3 * len(SHIFTS) and max(code) - min(code) < 0.1


def test_epub_breaks_only_where_the_text_allows(outputs: dict[str, Path], tmp_path: Path) -> None:
    [document] = epub_documents(outputs["epub"], tmp_path)
    with browser() as chromium:
        for width in (345, 390, 600):
            page = chromium.open(document, width=width, height=900)
            _check_breaks(laid_out(page.measure(characters_js("main p, main h2"))), f"{width}px")
