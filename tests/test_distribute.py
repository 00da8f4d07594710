"""exporter build --catalog --bag: the OPDS catalog read back by an Atom reader (feedparser)
and an OPDS 2.0 validating parser, every bag validated by the Library of Congress's bagit,
and a run with nothing changed rewriting nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import zipfile
from pathlib import Path

import bagit
import feedparser
import pytest
from lxml import etree
from PIL import Image
from webpub_manifest_parser.opds2 import OPDS2FeedParserFactory

from exporter.cli import main
from exporter.distribute.bag import BagSettings
from exporter.distribute.covers import THUMBNAIL_BOX
from exporter.distribute.files import MEDIA_TYPES
from exporter.distribute.publish import write_bags
from exporter.manifest import MANIFEST_NAME, read_records
from tests.conftest import CORPUS

ORGANIZATION = "دار المثال للنشر"
EMAIL = "archive@example.org"
STEMS = ("persian", "structure")
DISTRIBUTION = (
    "--catalog",
    "--bag",
    "--source-organization",
    ORGANIZATION,
    "--contact-email",
    EMAIL,
)
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"


def build(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(["build", *map(str, args)], stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def copy_articles(folder: Path, stems: tuple[str, ...] = STEMS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for stem in stems:
        shutil.copyfile(CORPUS / f"{stem}.md", folder / f"{stem}.md")
    shutil.copytree(CORPUS / "images", folder / "images", dirs_exist_ok=True)
    return folder


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every file and folder below ``folder``: inode, modification time, size."""
    return {
        str(path.relative_to(folder)): (info.st_ino, info.st_mtime_ns, info.st_size)
        for path in sorted(folder.rglob("*"))
        for info in [path.lstat()]
    }


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two articles (one with an image) exported to all three formats with a catalog and
    bags: (the sources' folder, the output folder)."""
    root = tmp_path_factory.mktemp("library")
    sources, out = copy_articles(root / "articles"), root / "out"
    status, _, err = build(sources, "-o", out, *DISTRIBUTION)
    assert status == 0, err
    return sources, out


def epub_package(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        container = etree.fromstring(package.read("META-INF/container.xml"))
        name = container.find(".//{*}rootfile").get("full-path")
        return etree.fromstring(package.read(name))


def epub_says(path: Path) -> dict[str, str]:
    opf = epub_package(path)
    return {
        "identifier": opf.findtext(f".//{DC}identifier"),
        "language": opf.findtext(f".//{DC}language"),
        "title": opf.findtext(f".//{DC}title"),
        "progression": opf.find(f"{OPF}spine").get("page-progression-direction"),
    }


def test_every_bag_validates_and_holds_the_article_and_its_outputs(library) -> None:
    sources, out = library
    for stem in STEMS:
        bag = bagit.Bag(str(out / f"{stem}.bag"))
        bag.validate(fast=False)  # every checksum, both algorithms
        assert bag.version_info == (1, 0)
        assert sorted(bag.algorithms) == ["sha256", "sha512"]
        expected = {f"data/{stem}.{suffix}": out / f"{stem}.{suffix}"
                    for suffix in ("pdf", "epub", "html")}  # fmt: skip
        expected[f"data/{stem}.md"] = sources / f"{stem}.md"
        if stem == "structure":
            expected["data/images/diagram.png"] = sources / "images" / "diagram.png"
        assert sorted(bag.payload_entries()) == sorted(expected)
        for name, original in expected.items():
            assert (out / f"{stem}.bag" / name).read_bytes() == original.read_bytes(), name


def test_bag_info_names_the_article_its_depositor_and_its_dublin_core(library) -> None:
    _, out = library
    for stem in STEMS:
        folder = out / f"{stem}.bag"
        bag = bagit.Bag(str(folder))
        epub = epub_says(out / f"{stem}.epub")
        info = bag.info
        assert info["External-Identifier"] == epub["identifier"]
        assert info["DC-Identifier"] == epub["identifier"]
        assert info["DC-Title"] == epub["title"]
        assert info["DC-Language"] == epub["language"]
        assert info["Source-Organization"] == ORGANIZATION
        assert info["Contact-Email"] == EMAIL
        assert "Bagging-Date" not in info  # not asked for: the same input, the same bag
        payload = [folder / name for name in bag.payload_entries()]
        assert info["Payload-Oxum"] == f"{sum(p.stat().st_size for p in payload)}.{len(payload)}"
        dublin_core = etree.parse(str(folder / "metadata" / "dublin_core.xml")).getroot()
        title = dublin_core.find(f"{DC}title")
        assert title.text == epub["title"]
        assert title.get("{http://www.w3.org/XML/1998/namespace}lang") == epub["language"]
        assert "metadata/dublin_core.xml" in bag.tagfile_entries()


@pytest.mark.parametrize("where", ["data/persian.epub", "metadata/dublin_core.xml"])
def test_a_flipped_byte_fails_the_validation(library, tmp_path: Path, where: str) -> None:
    _, out = library
    copy = tmp_path / "persian.bag"
    shutil.copytree(out / "persian.bag", copy)
    bagit.Bag(str(copy)).validate(fast=False)
    target = copy / where
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(copy)).validate(fast=False)


def test_bags_are_the_same_bytes_from_the_same_input(tmp_path: Path) -> None:
    sources = copy_articles(tmp_path / "articles", ("structure",))
    made = []
    for name in ("first", "second"):
        out = tmp_path / name
        for kind in ("zip", None):
            status, _, err = build(sources, "-o", out, "-f", "epub,html",
                                   *(["--bag", kind] if kind else ["--bag"]))  # fmt: skip
            assert status == 0, err
        made.append(out)
    first, second = made
    assert (first / "structure.bag.zip").read_bytes() == (second / "structure.bag.zip").read_bytes()
    tree = sorted(p.relative_to(first) for p in (first / "structure.bag").rglob("*"))
    assert tree == sorted(p.relative_to(second) for p in (second / "structure.bag").rglob("*"))
    for name in tree:
        if (first / name).is_file():
            assert (first / name).read_bytes() == (second / name).read_bytes(), name
    with zipfile.ZipFile(first / "structure.bag.zip") as package:
        names = package.namelist()
        assert names == sorted(names) and {n.split("/")[0] for n in names} == {"structure.bag"}
        assert {info.date_time for info in package.infolist()} == {(2025, 11, 2, 0, 0, 0)}
        package.extractall(tmp_path / "unzipped")
    bagit.Bag(str(tmp_path / "unzipped" / "structure.bag")).validate(fast=False)


def catalog_entries(out: Path) -> list[feedparser.FeedParserDict]:
    feed = feedparser.parse((out / "catalog.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    return feed.entries


def test_the_catalog_lists_every_article_with_links_that_lead_to_its_files(library) -> None:
    _, out = library
    entries = catalog_entries(out)
    assert len(entries) == len(STEMS)
    dates = [entry.published for entry in entries]
    assert dates == sorted(dates, reverse=True)  # newest first
    for entry in entries:
        stems = set()
        for link in entry.links:
            path = out / link.href
            assert path.is_file(), link.href
            if link.rel == "http://opds-spec.org/acquisition":
                fmt = path.suffix.lstrip(".")
                assert link.type == MEDIA_TYPES[fmt]
                assert int(link.length) == path.stat().st_size
                stems.add(path.stem)
            elif link.rel == "http://opds-spec.org/image/thumbnail":
                with Image.open(path) as image:
                    assert image.width <= THUMBNAIL_BOX[0] and image.height <= THUMBNAIL_BOX[1]
            else:
                assert link.rel == "http://opds-spec.org/image"
                with Image.open(path) as image:
                    assert Image.MIME[image.format] == link.type
        [stem] = stems
        rels = [link.rel for link in entry.links if link.rel.endswith("acquisition")]
        assert len(rels) == 3
        epub = epub_says(out / f"{stem}.epub")
        assert entry.id == epub["identifier"] == entry.dcterms_identifier
        assert entry.title == epub["title"]


def test_an_opds_reader_sees_the_epub_language_and_direction(library) -> None:
    _, out = library
    document = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    publications = {p["metadata"]["identifier"]: p["metadata"] for p in document["publications"]}
    for entry in catalog_entries(out):
        epub_link = next(link for link in entry.links if link.type == MEDIA_TYPES["epub"])
        epub = epub_says(out / epub_link.href)
        assert entry.title_detail.language == epub["language"]
        assert entry.summary_detail.language == epub["language"]
        assert entry.dcterms_language == epub["language"]
        paragraph = etree.fromstring(entry.content[0].value)
        assert paragraph.get("dir") == epub["progression"] == "rtl"
        metadata = publications[entry.id]
        assert metadata["language"] == epub["language"]
        assert metadata["readingProgression"] == epub["progression"]


def opds2_errors(document: dict) -> list:
    result = OPDS2FeedParserFactory().create().parse_stream(io.StringIO(json.dumps(document)))
    return result.errors


def test_the_json_catalog_is_valid_opds_2_and_says_what_the_atom_one_says(library) -> None:
    _, out = library
    document = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    assert opds2_errors(document) == []
    atom = {entry.id: entry for entry in catalog_entries(out)}
    assert [p["metadata"]["identifier"] for p in document["publications"]] == list(atom)
    for publication in document["publications"]:
        entry = atom[publication["metadata"]["identifier"]]
        assert publication["metadata"]["title"] == entry.title
        assert publication["metadata"]["description"] == entry.summary
        hrefs = {link["href"] for link in publication["links"]}
        assert hrefs == {link.href for link in entry.links if link.rel.endswith("acquisition")}
    # The validator is no formality: a publication without acquisition links fails it.
    document["publications"][0]["links"] = []
    assert opds2_errors(document) != []


def test_a_second_run_with_nothing_changed_rewrites_nothing(library) -> None:
    sources, out = library
    before = snapshot(out)
    status, stdout, err = build(sources, "-o", out, *DISTRIBUTION)
    assert status == 0, err
    assert snapshot(out) == before
    assert stdout.count("skipped: ") == len(STEMS) and str(out) not in stdout


def test_asking_for_a_catalog_and_bags_exports_nothing_again(tmp_path: Path) -> None:
    sources = copy_articles(tmp_path / "articles", ("persian",))
    out = tmp_path / "out"
    assert build(sources, "-o", out, "-f", "html")[0] == 0
    exported = (out / "persian.html").stat()
    status, stdout, _ = build(sources, "-o", out, "-f", "html", "--catalog", "--bag")
    assert status == 0 and "skipped: " in stdout
    after = (out / "persian.html").stat()
    assert (after.st_ino, after.st_mtime_ns) == (exported.st_ino, exported.st_mtime_ns)
    assert (out / "catalog.xml").is_file() and (out / "persian.bag" / "bagit.txt").is_file()


def test_a_changed_article_changes_its_own_entry_only(tmp_path: Path, monkeypatch) -> None:
    sources = copy_articles(tmp_path / "articles")
    out = tmp_path / "out"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build(sources, "-o", out, "-f", "html", "--catalog")[0] == 0
    first = {entry.id: entry.updated for entry in catalog_entries(out)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    with (sources / "persian.md").open("a", encoding="utf-8") as source:
        source.write("\nبند تازه.\n")
    assert build(sources, "-o", out, "-f", "html", "--catalog")[0] == 0
    second = {entry.id: entry.updated for entry in catalog_entries(out)}
    changed = {entry_id for entry_id in first if second.get(entry_id) != first[entry_id]}
    # The changed article has a new identifier (derived from its bytes) and the new time;
    # the other keeps its entry and its time.
    assert len(changed) == 1 and len(second) == 2
    assert sorted(second.values()) == ["2023-11-14T22:13:20Z", "2027-01-15T08:00:00Z"]


def test_a_bag_inside_the_folder_exported_is_not_taken_for_inputs(tmp_path: Path) -> None:
    # exporter build articles -o articles/dist --bag: the bags' copies of the sources are
    # not articles to export (they would collide with their originals' outputs).
    sources = copy_articles(tmp_path / "articles", ("persian",))
    out = sources / "dist"
    for _ in range(2):
        status, stdout, err = build(sources, "-o", out, "-f", "html", "--bag")
        assert status == 0, err
    assert (out / "persian.bag" / "data" / "persian.md").is_file()
    assert "failed 0" in stdout and "skipped: " in stdout


@pytest.mark.slow
def test_the_corpus_with_a_catalog_and_bags_validates_and_a_second_run_rewrites_nothing(
    tmp_path: Path,
) -> None:
    # The "done when": exporter build tests/corpus -o out --catalog --bag.
    out = tmp_path / "out"
    status, _, err = build(CORPUS, "-o", out, "--catalog", "--bag")
    assert status == 0, err
    articles = sorted(path.stem for path in CORPUS.glob("*.md"))
    assert sorted(path.name.removesuffix(".bag") for path in out.glob("*.bag")) == articles
    for stem in articles:
        bagit.Bag(str(out / f"{stem}.bag")).validate(fast=False)
    entries = catalog_entries(out)
    assert len(entries) == len(articles)
    document = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    assert opds2_errors(document) == []
    before = snapshot(out)
    status, stdout, _ = build(CORPUS, "-o", out, "--catalog", "--bag")
    assert status == 0 and stdout.count("skipped: ") == len(articles)
    assert snapshot(out) == before


def test_a_bag_is_dated_only_when_asked(tmp_path: Path) -> None:
    sources = copy_articles(tmp_path / "articles", ("persian",))
    out = tmp_path / "out"
    assert build(sources, "-o", out, "-f", "html", "--bag", "--bagging-date")[0] == 0
    bag = bagit.Bag(str(out / "persian.bag"))
    assert bag.info["Bagging-Date"] == dt.date.today().isoformat()
    bag.validate(fast=False)


def test_no_bag_holds_a_source_edited_since_its_export(tmp_path: Path) -> None:
    sources = copy_articles(tmp_path / "articles", ("persian",))
    out = tmp_path / "out"
    assert build(sources, "-o", out, "-f", "html")[0] == 0
    with (sources / "persian.md").open("a", encoding="utf-8") as source:
        source.write("\nبند تازه.\n")
    # The bags are made from what the manifest records: never of another source's bytes.
    done = write_bags(out, BagSettings(kind="folder"))
    assert done.written == [] and not (out / "persian.bag").exists()
    [warning] = done.warnings
    assert "the source changed since its export" in warning


@pytest.mark.parametrize(
    ("option", "problem"),
    [
        (["--bag", "tar"], "unknown bag tar"),
        (["--catalog-url", "example.org"], "is not an address"),
        (["--contact-name", " "], "must be one line of text"),
    ],
)
def test_a_wrong_distribution_option_is_a_usage_error(option: list[str], problem: str) -> None:
    status, _, err = build(CORPUS / "persian.md", *option)
    assert status == 2 and problem in err


def test_a_manifest_entry_saying_what_its_article_is_in_the_wrong_form_is_damage(
    tmp_path: Path,
) -> None:
    entry = {"key": "0" * 64, "outputs": {}, "assets": {}, "about": {"title": {"x": 1}}}
    manifest = {"version": 1, "inputs": {str(tmp_path / "a.md"): entry}}
    (tmp_path / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    records, problem = read_records(tmp_path)
    assert records == {} and "says what its article is in the wrong form" in problem
    entry["about"] = {"title": "عنوان", "authors": ["أ", "ب"], "date": None}
    (tmp_path / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    records, problem = read_records(tmp_path)
    assert problem is None and records[str(tmp_path / "a.md")].about["authors"] == ["أ", "ب"]
