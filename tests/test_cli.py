"""The command line as a user types it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.readers import run_cli

ROOT = Path(__file__).resolve().parents[1]
SHORT = "---\ntitle: مقال قصير\n---\n\n## قسم\n\nنص قصير فيه *تأكيد* و**قوة**.\n"


def test_formats_and_out_dir(tmp_path: Path) -> None:
    source = tmp_path / "short.md"
    source.write_text(SHORT, encoding="utf-8")
    done = run_cli("build", str(source), "-o", str(tmp_path / "out"), "-f", "epub,html")
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    # The outputs, and the manifest that lets the next run skip an unchanged input.
    assert written == [".exporter-manifest.json", "short.epub", "short.html"]


def test_default_out_dir_is_dist(tmp_path: Path) -> None:
    (tmp_path / "short.md").write_text(SHORT, encoding="utf-8")
    done = run_cli("build", "short.md", "-f", "html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "dist" / "short.html").is_file()


def test_version_and_help() -> None:
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("exporter ")
    helped = run_cli("build", "--help")
    assert helped.returncode == 0
    for option in ("-o DIR", "-f pdf,epub,html", "--strict"):
        assert option in helped.stdout


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "exporter"
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and "exporter" in done.stdout


@pytest.mark.slow  # builds a wheel
def test_wheel_ships_templates_and_fonts(tmp_path: Path) -> None:
    """A non-editable install must find its templates and fonts inside the package."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )  # fmt: skip
    wheel = next(tmp_path.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "exporter/templates/document.html.j2" in names
    assert "exporter/templates/css/print.css.j2" in names
    assert "exporter/fonts/Amiri-Regular.ttf" in names
    assert "exporter/fonts/OFL.txt" in names
