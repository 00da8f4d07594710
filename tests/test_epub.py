"""The EPUBs opened as a reading system and a store's validator would open them."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
import tinycss2
from lxml import etree
from PIL import Image

from exporter import export
from exporter.model import base_language, direction_of
from tests.readers import NS, XML_LANG, EpubPackage, run_epubcheck

ROOT = Path(__file__).resolve().parents[1]
LABELS = json.loads((ROOT / "templates" / "labels.json").read_text(encoding="utf-8"))
OPS_TYPE = "{http://www.idpf.org/2007/ops}type"
XHTML = "{http://www.w3.org/1999/xhtml}"


CORPUS = sorted(path.stem for path in (ROOT / "tests" / "corpus").glob("*.md"))


# The corpus articles' EPUBs are in the slow tier (make test-fast leaves them out): each is
# exported to all three formats first.
@pytest.fixture(
    scope="module",
    params=["article", "book", *(pytest.param(stem, marks=pytest.mark.slow) for stem in CORPUS)],
)
def epub(request: pytest.FixtureRequest) -> Path:
    """Every EPUB the suite makes: article.md, the book, each corpus article."""
    if request.param == "article":
        return request.getfixturevalue("article_outputs")["epub"]
    if request.param == "book":
        return request.getfixturevalue("book_epub")[0]
    return request.getfixturevalue("corpus_outputs")(request.param)["epub"]


def _language(package: EpubPackage) -> tuple[str, str, dict[str, str]]:
    """The book's language, its direction, and its labels."""
    lang = package.opf.findtext(".//dc:language", namespaces=NS)
    return lang, direction_of(lang), LABELS.get(base_language(lang), LABELS["en"])


def _documents(package: EpubPackage) -> dict[str, etree._Element]:
    """Every XHTML document of the package by its href."""
    return {
        item.get("href"): etree.fromstring(package.zip.read(package.member(item.get("href"))))
        for item in package.manifest().values()
        if item.get("media-type") == "application/xhtml+xml"
    }


def _font_face_declarations(package: EpubPackage) -> int:
    count = 0
    for item in package.manifest().values():
        if item.get("media-type") != "text/css":
            continue
        css = package.zip.read(package.member(item.get("href"))).decode("utf-8")
        for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
            if rule.type == "at-rule" and rule.lower_at_keyword == "font-face":
                declarations = tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True)
                count += sum(1 for d in declarations if d.type == "declaration")
    return count


@pytest.mark.slow  # epubcheck starts a Java virtual machine for every EPUB
def test_epubcheck_reports_nothing_but_the_font_face_notes(epub: Path) -> None:
    """0 fatal errors, errors, warnings and usage messages, except CSS-028: epubcheck 5.3
    notes "Use of Font-face declaration" for every declaration inside any @font-face rule
    (CSSHandler.declaration), so an embedded font cannot be declared without it."""
    report = run_epubcheck(epub, usage=True)
    assert all(report.count(severity) == 0 for severity in ("FATAL", "ERROR", "WARNING"))
    others = [m for m in report.messages if m.get("ID") != "CSS-028"]
    assert others == [], report.lines()
    # The JSON report gives one message per ID with the places it was met; it lists at
    # most 25 of them, so a book with many faces shows fewer notes than declarations.
    font_notes = sum(len(m.get("locations", [])) for m in report.messages)
    assert 0 < font_notes <= _font_face_declarations(EpubPackage(epub))
    assert font_notes == min(_font_face_declarations(EpubPackage(epub)), 25)


def test_right_to_left_everywhere(epub: Path) -> None:
    package = EpubPackage(epub)
    lang, direction, _ = _language(package)
    assert package.opf.get(XML_LANG) == lang and package.opf.get("dir") == direction
    assert package.opf.find(".//opf:spine", NS).get("page-progression-direction") == direction
    documents = _documents(package)
    assert len(documents) >= 3  # cover page, content, nav
    for href, root in documents.items():
        assert root.get("lang") == lang, href
        assert root.get(XML_LANG) == lang, href
        assert root.get("dir") == direction, href


def test_nav_in_the_document_language_with_hidden_landmarks(epub: Path) -> None:
    package = EpubPackage(epub)
    labels = _language(package)[2]
    nav = package.nav_document()
    navs = {n.get(OPS_TYPE): n for n in nav.iter(f"{XHTML}nav")}
    assert set(navs) == {"toc", "landmarks"}  # no page list: no real page breaks exist
    toc, landmarks = navs["toc"], navs["landmarks"]
    assert toc.findtext(f"{XHTML}h1") == labels["contents"]
    assert landmarks.get("hidden") == "hidden"
    assert landmarks.findtext(f"{XHTML}h2") == labels["landmarks"]
    marks = {a.get(OPS_TYPE): a for a in landmarks.iter(f"{XHTML}a")}
    assert list(marks) == ["cover", "toc", "bodymatter"]
    assert [a.text for a in marks.values()] == [
        labels["cover"],
        labels["contents"],
        labels["start"],
    ]
    documents = _documents(package)
    for link in nav.iter(f"{XHTML}a"):  # every link lands on a document and an id in it
        file, _, fragment = link.get("href").partition("#")
        assert file in documents, link.get("href")
        if fragment:
            ids = {e.get("id") for e in documents[file].iter() if e.get("id")}
            assert unquote(fragment) in ids, link.get("href")


def test_ncx_lists_every_heading(epub: Path) -> None:
    package = EpubPackage(epub)
    ncx_item = next(i for i in package.manifest().values()
                    if i.get("media-type") == "application/x-dtbncx+xml")  # fmt: skip
    ncx = etree.fromstring(package.zip.read(package.member(ncx_item.get("href"))))
    points = ncx.findall(".//{http://www.daisy.org/z3986/2005/ncx/}navPoint")
    toc_links = [a for a in package.nav_document().iter(f"{XHTML}a") if a.get(OPS_TYPE) is None]
    assert len(points) == len(toc_links) > 0


def test_book_has_one_document_per_chapter(book_epub: tuple[Path, list[str]]) -> None:
    package = EpubPackage(book_epub[0])
    spine = package.spine_documents()
    titles = [root.findtext(f"{XHTML}head/{XHTML}title") for root in spine]
    # The cover page, the opening (title block and preface), the three chapters, and the
    # nav (out of the reading order).
    assert titles[2:5] == ["الفصل الأول: النشأة", "الفصل الثاني: التطور", "الفصل الثالث: الطباعة"]
    assert titles[5:] == [LABELS["ar"]["contents"]]
    for root in spine[2:5]:
        body = root.find(f"{XHTML}body")
        headings = ["".join(h.itertext()) for h in body.iter(f"{XHTML}h1")]
        assert headings == [root.findtext(f".//{XHTML}title")]


def test_footnotes_stay_with_their_first_call(book_epub: tuple[Path, list[str]]) -> None:
    package = EpubPackage(book_epub[0])
    documents = _documents(package)
    notes_seen = 0
    for href, root in documents.items():
        ids = {e.get("id") for e in root.iter() if e.get("id")}
        for call in root.iter(f"{XHTML}a"):
            if call.get("role") != "doc-noteref":
                continue
            assert call.get(OPS_TYPE) == "noteref"
            file, _, note = call.get("href").partition("#")
            if not file:  # the first call: its note is here
                assert note in ids, (href, note)
            else:  # a later call in another chapter points at the note's document
                assert note in {e.get("id") for e in documents[file].iter() if e.get("id")}
        for note in root.iter(f"{XHTML}aside"):
            notes_seen += 1
            assert note.get(OPS_TYPE) == "footnote" and note.get("role") == "doc-footnote"
            [back] = [a for a in note.iter(f"{XHTML}a") if a.get("role") == "doc-backlink"]
            assert back.get("href")[1:] in ids  # the link back stays in the same document
    assert notes_seen == 3


def test_cover_image_and_linear_cover_page(article_outputs: dict[str, Path]) -> None:
    package = EpubPackage(article_outputs["epub"])
    items = package.manifest()
    [cover] = [i for i in items.values() if "cover-image" in (i.get("properties") or "")]
    image = Image.open(io.BytesIO(package.zip.read(package.member(cover.get("href")))))
    assert image.format == "JPEG" and image.size == (1600, 2560)
    first = package.opf.find(".//opf:spine/opf:itemref", NS)
    assert first.get("linear", "yes") == "yes"
    page = etree.fromstring(package.zip.read(package.member(items[first.get("idref")].get("href"))))
    [img] = page.iter(f"{XHTML}img")
    assert img.get("src") == cover.get("href") and img.get("alt", "").strip()
    meta = package.opf.find(".//opf:meta[@name='cover']", NS)
    assert meta.get("content") == cover.get("id")


def test_front_matter_cover_is_used(tmp_path: Path) -> None:
    source = ROOT / "tests" / "fixtures" / "book"
    (tmp_path / "stone.png").write_bytes((source / "stone.png").read_bytes())
    (tmp_path / "b.md").write_text("---\ntitle: غلاف\ncover: stone.png\n---\n\nنص.\n", "utf-8")
    [path] = export(tmp_path / "b.md", out_dir=tmp_path / "out", formats="epub")
    package = EpubPackage(path)
    [cover] = [i for i in package.manifest().values()
               if "cover-image" in (i.get("properties") or "")]  # fmt: skip
    assert cover.get("media-type") == "image/png"
    written = package.zip.read(package.member(cover.get("href")))
    assert written == (source / "stone.png").read_bytes()


def test_metadata(book_epub: tuple[Path, list[str]]) -> None:
    opf = EpubPackage(book_epub[0]).opf
    text = {name: [e.text for e in opf.iterfind(f".//dc:{name}", NS)]
            for name in ("title", "creator", "language", "date", "description", "subject",
                         "publisher", "rights", "identifier")}  # fmt: skip
    assert text["title"] == ["رحلة في تاريخ الخط العربي"]
    assert text["creator"] == ["سلمى الحداد", "يوسف النجار"]
    assert len({e.get("id") for e in opf.iterfind(".//dc:creator", NS)}) == 2
    assert text["language"] == ["ar"] and text["date"] == ["2025-03-14"]
    assert text["subject"] == ["الخط العربي", "الطباعة", "التاريخ"]
    assert text["publisher"] == ["دار المثال للنشر"]
    assert text["rights"] == ["جميع الحقوق محفوظة للمؤلفين"]
    assert text["description"] == ["كتاب قصير عن نشأة الخط العربي وتطوره عبر القرون."]
    assert text["identifier"][0].startswith("urn:uuid:")
    props = {}
    for meta in opf.iterfind(".//opf:meta[@property]", NS):
        props.setdefault(meta.get("property"), []).append(meta.text)
    assert props["dcterms:modified"] == ["2025-03-14T00:00:00Z"]
    assert props["schema:accessMode"] == ["textual", "visual"]
    # One image has no alt text: text alone is not claimed to suffice.
    assert props["schema:accessModeSufficient"] == ["textual,visual"]
    assert "alternativeText" not in props["schema:accessibilityFeature"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= set(
        props["schema:accessibilityFeature"]
    )
    assert props["schema:accessibilityHazard"] == ["none"]
    assert props["schema:accessibilitySummary"] == [LABELS["ar"]["accessibility_summary"]]


def test_article_claims_text_alternatives(article_outputs: dict[str, Path]) -> None:
    opf = EpubPackage(article_outputs["epub"]).opf
    features = [m.text for m in opf.iterfind(".//opf:meta[@property]", NS)
                if m.get("property") == "schema:accessibilityFeature"]  # fmt: skip
    assert "alternativeText" in features  # the cover, its only image, has alt text


def test_image_without_alt_text_is_named(book_epub: tuple[Path, list[str]]) -> None:
    warnings = [w for w in book_epub[1] if "alt text" in w]
    assert len(warnings) == 1 and "'ornament.png'" in warnings[0]


def test_apple_display_options_ask_for_the_book_fonts(epub: Path) -> None:
    options = etree.fromstring(
        zipfile.ZipFile(epub).read("META-INF/com.apple.ibooks.display-options.xml")
    )
    [option] = options.iterfind("platform/option")
    assert option.get("name") == "specified-fonts" and option.text == "true"


def test_article_epub_is_small(article_outputs: dict[str, Path]) -> None:
    assert article_outputs["epub"].stat().st_size < 250 * 1024
