"""The hostile corpus, exported once through the real command line: each case's outcome,
and for every case that exports, no byte of a file outside the input folder in any output.

The run uses ``--allow-remote``, the least strict setting, so the loopback listener proves
that even then no connection reaches the machine's own network.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from lxml import html as lxml_html

from tests.hostile_corpus import SECRET, Corpus, LoopbackListener, lay_out
from tests.leaks import find_leaks
from tests.readers import EpubPackage, run_cli, run_epubcheck

# Slow tier (make test-fast leaves it out): the whole hostile corpus through the command
# line, and epubcheck.
pytestmark = pytest.mark.slow


@dataclass
class Run:
    corpus: Corpus
    out: Path
    returncode: int
    stderr: str
    hashes_before: dict[str, str]
    connections: int

    def lines(self, name: str) -> list[str]:
        """The stderr lines about one input."""
        prefix = re.compile(rf"^(error|warning): {re.escape(str(self.corpus.inputs / name))}[:]")
        return [line for line in self.stderr.splitlines() if prefix.match(line)]

    def outputs(self, name: str) -> list[Path]:
        return sorted(self.out.glob(f"{Path(name).stem}.*"))


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    listener = LoopbackListener()
    try:
        corpus = lay_out(tmp_path_factory.mktemp("hostile"), listener.port)
        before = _hashes(corpus.inputs)
        out = corpus.root / "out"
        done = run_cli("build", str(corpus.inputs), "-o", str(out), "--allow-remote",
                       cwd=corpus.inputs)  # fmt: skip
    finally:
        listener.close()
    return Run(corpus, out, done.returncode, done.stderr, before, listener.connections)


# name -> what the one error line says after "error: <file>:".
FAILS = {
    "empty.md": r" the file is empty: there is nothing to export",
    "invalid-utf8.md": r"5: not valid UTF-8: byte 0xc3 at offset 32 \(line 5, column 12\)",
    "binary.md": r"1: not valid UTF-8: byte 0x89 at offset 0",
    "nul-byte.md": r"1: contains a NUL byte",
    "yaml-syntax.md": r"\d: front matter is not valid YAML",
    "alias-bomb.md": r"\d+: [a-g] is too large once its YAML aliases are expanded",
    "python-tag.md": r"2: title cannot be read: .*python/object/apply:os\.system",
    "wrong-type.md": r"3: author must be text or a list of text",
    "impossible-date.md": r"3: date has an impossible value: day is out of range for month",
    "deep-blockquotes.md": r" the text nests \d+ levels deep .* over the limit of 40",
    "deep-lists.md": r" the text nests \d+ levels deep .* over the limit of 40",
    "deep-html.md": r" the text nests 30000 levels deep .* over the limit of 40",
    "many-footnotes.md": r" the text has 3000 footnotes, over the limit of 1000",
    "too-large.md": r" the file is 10485764 bytes, over the limit of 10485760: raise --max-size",
}  # fmt: skip

READ_BACK_WARNING = "the PDF's text layer gives back"
# name -> the warnings it must give (each a pattern one warning line matches).
EXPORTS = {
    "bom-crlf.md": [],
    "code.md": [],
    "pathological.md": [],
    "script-injection.md": [
        r"19: image 'صورة جافاسكربت' has a URL that is not allowed",
        r"19: image 'صورة بيانات' has a URL that is not allowed",
    ],
    "controls.md": [r"8: the text contains 6 control character\(s\), the first U\+0007: removed"],
    "attachment.md": [
        r"5: link '\.\./secret\.txt' leads to a file that is not exported with the article",
        r"6: link 'red\.png' leads to a file that is not exported with the article",
    ],
    "css.md": [],
    "huge-pixels.md": [r"image 'huge\.png' declares 30000x30000 pixels, over the limit of 5\d+"],
    "svg.md": [r"5: image 'entities\.svg' is an SVG that declares entities: left out"],
    "images-outside.md": [
        r"7: image '\.\./secret\.png' lies outside the article's folder: left out",
        r"8: image '/etc/passwd' is an absolute path",
        r"10: image 'link-out\.png' lies outside the article's folder",
        r"11: image 'linked-dir/secret\.png' lies outside the article's folder",
        r"12: image 'not-an-image\.png' is not a PNG, JPEG, GIF, WebP or SVG image",
        r"image '%2e%2e/secret\.png' lies outside the article's folder",
        r"15: image 'خام رابط ملف' has a URL that is not allowed",
    ],
    "remote.md": [
        r"5: image 'http://127\.0\.0\.1:\d+/a\.png' names a host on a local or private network",
        r"image 'http://localhost:\d+/b\.png' names a host on a local or private network",
        r"image 'http://\[::1\]:\d+/c\.png' names a host on a local or private network",
        r"image 'http://10\.0\.0\.1:\d+/d\.png' names a host on a local or private network",
    ],
}  # fmt: skip


def test_the_run_fails_only_for_the_failing_cases(run: Run) -> None:
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "internal error" not in run.stderr
    every_input = set(FAILS) | set(EXPORTS)
    assert every_input == {p.name for p in run.corpus.inputs.glob("*.md")}


@pytest.mark.parametrize("name", sorted(FAILS))
def test_failing_case_gives_one_error_line_and_no_output(run: Run, name: str) -> None:
    lines = run.lines(name)
    assert len(lines) == 1, lines
    prefix = f"error: {run.corpus.inputs / name}:"
    assert lines[0].startswith(prefix), lines[0]
    assert re.match(FAILS[name], lines[0][len(prefix) :]), lines[0]
    assert run.outputs(name) == []


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_exporting_case_writes_three_files_and_says_what_it_left_out(run: Run, name: str) -> None:
    assert [p.suffix for p in run.outputs(name)] == [".epub", ".html", ".pdf"]
    # What the PDF's copy-out text gives back is the read-back check's to say, on any
    # input, and is measured by the text-layer tests; here: what was left out, and why.
    lines = [line for line in run.lines(name) if READ_BACK_WARNING not in line]
    assert all(line.startswith("warning: ") for line in lines), lines
    for pattern in EXPORTS[name]:
        assert any(re.search(pattern, line) for line in lines), (pattern, lines)
    assert len(lines) == len(EXPORTS[name]), lines


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_no_output_holds_a_byte_of_the_files_outside_the_folder(run: Run, name: str) -> None:
    outputs = run.outputs(name)
    assert outputs
    assert find_leaks(outputs, run.corpus.secrets) == []


@pytest.mark.parametrize("name", ["svg.md", "images-outside.md", "script-injection.md"])
def test_epub_of_a_hostile_case_passes_epubcheck(run: Run, name: str) -> None:
    report = run_epubcheck(run.out / f"{Path(name).stem}.epub")
    assert report.count("FATAL") + report.count("ERROR") == 0, report.lines()


def test_the_inputs_are_never_modified(run: Run) -> None:
    assert _hashes(run.corpus.inputs) == run.hashes_before
    assert not list(run.corpus.inputs.rglob("*.part"))
    assert not list(run.out.glob("*.part")) and not list(run.out.glob(".*.part"))


def test_no_connection_reached_the_loopback_listener(run: Run) -> None:
    assert run.connections == 0


def test_python_tag_ran_nothing(run: Run) -> None:
    assert not list(run.corpus.root.rglob("pwned-by-front-matter"))


def _documents(run: Run, stem: str) -> list[etree._Element]:
    """The HTML file and the EPUB's content documents (those holding the article's
    ``<main>``, not the cover page or the nav), parsed."""
    html = lxml_html.fromstring((run.out / f"{stem}.html").read_bytes())
    spine = EpubPackage(run.out / f"{stem}.epub").spine_documents()
    return [html, *(root for root in spine if root.find(".//{*}main") is not None)]


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


FORBIDDEN_ELEMENTS = {"script", "iframe", "object", "embed", "form", "base", "input",
                      "button", "svg", "math", "frame", "applet"}  # fmt: skip
FORBIDDEN_URL = re.compile(r"^\s*(javascript|vbscript|data:text/html|file)", re.IGNORECASE)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "cite", "poster", "background"}


def test_script_injection_leaves_nothing_that_runs(run: Run) -> None:
    for root in _documents(run, "script-injection"):
        names = [_local(e) for e in root.iter()]
        assert not FORBIDDEN_ELEMENTS & set(names)
        assert names.count("style") <= 1  # the stylesheet of the template, in the head
        for meta in root.iter("{*}meta", "meta"):
            assert meta.get("http-equiv") is None
        for link in root.iter("{*}link", "link"):  # the EPUB's own stylesheet only
            assert (link.get("rel"), link.get("href")) == ("stylesheet", "style/ebook.css")
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            for attribute, value in element.attrib.items():
                name = etree.QName(attribute).localname
                assert not name.startswith("on"), (element.tag, attribute)
                assert name != "style" and name != "srcdoc", (element.tag, attribute)
                if name in URL_ATTRIBUTES:
                    assert not FORBIDDEN_URL.match(value), (element.tag, attribute, value)
        text = "".join(root.itertext())
        assert "<script>alert('title')</script> عنوان" in text  # the title, shown as text
        assert '<script>alert("code")</script>' in text  # code keeps its text
        assert '<script>alert("block")</script>' in text


def test_script_injection_pdf_has_no_action(run: Run) -> None:
    with pikepdf.open(run.out / "script-injection.pdf") as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                keys = set(obj.keys())
                assert not keys & {"/JS", "/JavaScript", "/Launch", "/OpenAction", "/AA"}
        assert "/Names" not in pdf.Root or "/JavaScript" not in pdf.Root.Names


def test_allowed_image_reaches_every_output_and_nothing_else_does(run: Run) -> None:
    red = (run.corpus.inputs / "red.png").read_bytes()
    package = zipfile.ZipFile(run.out / "images-outside.epub")
    images = [n for n in package.namelist() if "/images/" in n]
    assert [package.read(n) for n in images] == [red]
    html = (run.out / "images-outside.html").read_text(encoding="utf-8")
    assert len(set(re.findall(r'src="(data:image/[^"]+)"', html))) == 1
    with pikepdf.open(run.out / "images-outside.pdf") as pdf:
        sizes = {
            (int(obj.Width), int(obj.Height))
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        }
    assert sizes == {(8, 8)}


def test_attachment_links_embed_nothing_but_the_source(run: Run) -> None:
    with pikepdf.open(run.out / "attachment.pdf") as pdf:
        assert list(pdf.attachments) == ["attachment.md"]
    for root in _documents(run, "attachment"):
        assert all(a.get("rel") is None for a in root.iter("{*}a", "a"))


def test_css_from_the_article_never_reaches_an_output(run: Run) -> None:
    for root in _documents(run, "css"):
        for element in root.iter():
            if isinstance(element.tag, str) and (style := element.get("style")):
                assert re.fullmatch(r"text-align:\s*\w+;?", style.strip()), style
        styles = [e.text or "" for e in root.iter("{*}style", "style")]
        assert all("@import" not in s and "secret" not in s for s in styles)
    epub = zipfile.ZipFile(run.out / "css.epub")
    assert all(b"@import" not in epub.read(name) for name in epub.namelist())


def test_svg_is_sanitised_the_same_in_every_output(run: Run) -> None:
    package = zipfile.ZipFile(run.out / "svg.epub")
    (member,) = [n for n in package.namelist() if n.endswith(".svg")]
    svg = package.read(member)
    root = etree.fromstring(svg)
    names = {_local(e) for e in root.iter()}
    assert names.isdisjoint({"script", "foreignObject", "image", "a"})
    assert names >= {"svg", "rect", "linearGradient", "use"}
    for element in root.iter():
        for attribute, value in element.attrib.items():
            assert not etree.QName(attribute).localname.startswith("on")
            if etree.QName(attribute).localname == "href":
                assert value.startswith("#")
    assert b"@import" not in svg and b"xml-stylesheet" not in svg and b"secret" not in svg
    html = (run.out / "svg.html").read_text(encoding="utf-8")
    assert html.count("data:image/svg+xml;base64,") == 2  # Markdown and raw HTML alike


def test_huge_image_is_left_out_and_the_small_one_kept(run: Run) -> None:
    package = zipfile.ZipFile(run.out / "huge-pixels.epub")
    assert len([n for n in package.namelist() if "/images/" in n]) == 1


def test_controls_are_removed_and_overrides_kept_out_of_metadata(run: Run) -> None:
    html = (run.out / "controls.html").read_text(encoding="utf-8")
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", html)
    package = EpubPackage(run.out / "controls.epub")
    title = package.opf.findtext(".//{http://purl.org/dc/elements/1.1/}title")
    assert title == "عنوان مقلوب"
    assert "\u202e" not in lxml_html.fromstring(html.encode()).findtext(".//title")


def test_bom_and_crlf_are_read_as_plain_text(run: Run) -> None:
    html = (run.out / "bom-crlf.html").read_text(encoding="utf-8")
    root = lxml_html.fromstring(html.encode())
    assert root.findtext(".//title") == "عنوان بعلامة ترتيب"
    assert "\r" not in html and "\ufeff" not in html
    assert [h.text_content() for h in root.iter("h2")] == ["قسم"]


def test_secret_is_really_outside_and_really_readable(run: Run) -> None:
    """The leak test means something only if the secret could have been read."""
    assert (run.corpus.root / "secret.txt").read_bytes().startswith(SECRET)
    assert not (run.corpus.inputs / "secret.txt").exists()
    assert (run.corpus.inputs / "link-out.png").resolve().read_bytes()
