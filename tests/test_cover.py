"""The EPUB's drawn cover: its lines read as WeasyPrint sets the same words (shaped, in
bidi order, a script Amiri lacks in its fallback font), and nothing leaves the page."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdfium2
import pytest
import weasyprint
from PIL import Image, features

from exporter.epub.cover import cover_layout, draw_cover
from exporter.epub.coverlayout import COVER_HEIGHT, COVER_WIDTH, Line
from exporter.errors import ExportError
from exporter.model import Article
from exporter.options import make_options
from exporter.read.parser import parse_article
from exporter.read.source import read_source
from exporter.render.typefaces import FONT_FACES

BACKGROUND = (0x1D, 0x3B, 0x4A)


def article_titled(title: str, tmp_path: Path, **front: str) -> Article:
    # JSON strings are YAML strings.
    lines = [f"{key}: {json.dumps(value)}" for key, value in {"title": title, **front}.items()]
    source = tmp_path / "a.md"
    source.write_text("---\n" + "\n".join(lines) + "\n---\n\nنص.\n", encoding="utf-8")
    return parse_article(read_source(source), make_options())


def ink_columns(image: Image.Image, light_on_dark: bool) -> list[int]:
    """How many pixels of each column are ink, from the first inked column to the last."""
    grey = image.convert("L")
    width, height = grey.size
    pixels = grey.load()
    counts = [
        sum(1 for y in range(height) if (pixels[x, y] > 128) == light_on_dark) for x in range(width)
    ]
    inked = [x for x, count in enumerate(counts) if count]
    return counts[inked[0] : inked[-1] + 1]


def correlation(first: list[int], second: list[int]) -> float:
    """Pearson's correlation of two profiles, the longer one resampled to the shorter."""
    if len(first) > len(second):
        first, second = second, first
    step = len(second) / len(first)
    second = [second[int(i * step)] for i in range(len(first))]
    mean_a, mean_b = sum(first) / len(first), sum(second) / len(second)
    cov = sum((a - mean_a) * (b - mean_b) for a, b in zip(first, second, strict=True))
    var_a = sum((a - mean_a) ** 2 for a in first)
    var_b = sum((b - mean_b) ** 2 for b in second)
    return cov / (var_a * var_b) ** 0.5


def weasyprint_line(text: str, size: float) -> Image.Image:
    """``text`` set by WeasyPrint on one right-to-left line in bold, with the bundled fonts
    in the stylesheet's order, rasterised at one pixel per CSS pixel."""
    faces = "".join(
        f"@font-face {{ font-family: '{face.family}'; font-weight: {face.weight};"
        f" font-style: {face.style}; src: url('{face.file.as_uri()}'); }}"
        for face in FONT_FACES
    )
    families = ", ".join(f"'{family}'" for family in dict.fromkeys(f.family for f in FONT_FACES))
    html = (
        f"<style>{faces} @page {{ size: 2400px {size * 3}px; margin: 0 }}"
        f" p {{ font: 700 {size}px {families}; white-space: nowrap; margin: {size}px 0 0;"
        f" padding: 0 200px }}</style>"
        f'<p dir="rtl" lang="ar">{text}</p>'
    )
    document = pypdfium2.PdfDocument(weasyprint.HTML(string=html).write_pdf())
    page = document[0]
    image = page.render(scale=2400 / page.get_width()).to_pil()
    document.close()
    return image


@pytest.mark.parametrize(
    "title",
    [
        "هل يربك الدعم الروسي",  # Arabic alone
        "كتاب (Python 3)",  # Latin and digits inside it, mirrored brackets
        "كلمة Ελληνικά",  # scripts Amiri has no letters for
        "كلمة עברית",
    ],
)
def test_a_title_line_reads_as_weasyprint_sets_it(tmp_path: Path, title: str) -> None:
    article = article_titled(title, tmp_path)
    [line] = [item for item in cover_layout(article) if isinstance(item, Line)]
    cover = Image.open(io.BytesIO(draw_cover(article)))
    band = cover.crop((0, int(line.baseline - line.size), COVER_WIDTH,
                       int(line.baseline + line.size / 2)))  # fmt: skip
    drawn = ink_columns(band, light_on_dark=True)
    expected = ink_columns(weasyprint_line(title, line.size), light_on_dark=False)
    assert abs(len(drawn) - len(expected)) <= 0.02 * len(expected)
    assert correlation(drawn, expected) > 0.9
    # The same words in the opposite order would not pass.
    assert correlation(drawn, expected[::-1]) < 0.6


def test_fallback_fonts_draw_what_amiri_lacks(tmp_path: Path) -> None:
    article = article_titled("كلمة Ελληνικά و עברית", tmp_path)
    lines = [item for item in cover_layout(article) if isinstance(item, Line)]
    fonts = {run.text.strip(): run.face.name for line in lines for run in line.runs}
    assert fonts["Ελληνικά"] == "NotoSerif-Bold.ttf"
    assert fonts["עברית"] == "NotoSerifHebrew-Bold.ttf"
    assert fonts["كلمة"] == "Amiri-Bold.ttf"


LONG = "عنوان طويل جدا عن الطباعة العربية وتاريخها " * 8


@pytest.mark.parametrize(
    ("title", "lines"),
    [(LONG.strip(), 9), ("https://example.com/" + "archive" * 40 + " عنوان", 2)],
    ids=["many words", "a word wider than the page"],
)
def test_a_long_cover_is_set_smaller_and_stays_inside_the_page(
    tmp_path: Path, title: str, lines: int
) -> None:
    front = {"subtitle": LONG[:120], "author": "كاتب أول", "date": "2024-03-05"}
    article = article_titled(title, tmp_path, publisher="دار النشر", **front)
    assert sum(isinstance(item, Line) for item in cover_layout(article)) >= lines
    cover = Image.open(io.BytesIO(draw_cover(article))).convert("RGB")
    assert cover.size == (COVER_WIDTH, COVER_HEIGHT)
    ink = [
        (x, y)
        for x in range(0, COVER_WIDTH, 4)
        for y in range(0, COVER_HEIGHT, 4)
        if max(abs(a - b) for a, b in zip(cover.getpixel((x, y)), BACKGROUND, strict=True)) > 40
    ]
    assert min(x for x, _ in ink) >= 190 and max(x for x, _ in ink) <= COVER_WIDTH - 190
    assert max(y for _, y in ink) <= COVER_HEIGHT - 200


def test_without_a_text_layout_engine_the_cover_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pillow without FriBiDi would draw Arabic unjoined and left to right: refused."""
    monkeypatch.setattr(features, "check_feature", lambda name: False)
    with pytest.raises(ExportError, match="libfribidi0"):
        draw_cover(article_titled("عنوان", tmp_path))
