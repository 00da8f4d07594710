"""What makes exports fast must not change what they show: the subset fonts shape every
word as the full fonts do, and EPUB- and HTML-only exports never load WeasyPrint."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
import uharfbuzz
from lxml import html as lxml_html

from exporter import export
from exporter.engine.deflate import compress_streams
from exporter.engine.writeonce import each_object_serialised_once
from exporter.options import make_options
from exporter.pdf.process import worth_a_process
from exporter.read.parser import parse_article
from exporter.read.source import read_source
from exporter.render.charset import document_text
from exporter.render.typefaces import MAIN_FACES, subset_font

ROOT = Path(__file__).resolve().parents[1]


def shaped(font_data: bytes, text: str) -> list[tuple[int, int, int, object]]:
    """HarfBuzz's shaping of ``text``: per glyph its advance, offsets and outline extents
    (glyph ids differ between a font and its subset; what is drawn must not)."""
    font = uharfbuzz.Font(uharfbuzz.Face(uharfbuzz.Blob(font_data)))
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    uharfbuzz.shape(font, buffer)
    return [
        (pos.x_advance, pos.x_offset, pos.y_offset, font.get_glyph_extents(info.codepoint))
        for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)
    ]


# The faces that draw the article; the Greek and Hebrew fallbacks draw none of its letters.
@pytest.mark.parametrize("face", MAIN_FACES, ids=lambda face: face.file.stem)
def test_subset_shapes_the_article_like_the_full_font(face) -> None:  # type: ignore[no-untyped-def]
    article = parse_article(read_source(ROOT / "article.md"), make_options())
    text = document_text(article)
    subset = subset_font(face.file, text)
    full = face.file.read_bytes()
    assert len(subset) < len(full) / 3
    words = lxml_html.fromstring(article.body_html).text_content().split()
    for line in [*words, " ".join(words[:200])]:
        assert shaped(subset, line) == shaped(full, line), line


@pytest.mark.parametrize(
    ("formats", "loads_weasyprint"), [("epub", False), ("html", False), ("epub,html", False),
                                      ("pdf", True)],
)  # fmt: skip
def test_only_a_pdf_loads_weasyprint(tmp_path: Path, formats: str, loads_weasyprint: bool) -> None:
    """Not in this process (the EPUB draws its cover from the title without it), nor in a
    second one."""
    source = tmp_path / "short.md"
    source.write_text("# عنوان\n\nنص *قصير*.\n", encoding="utf-8")
    options = make_options(formats=formats, jobs=2)
    assert worth_a_process(1, options) == (loads_weasyprint and (os.cpu_count() or 1) >= 2)
    program = (
        "import sys\n"
        "from exporter.cli import main\n"
        f"status = main(['build', {str(source)!r}, '-o', {str(tmp_path / 'out')!r},"
        f" '-f', {formats!r}, '--jobs', '1'])\n"
        "print(status, 'weasyprint' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == f"0 {loads_weasyprint}"


def test_each_target_is_rendered_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One export of the three formats renders each template once per target: no writer
    renders the document again (e.g. to measure it) or renders another target's HTML."""
    rendered: list[tuple[str, str]] = []
    render = jinja2.Template.render

    def counting_render(self: jinja2.Template, *args: object, **context: object) -> str:
        rendered.append((str(self.name), str(context.get("target"))))
        return render(self, *args, **context)

    monkeypatch.setattr(jinja2.Template, "render", counting_render)
    export(ROOT / "article.md", out_dir=tmp_path)
    assert {target for _, target in rendered} == {"print", "ebook", "web"}
    assert ("document.html.j2", "print") in rendered and ("document.html.j2", "web") in rendered
    assert ("content.html.j2", "ebook") in rendered
    repeated = {pair for pair in rendered if rendered.count(pair) > 1}
    assert not repeated, f"rendered more than once: {sorted(repeated)}"


def _small_pdf(compress_first: bool) -> bytes:
    """A PDF of streams pydyf compresses itself (text, a large one, an empty one), one it
    leaves alone and one already filtered; compressed beforehand by ``compress_streams``
    or not."""
    import io

    import pydyf

    pdf = pydyf.PDF()
    contents = [b"BT /F1 12 Tf (x) Tj ET", b"0 0 m 10 10 l S\n" * 20_000, b""]
    for data in contents:
        pdf.add_object(pydyf.Stream([data, 1.5, pydyf.String("a")], compress=True))
    pdf.add_object(pydyf.Stream([b"left as it is"], compress=False))
    pdf.add_object(pydyf.Stream([b"\xff\xd8"], {"Filter": "/DCTDecode"}, compress=True))
    page = pydyf.Dictionary({"Type": "/Page", "Parent": pdf.pages.reference,
                             "MediaBox": pydyf.Array([0, 0, 10, 10])})  # fmt: skip
    pdf.add_page(page)
    if compress_first:
        compress_streams(pdf)
    out = io.BytesIO()
    pdf.write(out, identifier=b"fixed", compress=True)
    return out.getvalue()


def test_streams_compressed_beforehand_are_the_bytes_pydyf_writes() -> None:
    assert _small_pdf(compress_first=True) == _small_pdf(compress_first=False)


@pytest.mark.slow  # a long page rendered four times
def test_each_object_serialised_once_gives_the_same_pdf() -> None:
    """The same tagged PDF/A written by WeasyPrint with pydyf as it is, then with each
    object turned into bytes once (``engine/writeonce.py``), then as it is again."""
    import weasyprint

    page = "<h1>عنوان</h1>" + "<p>نص <b>عريض</b> و<i>مائل</i> <a href='#x'>رابط</a>.</p>" * 200
    html = weasyprint.HTML(string=page)
    options = {"pdf_variant": "pdf/a-3u", "pdf_tags": True, "pdf_identifier": b"x"}
    standard = html.write_pdf(**options)
    with each_object_serialised_once():
        once = html.write_pdf(**options)
        again = html.write_pdf(**options)
    after = html.write_pdf(**options)
    assert len(standard) > 10_000 and standard == once == again == after
