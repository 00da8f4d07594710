"""The PDF as an archival record: PDF/A identification, metadata, the source inside,
the structure tree, and the same bytes on every build."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from exporter.manifest import MANIFEST_NAME
from tests.readers import run_cli

ROOT = Path(__file__).resolve().parents[1]
VOCALISED = ROOT / "tests" / "corpus" / "vocalised.md"
IDENTIFIER_NAMESPACE = uuid.UUID("6f1c63d4-1d8f-5b8e-9a51-3f2b0c7d4e21")


@pytest.fixture(scope="module")
def vocalised_pdf(corpus_outputs: Callable[[str], dict[str, Path]]) -> Path:
    """A test article with every front matter key the PDF records."""
    return corpus_outputs("vocalised")["pdf"]


def test_xmp_identifies_pdfa_3(article_outputs: dict[str, Path]) -> None:
    with pikepdf.open(article_outputs["pdf"]) as pdf, pdf.open_metadata() as xmp:
        assert xmp.pdfa_status == "3U"
        assert xmp.get("pdfaid:part") == "3"
        assert xmp.get("dc:language") == {"ar"}


def test_xmp_records_the_front_matter(vocalised_pdf: Path) -> None:
    with pikepdf.open(vocalised_pdf) as pdf, pdf.open_metadata() as xmp:
        assert xmp.get("dc:title") == "رِحْلَةُ الْكِتَابِ مِنَ الْمَخْطُوطِ إِلَى الشَّاشَةِ"
        assert xmp.get("dc:creator") == ["سَلْمَى الْقَاسِمِيّ", "يُوسُفُ الْحَدَّادُ"]
        assert xmp.get("dc:language") == {"ar"}
        assert xmp.get("dc:description").startswith("مَقَالَةٌ مُشَكَّلَةٌ")
        assert xmp.get("dc:subject") == {"أَرْشِيف", "تَشْكِيل", "طِبَاعَة"}
        assert xmp.get("pdf:Keywords") == "أَرْشِيف, تَشْكِيل, طِبَاعَة"
        assert xmp.get("xmp:CreateDate").startswith("2024-03-15")
        assert xmp.get("xmp:ModifyDate").startswith("2024-03-15")
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20240315")


def test_identifier_is_derived_from_the_source(vocalised_pdf: Path) -> None:
    digest = hashlib.sha256(VOCALISED.read_bytes()).hexdigest()
    expected = f"urn:uuid:{uuid.uuid5(IDENTIFIER_NAMESPACE, digest)}"
    assert uuid.UUID(expected.removeprefix("urn:uuid:")).version == 5
    with pikepdf.open(vocalised_pdf) as pdf, pdf.open_metadata() as xmp:
        assert xmp.get("dc:identifier") == expected
        assert xmp.get("xmpMM:DocumentID") == expected
        assert bytes(pdf.trailer.ID[0]) == expected.encode()


def test_source_is_embedded_with_relationship_source(article_outputs: dict[str, Path]) -> None:
    with pikepdf.open(article_outputs["pdf"]) as pdf:
        files = pdf.attachments
        assert list(files) == ["article.md"]
        spec = files["article.md"]
        assert spec.get_file().read_bytes() == (ROOT / "article.md").read_bytes()
        assert spec.obj.AFRelationship == pikepdf.Name.Source
        assert [f.objgen for f in pdf.Root.AF] == [spec.obj.objgen]


def _structure_types(element: pikepdf.Object) -> list[str]:
    found = []
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found.append(str(kid.S))
            found.extend(_structure_types(kid))
    return found


def test_structure_tree_and_language(article_outputs: dict[str, Path]) -> None:
    with pikepdf.open(article_outputs["pdf"]) as pdf:
        assert str(pdf.Root.Lang) == "ar"
        assert pdf.Root.MarkInfo.Marked is True
        tree = pdf.Root.StructTreeRoot
        types = _structure_types(tree)
        assert types[0] == "/Document"
        for kind in ("/H1", "/H2", "/H3", "/P", "/L", "/LI", "/BlockQuote"):
            assert kind in types, kind
        # Every page's marked content is reachable from the tree (ISO 32000-1, 14.7.4.4).
        parents = tree.ParentTree.Nums
        assert len(parents) == 2 * len(pdf.pages)
        for page in pdf.pages:
            assert "/StructParents" in page.obj


@pytest.mark.slow  # a PDF for each variant
def test_pdf_variant_option(tmp_path: Path) -> None:
    source = tmp_path / "short.md"
    front = "title: مقال قصير\npublisher: دار النشر\nrights: جميع الحقوق محفوظة"
    source.write_text(f"---\n{front}\n---\n\nنص قصير.\n", encoding="utf-8")
    for variant, part in (("pdf/ua-1", None), ("none", None), ("pdf/a-3b", "3")):
        out = tmp_path / variant.replace("/", "-")
        done = run_cli("build", str(source), "-o", str(out), "-f", "pdf", "--pdf-variant", variant)
        assert done.returncode == 0, done.stderr
        with pikepdf.open(out / "short.pdf") as pdf, pdf.open_metadata() as xmp:
            assert xmp.get("pdfaid:part") == part
            # Whatever the variant, the packet is complete (WeasyPrint writes none for
            # "none") and readable without the PDF's filters.
            assert xmp.get("dc:title") == "مقال قصير"
            assert xmp.get("dc:language") == {"ar"}
            assert xmp.get("dc:publisher") == {"دار النشر"}
            assert xmp.get("dc:rights") == "جميع الحقوق محفوظة"
            assert xmp.get("dc:identifier").startswith("urn:uuid:")
            assert "/Filter" not in pdf.Root.Metadata
            if variant == "pdf/ua-1":
                assert xmp.get("pdfuaid:part") == "1"
    refused = run_cli("build", str(source), "--pdf-variant", "pdf/z-9")
    assert refused.returncode == 2 and "pdf/a-3u" in refused.stderr


@pytest.mark.slow  # exports in fresh processes
def test_outputs_are_byte_identical_across_processes(tmp_path: Path) -> None:
    """Two builds in two processes: the same bytes for all three formats."""
    builds = []
    for name in ("first", "second"):
        done = run_cli("build", str(VOCALISED), "-o", str(tmp_path / name))
        assert done.returncode == 0, done.stderr
        # The outputs; the manifest beside them only serves the next incremental run.
        outputs = (p for p in (tmp_path / name).iterdir() if p.name != MANIFEST_NAME)
        builds.append({p.name: p.read_bytes() for p in outputs})
    assert sorted(builds[0]) == ["vocalised.epub", "vocalised.html", "vocalised.pdf"]
    for name, data in builds[0].items():
        assert builds[1][name] == data, f"{name} differs between two builds"
