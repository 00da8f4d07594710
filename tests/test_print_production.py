"""What a print shop and a proofreader get: bleed with its TrimBox and BleedBox, printer's
marks, option errors, and proofs of chosen pages as PNG images."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from exporter import export
from tests.pdfread import MM, PdfReader
from tests.readers import run_cli

ARTICLE = Path(__file__).resolve().parents[1] / "article.md"
A4 = (210 * MM, 297 * MM)


def dark_pixels(image: object, box: tuple[float, float, float, float], dpi: int) -> int:
    """Dark pixels inside ``box`` (left, top, right, bottom in points from the top left)."""
    left, top, right, bottom = (round(v * dpi / 72) for v in box)
    region = image.crop((left, top, right, bottom))  # type: ignore[attr-defined]
    return sum(1 for value in region.get_flattened_data() if value < 128)


@pytest.fixture(scope="module")
def bled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PdfReader]:
    out_dir = tmp_path_factory.mktemp("bleed")
    (pdf,) = export(ARTICLE, out_dir=out_dir, formats=("pdf",), bleed="3mm", marks="crop,cross")
    reader = PdfReader(pdf)
    yield reader
    reader.close()


def test_bleed_puts_the_paper_in_the_trimbox_and_grows_the_sheet(bled: PdfReader) -> None:
    bleed = 3 * MM
    for number in range(1, len(bled) + 1):
        media = bled.box(number, "/MediaBox")
        trim = bled.box(number, "/TrimBox")
        bleed_box = bled.box(number, "/BleedBox")
        assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx(A4, abs=0.5)
        assert (media[2] - media[0], media[3] - media[1]) == pytest.approx(
            (A4[0] + 2 * bleed, A4[1] + 2 * bleed), abs=0.5
        )
        assert trim[0] - media[0] == pytest.approx(bleed, abs=0.5)
        # The BleedBox holds the trimmed page and the bleed around it.
        assert bleed_box[0] <= trim[0] - bleed + 0.5 and bleed_box[2] >= trim[2] + bleed - 0.5


def test_crop_and_cross_marks_are_drawn_in_the_bleed(bled: PdfReader, tmp_path: Path) -> None:
    dpi = 200
    width = A4[0] + 6 * MM
    corner = (0, 0, 3 * MM, 3 * MM)  # outside the trimmed page: only a crop mark is there
    middle_of_top = (width / 2 - 2 * MM, 0, width / 2 + 2 * MM, 3 * MM)  # a cross
    image = bled.render(2, dpi=dpi)
    assert dark_pixels(image, corner, dpi) > 0
    assert dark_pixels(image, middle_of_top, dpi) > 0
    (plain,) = export(ARTICLE, out_dir=tmp_path, formats=("pdf",), bleed="3mm")
    reader = PdfReader(plain)
    image = reader.render(2, dpi=dpi)
    assert dark_pixels(image, corner, dpi) == 0
    assert dark_pixels(image, middle_of_top, dpi) == 0
    reader.close()


def test_without_bleed_the_trimbox_is_the_page(article_outputs: dict[str, Path]) -> None:
    reader = PdfReader(article_outputs["pdf"])
    assert reader.box(1, "/TrimBox") == pytest.approx(reader.box(1, "/MediaBox"), abs=0.01)
    reader.close()


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--paper", "A3"], "unknown paper A3: choose from A4, A5, B5, letter"),
        (["--bleed", "3"], "bleed '3': give a length such as 3mm, 0.125in or 9pt"),
        (["--marks", "stars"], "unknown marks stars: choose from crop, cross"),
    ],
)
def test_a_wrong_print_option_is_a_usage_error(
    option: list[str], message: str, tmp_path: Path
) -> None:
    done = run_cli("build", str(ARTICLE), "-o", str(tmp_path), "-f", "pdf", *option)
    assert done.returncode == 2
    assert message in done.stderr
    assert not list(tmp_path.iterdir())


def test_proofs_renders_the_chosen_pages(article_outputs: dict[str, Path], tmp_path: Path) -> None:
    pdf = article_outputs["pdf"]
    done = run_cli("proofs", str(pdf), "--pages", "1,3", "-o", str(tmp_path), "--dpi", "50")
    assert done.returncode == 0, done.stderr
    written = [Path(line) for line in done.stdout.splitlines()]
    assert [path.name for path in written] == [f"{pdf.stem}-p001.png", f"{pdf.stem}-p003.png"]
    from PIL import Image

    with Image.open(written[0]) as image:
        assert image.size == pytest.approx((210 * 50 / 25.4, 297 * 50 / 25.4), abs=1)
        assert image.convert("L").getextrema()[0] < 100  # something is printed on it


def test_proofs_names_a_page_that_is_not_there(
    article_outputs: dict[str, Path], tmp_path: Path
) -> None:
    done = run_cli("proofs", str(article_outputs["pdf"]), "--pages", "40", "-o", str(tmp_path))
    assert done.returncode == 1
    assert "page 40 is not in the document" in done.stderr
