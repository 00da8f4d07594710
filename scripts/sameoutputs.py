"""Are two exports of the same articles the same? For a change that must not change what
any output shows.

    .venv/bin/python scripts/sameoutputs.py export DIR      # article.md and tests/corpus/*.md
    .venv/bin/python scripts/sameoutputs.py export DIR justify=spaces   # with an option
    .venv/bin/python scripts/sameoutputs.py compare OLD NEW

``export`` writes every output of ``article.md`` and of the test corpus into ``DIR`` (run it
before and after the change, into two folders). ``compare`` says of each output whether it
is the same bytes; where it is not, it compares what a reader gets: for a PDF, every page
rendered by PDFium (pixel for pixel) and the text PDFium and poppler copy out; for an EPUB,
each member of the zip; for the HTML, the file as text, line by line. It exits 1 when any
output differs in what it shows.
"""

from __future__ import annotations

import difflib
import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def articles() -> list[Path]:
    return [ROOT / "article.md", *sorted((ROOT / "tests" / "corpus").glob("*.md"))]


def export_all(out_dir: Path, options: dict[str, str] | None = None) -> None:
    import warnings

    from exporter import export

    out_dir.mkdir(parents=True, exist_ok=True)
    for article in articles():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for path in export(article, out_dir, **(options or {})):
                print(path)


def _pdf_pages(path: Path) -> list[tuple[str, bytes]]:
    """Each page's text (PDFium) and the digest of its pixels at 100 dpi."""
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    pages = []
    try:
        for page in document:
            text_page = page.get_textpage()
            text = text_page.get_text_range()
            image = page.render(scale=100 / 72).to_pil()
            pages.append((text, hashlib.sha256(image.tobytes()).digest()))
            text_page.close()
            page.close()
    finally:
        document.close()
    return pages


def _poppler_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True)
    return done.stdout.decode("utf-8")


def compare_pdf(old: Path, new: Path) -> list[str]:
    problems = []
    old_pages, new_pages = _pdf_pages(old), _pdf_pages(new)
    if len(old_pages) != len(new_pages):
        return [f"{len(old_pages)} pages before, {len(new_pages)} after"]
    for number, (before, after) in enumerate(zip(old_pages, new_pages, strict=True), 1):
        if before[0] != after[0]:
            problems.append(f"page {number}: PDFium copies out other text")
        if before[1] != after[1]:
            problems.append(f"page {number}: other pixels")
    if _poppler_text(old) != _poppler_text(new):
        problems.append("poppler copies out other text")
    return problems


def compare_epub(old: Path, new: Path) -> list[str]:
    with zipfile.ZipFile(old) as before, zipfile.ZipFile(new) as after:
        names = before.namelist()
        if names != after.namelist():
            return ["other members or order"]
        return [f"{name} differs" for name in names if before.read(name) != after.read(name)]


def compare_html(old: Path, new: Path) -> list[str]:
    lines = difflib.unified_diff(
        old.read_text(encoding="utf-8").splitlines(),
        new.read_text(encoding="utf-8").splitlines(),
        lineterm="",
        n=0,
    )
    changed = [line for line in lines if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    return [f"{len(changed)} lines differ, first: {changed[0][:120]}"] if changed else []


COMPARE = {".pdf": compare_pdf, ".epub": compare_epub, ".html": compare_html}


def compare_all(old_dir: Path, new_dir: Path) -> int:
    differing = 0
    names = sorted({p.name for p in old_dir.iterdir()} | {p.name for p in new_dir.iterdir()})
    for name in names:
        old, new = old_dir / name, new_dir / name
        if name.startswith(".") or old.suffix not in COMPARE:
            continue
        if not (old.exists() and new.exists()):
            print(f"{name}: only in {'the old' if old.exists() else 'the new'} folder")
            differing += 1
            continue
        if old.read_bytes() == new.read_bytes():
            print(f"{name}: the same bytes")
            continue
        problems = COMPARE[old.suffix](old, new)
        if problems:
            differing += 1
            print(f"{name}: DIFFERS: {'; '.join(problems)}")
        else:
            print(f"{name}: other bytes, the same pages and copied text")
    return 1 if differing else 0


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "export" and all("=" in arg for arg in argv[2:]):
        export_all(Path(argv[1]), dict(arg.split("=", 1) for arg in argv[2:]))
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        return compare_all(Path(argv[1]), Path(argv[2]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
