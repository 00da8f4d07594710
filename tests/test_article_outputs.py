"""article.md in three formats: what a reader, a validator and a browser would check."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
import yaml
from lxml import html as lxml_html

from tests.readers import NS, XML_LANG, EpubPackage, pdffonts, run_epubcheck

TITLE = yaml.safe_load(Path(__file__).resolve().parents[1].joinpath("article.md").read_text(
    encoding="utf-8").split("---")[1])["title"]  # fmt: skip


def test_all_three_outputs_are_written(article_outputs: dict[str, Path]) -> None:
    assert sorted(article_outputs) == ["epub", "html", "pdf"]
    for path in article_outputs.values():
        assert path.stat().st_size > 1000
        assert not list(path.parent.glob("*.part"))


@pytest.mark.slow  # epubcheck starts a Java virtual machine
def test_epub_passes_epubcheck(article_outputs: dict[str, Path]) -> None:
    report = run_epubcheck(article_outputs["epub"])
    assert report.count("FATAL") == 0 and report.count("ERROR") == 0, report.lines()
    assert report.count("WARNING") == 0, report.lines()


def test_epub_is_right_to_left_arabic(article_outputs: dict[str, Path]) -> None:
    package = EpubPackage(article_outputs["epub"])
    spine = package.opf.find(".//opf:spine", NS)
    assert spine.get("page-progression-direction") == "rtl"
    assert package.opf.findtext(".//dc:language", namespaces=NS) == "ar"
    assert package.opf.findtext(".//dc:title", namespaces=NS) == TITLE
    assert package.opf.get(XML_LANG) == "ar" and package.opf.get("dir") == "rtl"
    documents = [*package.spine_documents(), package.nav_document()]
    for root in documents:
        assert root.get("lang") == "ar" and root.get(XML_LANG) == "ar"
        assert root.get("dir") == "rtl"


def test_epub_embeds_the_font(article_outputs: dict[str, Path]) -> None:
    package = EpubPackage(article_outputs["epub"])
    fonts = [i for i in package.manifest().values() if i.get("media-type").startswith("font/")]
    assert fonts
    css = next(i for i in package.manifest().values() if i.get("media-type") == "text/css")
    stylesheet = package.zip.read(package.member(css.get("href"))).decode()
    for font in fonts:
        assert font.get("href").rpartition("/")[2] in stylesheet


def test_html_is_rtl_and_self_contained(article_outputs: dict[str, Path]) -> None:
    text = article_outputs["html"].read_text(encoding="utf-8")
    document = lxml_html.fromstring(text)
    assert document.get("lang") == "ar" and document.get("dir") == "rtl"
    assert document.findtext(".//title") == TITLE
    # No request leaves the file: every src, href to a resource and CSS url() is inline.
    for element in document.iter():
        for attribute in ("src", "srcset", "poster", "data"):
            value = element.get(attribute)
            assert value is None or value.startswith("data:"), (element.tag, value)
        if element.tag == "link":
            raise AssertionError(f"external link element: {element.attrib}")
        if element.tag == "script":
            raise AssertionError("script in the output")
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", text)
    assert urls and all(url.startswith("data:") for url in urls)
    assert "@font-face" in text and "data:font/" in text
    assert "@import" not in text


def test_pdf_has_language_title_and_embedded_fonts(article_outputs: dict[str, Path]) -> None:
    with pikepdf.open(article_outputs["pdf"]) as pdf:
        assert str(pdf.Root.Lang) == "ar"
        assert str(pdf.docinfo["/Title"]) == TITLE
        with pdf.open_metadata() as xmp:
            assert xmp.get("dc:title") == TITLE
    fonts = pdffonts(article_outputs["pdf"])
    assert fonts and all(font["emb"] == "yes" for font in fonts), fonts
