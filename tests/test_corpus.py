"""The test corpus in all three formats: validators and readers on what was written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
import yaml
from lxml import etree
from lxml import html as lxml_html

from tests.conftest import CORPUS
from tests.readers import XML_LANG, EpubPackage, pdffonts, run_epubcheck

# Slow tier (make test-fast leaves it out): every corpus article in three formats, epubcheck
# on each.
pytestmark = pytest.mark.slow

Outputs = Callable[[str], dict[str, Path]]
STEMS = sorted(path.stem for path in CORPUS.glob("*.md") if path.stem != "README")


def front_matter(stem: str) -> dict[str, object]:
    return yaml.safe_load((CORPUS / f"{stem}.md").read_text(encoding="utf-8").split("---")[1])


def web_page(outputs: Outputs, stem: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(outputs(stem)["html"].read_bytes())


def epub_content(outputs: Outputs, stem: str) -> etree._Element:
    """Every document of the spine (the book is split into chapters), under one root."""
    book = etree.Element("book")
    book.extend(EpubPackage(outputs(stem)["epub"]).spine_documents())
    return book


@pytest.mark.parametrize("stem", STEMS)
def test_epubcheck_reports_nothing(stem: str, corpus_outputs: Outputs) -> None:
    report = run_epubcheck(corpus_outputs(stem)["epub"])
    assert report.messages == [], report.lines()


@pytest.mark.parametrize("stem", STEMS)
def test_language_and_direction_on_every_output(stem: str, corpus_outputs: Outputs) -> None:
    lang = str(front_matter(stem)["lang"])
    page = web_page(corpus_outputs, stem)
    assert (page.get("lang"), page.get("dir")) == (lang, "rtl")
    for content in epub_content(corpus_outputs, stem):
        assert (content.get(XML_LANG), content.get("dir")) == (lang, "rtl")
    with pikepdf.open(corpus_outputs(stem)["pdf"]) as pdf:
        assert str(pdf.Root.Lang) == lang


@pytest.mark.parametrize("stem", STEMS)
def test_internal_links_resolve_in_all_three(stem: str, corpus_outputs: Outputs) -> None:
    for root in (web_page(corpus_outputs, stem), epub_content(corpus_outputs, stem)):
        ids = {element.get("id") for element in root.iter() if element.get("id")}
        targets = [
            str(a.get("href"))[1:]
            for a in root.iter("{*}a", "a")
            if str(a.get("href", "")).startswith("#")
        ]
        assert set(targets) <= ids, set(targets) - ids
    with pikepdf.open(corpus_outputs(stem)["pdf"]) as pdf:
        dests = pdf.Root.get("/Names", {}).get("/Dests")
        names = pikepdf.NameTree(dests) if dests is not None else {}
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                if "/Dest" in annot and isinstance(annot.Dest, pikepdf.String):
                    assert str(annot.Dest) in names, str(annot.Dest)


def test_arabic_links_reach_arabic_headings(corpus_outputs: Outputs) -> None:
    page = web_page(corpus_outputs, "structure")
    hrefs = [a.get("href") for a in page.iter("a")]
    assert "#الجداول-والمحاذاة" in hrefs and "#القوائم-المتداخلة" in hrefs
    ids = [h.get("id") for h in page.iter("h2", "h3")]
    assert ids.count("الجداول-والمحاذاة") == 1 and "الجداول-والمحاذاة-2" in ids
    with pikepdf.open(corpus_outputs("structure")["pdf"]) as pdf:
        links = [str(a.Dest) for p in pdf.pages for a in p.get("/Annots", []) if "/Dest" in a]
    assert "القوائم-المتداخلة" in links and "صورة-مع-تعليق" in links


def elements(root: etree._Element, name: str) -> list[etree._Element]:
    """Elements by local name, in the web page (no namespace) and in XHTML alike."""
    return list(root.iter(f"{{*}}{name}"))


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


def test_markdown_structure_reaches_epub_and_web(corpus_outputs: Outputs) -> None:
    for root in (web_page(corpus_outputs, "structure"), epub_content(corpus_outputs, "structure")):
        (figure,) = elements(root, "figure")
        assert [local(child) for child in figure] == ["img", "figcaption"]
        assert "".join(figure[1].itertext()).strip() == "مخطط بسيط يوضح الفكرة"
        deepest = [[local(a) for a in ul.iterancestors()][:4] for ul in elements(root, "ul")]
        assert ["li", "ol", "li", "ol"] in deepest, "a bulleted list in a numbered one, twice"
        styles = [cell.get("style") for cell in elements(root, "th")]
        # The item column starts where its lines do; the counts centred, the prices on the right.
        assert styles == [None, "text-align:center", "text-align:right"]
        assert sum(local(br.getparent()) == "p" for br in elements(root, "br")) == 2
        assert elements(root, "hr") and elements(root, "s")


def test_other_scripts_carry_language_and_fallback_fonts(corpus_outputs: Outputs) -> None:
    page = web_page(corpus_outputs, "scripts")
    spans = {span.text_content(): span.get("lang") for span in page.iter("span")}
    assert spans["שלום עולם, זה ציטוט קצר בעברית"] == "he"
    assert spans["שלום עליכם"] == "he" and spans["λόγος"] == "el"
    assert spans["Ελληνικά"] == "el"
    used = {font["name"].split("+")[-1] for font in pdffonts(corpus_outputs("scripts")["pdf"])}
    assert {"Noto-Serif", "Noto-Serif-Hebrew"} <= used, used
    epub_fonts = {
        item.get("href") for item in EpubPackage(corpus_outputs("scripts")["epub"]).manifest()
        .values() if item.get("media-type").startswith("font/")
    }  # fmt: skip
    assert "fonts/NotoSerifHebrew-Regular.ttf" in epub_fonts


def test_epub_carries_only_the_faces_its_text_needs(corpus_outputs: Outputs) -> None:
    manifest = EpubPackage(corpus_outputs("mixed-inline")["epub"]).manifest().values()
    fonts = sorted(i.get("href") for i in manifest if i.get("media-type").startswith("font/"))
    # Amiri for the text, Noto Sans Mono for its inline code; no fallback face.
    assert all("Amiri" in href for href in fonts if href != "fonts/NotoSansMono-Regular.ttf"), fonts
    assert "fonts/NotoSansMono-Regular.ttf" in fonts
