"""Right-to-left lines laid out once (``engine/rtllines.py``): the same PDF as WeasyPrint's own,
with half of its line layouts."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

ARABIC = (
    "هذه فقرة عربية طويلة فيها كلمات كثيرة ونص لاتيني مثل WeasyPrint و Pango 1.50 وأرقام ١٢٣ "
    "وفواصل، تمتد على عدة أسطر حتى يلتف النص في السطور المتتالية. "
)
LATIN = "A paragraph of English that runs over several lines, to be wrapped like the others. "
PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _page(body: str, *, dir: str = "rtl", style: str = "") -> str:
    return (
        f'<html dir="{dir}"><head><style>@page {{ size: A6 }} body {{ font-family: serif }}'
        f"{style}</style></head><body>{body}</body></html>"
    )


# Each page: what could make a line's second layout differ from its first.
PAGES = {
    "plain": _page(f"<p>{ARABIC * 6}</p>" * 3),
    "floats": _page(
        f'<div style="float: right; width: 25%; height: 8em"></div><p>{ARABIC * 4}</p>'
        f'<p>{ARABIC} <span style="float: left; width: 3em; height: 3em"></span>{ARABIC * 2}</p>'
    ),
    "first line and letter": _page(
        f"<p>{ARABIC * 4}</p>",
        style="p::first-line { font-size: 140% } p::first-letter { font-size: 300% }",
    ),
    "atomic inlines": _page(
        f'<p>{ARABIC} <span style="display: inline-block; width: 30%">{ARABIC}</span> '
        f'{ARABIC}<img src="{PIXEL}" style="width: 2em; height: 3em"> {ARABIC}</p>'
    ),
    "positioned": _page(
        f'<p style="position: relative">{ARABIC}<span style="position: absolute; top: 0">'
        f'مطلق</span> {ARABIC}<span style="position: relative; top: 2px">نسبي</span>'
        f"{ARABIC}</p>"
    ),
    "markup, alignments, breaks": _page(
        f"<p>{ARABIC}<b>{ARABIC}</b> <a href='#x'>{ARABIC}</a> <code>code words here</code></p>"
        f'<p style="text-align: justify">{ARABIC * 2}</p><p style="text-align: center">'
        f'{ARABIC}</p><p dir="ltr">{LATIN * 2}{ARABIC}</p><p>{ARABIC}<br>{ARABIC}</p>'
        f'<p style="white-space: pre-wrap">{ARABIC}\n{ARABIC}</p>'
        f'<p style="text-indent: -2em; padding-right: 2em">{ARABIC * 2}</p>'
    ),
    "columns, tables, lists": _page(
        f'<div style="columns: 2">{ARABIC * 3}</div><table><tr><td>{ARABIC}</td>'
        f"<td>{ARABIC * 2}</td></tr></table><ul><li>{ARABIC}</li></ul>"
    ),
    "notes across pages": _page(
        "".join(
            f'<p>{ARABIC}<span class="n">حاشية {n} {ARABIC}</span>{ARABIC * 2}</p>'
            for n in range(12)
        ),
        style=".n { float: footnote } p { orphans: 3; widows: 3 }",
    ),
    "left to right": _page(f"<p>{LATIN * 8}</p>" * 3, dir="ltr"),
}

# Renders each page as WeasyPrint has it, then with rtllines in force: a process of its
# own, so that the hook counting Pango's line splits never touches the tests' WeasyPrint.
PROGRAM = """
import json, sys
import weasyprint
from weasyprint.layout import inline
from exporter.engine import rtllines

splits = 0
standard_split = inline.split_first_line

def counted(*args, **kwargs):
    global splits
    splits += 1
    return standard_split(*args, **kwargs)

inline.split_first_line = counted

def render(html):
    global splits
    splits = 0
    pdf = weasyprint.HTML(string=html).write_pdf(pdf_identifier=b"x")
    return pdf, splits

pages = json.load(sys.stdin)
standard = {name: render(html) for name, html in pages.items()}
report = {}
with rtllines.lay_out_rtl_lines_once():
    for name, html in pages.items():
        pdf, count = render(html)
        report[name] = [pdf == standard[name][0], standard[name][1], count, len(pdf)]
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def report() -> dict[str, list[int | bool]]:
    done = subprocess.run([sys.executable, "-c", PROGRAM], input=json.dumps(PAGES),
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", list(PAGES))
def test_same_pdf_as_weasyprint(report: dict[str, list[int | bool]], name: str) -> None:
    same, _standard, _ours, size = report[name]
    assert size > 1000 and same


def test_rtl_paragraphs_laid_out_once(report: dict[str, list[int | bool]]) -> None:
    _same, standard, ours, _size = report["plain"]
    assert standard > 40 and ours * 2 == standard


def test_lines_beside_floats_still_laid_out_again(report: dict[str, list[int | bool]]) -> None:
    """A line whose height may take it past a float is left to WeasyPrint's loop."""
    _same, standard, ours, _size = report["floats"]
    assert standard / 2 < ours < standard


def test_left_to_right_left_alone(report: dict[str, list[int | bool]]) -> None:
    _same, standard, ours, _size = report["left to right"]
    assert ours == standard
