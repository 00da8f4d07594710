"""Every number the tool writes (the date, footnote calls and numbers, list markers)
follows the numeral profile in all three outputs; digits the author typed stay as typed.
Folios and contents page numbers are checked with the print layout (test_print_pages)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from exporter import export
from tests.conftest import CORPUS
from tests.readers import EpubPackage

Outputs = Callable[[str], dict[str, Path]]
DIGITS = {"arabic-indic": "٠١٢٣٤٥٦٧٨٩", "persian": "۰۱۲۳۴۵۶۷۸۹", "western": "0123456789"}
COUNTER = {"arabic-indic": "arabic-indic", "persian": "persian", "western": "decimal"}
# stem -> (profile, the date as the title block writes it, in the profile's digits)
CASES = {
    "structure": ("arabic-indic", "٢ نوفمبر ٢٠٢٥"),
    "persian": ("persian", "۲۱ ژوئن ۲۰۲۳"),
    "urdu": ("persian", "۱۴ اگست ۲۰۲۲"),
    "scripts": ("western", "5 يناير 2021"),
}


def texts(root: etree._Element, name: str, css_class: str | None = None) -> list[str]:
    return [
        "".join(element.itertext()).strip()
        for element in root.iter(f"{{*}}{name}")
        if css_class is None or css_class in (element.get("class") or "").split()
    ]


@pytest.mark.parametrize("stem", sorted(CASES))
def test_date_and_note_numbers_in_the_profile(stem: str, corpus_outputs: Outputs) -> None:
    profile, date = CASES[stem]
    web = lxml_html.fromstring(corpus_outputs(stem)["html"].read_bytes())
    book = etree.Element("book")
    book.extend(EpubPackage(corpus_outputs(stem)["epub"]).spine_documents())
    for root in (web, book):
        assert texts(root, "time") == [date]
        calls = texts(root, "sup", "footnote-call")
        assert calls == [DIGITS[profile][n] for n in range(1, len(calls) + 1)]
    asides = texts(book, "a", "footnote-number")
    assert asides == [DIGITS[profile][n] for n in range(1, len(asides) + 1)]
    pdf_text = subprocess.run(["pdftotext", str(corpus_outputs(stem)["pdf"]), "-"],
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert all(part in pdf_text for part in date.split()), date


@pytest.mark.parametrize("stem", sorted(CASES))
def test_list_markers_in_the_profile(stem: str, corpus_outputs: Outputs) -> None:
    profile, _ = CASES[stem]
    style = f"list-style-type: {COUNTER[profile]}"
    assert style in corpus_outputs(stem)["html"].read_text(encoding="utf-8")
    package = EpubPackage(corpus_outputs(stem)["epub"])
    css = next(i for i in package.manifest().values() if i.get("media-type") == "text/css")
    assert style in package.zip.read(package.member(css.get("href"))).decode()
    # The PDF draws the markers: "١." "٢." ... before the items; poppler writes a right-to-
    # left line in visual order, so a marker may come out as ".١".
    pdf_text = subprocess.run(["pdftotext", str(corpus_outputs(stem)["pdf"]), "-"],
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert {"1", "2"} <= set(markers(pdf_text, DIGITS[profile]))
    for other, digits in DIGITS.items():
        if other != profile:
            assert not markers(pdf_text, digits), f"a list marker in {other} digits"


def markers(text: str, digits: str) -> list[str]:
    """The list markers in ``text`` written in ``digits``, as western numbers (poppler's
    bidi embedding marks around runs count as spaces, its direction marks as nothing)."""
    text = re.sub("[\u202a-\u202e]", " ", re.sub("[\u200e\u200f]", "", text))
    found = re.findall(rf"(?<!\S)(?:\.\s*([{digits}]+)|([{digits}]+)\s*\.)(?!\S)", text)
    return [(a or b).translate(str.maketrans(digits, "0123456789")) for a, b in found]


def test_typed_digits_stay_as_typed(corpus_outputs: Outputs) -> None:
    page = corpus_outputs("structure")["html"].read_text(encoding="utf-8")
    assert "1.50" in page and "12.25" in page  # western digits in an arabic-indic article
    persian = corpus_outputs("persian")["html"].read_text(encoding="utf-8")
    assert "۱۴۰۲" in persian and "۰۱۲۳۴۵۶۷۸۹" in persian


def test_option_overrides_the_profile(tmp_path: Path) -> None:
    (written,) = export(CORPUS / "structure.md", out_dir=tmp_path, formats="html",
                        numerals="western")  # fmt: skip
    page = lxml_html.fromstring(written.read_bytes())
    assert texts(page, "time") == ["2 نوفمبر 2025"]
    assert texts(page, "sup", "footnote-call") == ["1", "2"]
