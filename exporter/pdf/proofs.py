"""Proofs: chosen pages of a PDF rendered to PNG with PDFium, to look at a layout without a
PDF viewer (and to let a test look at pixels the way a reader does)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..errors import ExportError


def parse_pages(spec: str, count: int) -> list[int]:
    """``"1,3-5"`` -> ``[1, 3, 4, 5]`` (1-based, as a reader numbers pages); ``"all"`` or
    an empty spec -> every page. A page outside the document is an error naming it."""
    if spec.strip().lower() in {"", "all"}:
        return list(range(1, count + 1))
    pages: list[int] = []
    for part in spec.replace(" ", "").split(","):
        first, _, last = part.partition("-")
        try:
            start = int(first) if first else 1
            end = (int(last) if last else count) if "-" in part else start
        except ValueError:
            raise ExportError(f"page list {spec!r}: write it as 1,3-5 or all") from None
        for page in range(start, end + 1):
            if not 1 <= page <= count:
                raise ExportError(f"page {page} is not in the document (it has {count} pages)")
            if page not in pages:
                pages.append(page)
    return pages


def render_pages(pdf: Path, pages: str = "all", *, dpi: int = 100) -> Iterator[tuple[int, object]]:
    """Each chosen page as a PIL image, with its 1-based number."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(pdf)
    except (pypdfium2.PdfiumError, OSError) as error:
        raise ExportError(f"cannot open {pdf} as a PDF: {error}") from None
    try:
        for number in parse_pages(pages, len(document)):
            bitmap = document[number - 1].render(scale=dpi / 72)
            yield number, bitmap.to_pil()
    finally:
        document.close()


def write_proofs(pdf: Path, out_dir: Path, pages: str = "all", *, dpi: int = 100) -> list[Path]:
    """Write ``<stem>-p<N>.png`` into ``out_dir`` for each chosen page; return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for number, image in render_pages(pdf, pages, dpi=dpi):
        target = out_dir / f"{pdf.stem}-p{number:03d}.png"
        image.save(target)  # type: ignore[attr-defined]
        written.append(target)
    return written
