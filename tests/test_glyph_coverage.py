"""The glyph check: every character an output shows is looked up in the bundled fonts'
cmaps before rendering; exactly those no font draws are reported, with code point and line."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from exporter import parse_article, read_source
from exporter.errors import ExportWarning
from exporter.render.coverage import warn_uncovered
from exporter.render.typefaces import FONT_FACES, FONT_STACK
from exporter.web.writer import render_web_html
from tests.conftest import CORPUS
from tests.readers import run_cli

UNCOVERED = ["ܫ", "ܠ", "ܡ", "ܐ", "中", "😀"]


def coverage_warnings(path: Path) -> list[ExportWarning]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warn_uncovered(parse_article(read_source(path)))
    return [w.message for w in caught if isinstance(w.message, ExportWarning)]


def test_reports_exactly_the_characters_no_bundled_font_draws() -> None:
    found = coverage_warnings(CORPUS / "uncovered.md")
    named = [re.search(r"draws (\S+) \(U\+([0-9A-F]+) ", w.problem) for w in found]
    assert sorted(m.group(1) for m in named if m) == sorted(UNCOVERED)
    for match in named:
        assert match and int(match.group(2), 16) == ord(match.group(1))
    assert {w.line for w in found} == {6}


def test_the_report_agrees_with_the_font_files() -> None:
    cmaps = [set(TTFont(face.file).getBestCmap()) for face in FONT_FACES]
    text = (CORPUS / "uncovered.md").read_text(encoding="utf-8")
    missing = {c for c in text if c.isprintable() and not any(ord(c) in m for m in cmaps)}
    assert missing == set(UNCOVERED)


@pytest.mark.parametrize("stem", ["mixed-inline", "vocalised-stacks", "persian", "urdu", "scripts"])
def test_no_report_when_every_character_is_drawn(stem: str) -> None:
    assert coverage_warnings(CORPUS / f"{stem}.md") == []


def test_strict_turns_the_report_into_an_error(tmp_path: Path) -> None:
    done = run_cli("build", str(CORPUS / "uncovered.md"), "-f", "html", "-o", str(tmp_path),
                   "--strict")  # fmt: skip
    assert done.returncode == 1
    assert "U+0710 SYRIAC LETTER ALAPH" in done.stderr or "U+072B" in done.stderr
    assert not (tmp_path / "uncovered.html").exists()


@pytest.mark.parametrize(
    ("stem", "first"), [("persian", ["Amiri"]), ("urdu", ["Noto Nastaliq Urdu", "Amiri"])]
)
def test_stylesheet_names_every_bundled_family_in_order(stem: str, first: list[str]) -> None:
    css = render_web_html(parse_article(read_source(CORPUS / f"{stem}.md")))

    def stack(selector: str) -> list[str]:
        families = re.search(rf"\n{selector} \{{[^}}]*?font-family: ([^;]+);", css).group(1)
        return [name.strip().strip('"') for name in families.split(",")]

    assert stack("html") == [*first, *FONT_STACK[1:], "serif"]
    assert stack("code, kbd, pre, samp") == ["Noto Sans Mono", *first, *FONT_STACK[1:], "monospace"]
    assert {face.family for face in FONT_FACES} - set(stack("code, kbd, pre, samp")) == (
        set() if stem == "urdu" else {"Noto Nastaliq Urdu"}
    )
