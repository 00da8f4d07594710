"""The reading systems the EPUB tests run: Ace by DAISY (in headless Chromium) and Calibre.

Ace is installed from tests/tools/package-lock.json by ``make test`` (npm ci); Chromium and
Calibre are Debian's packages (see .ci/run and the Makefile's check-test-system).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

TOOLS = Path(__file__).resolve().parent / "tools"
ACE = TOOLS / "node_modules" / ".bin" / "ace-cli"
# Calibre renders through Qt WebEngine: no sandbox as root, no screen.
CALIBRE_ENV = {"QTWEBENGINE_DISABLE_SANDBOX": "1", "QT_QPA_PLATFORM": "offscreen"}


def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        raise RuntimeError("Chromium is missing: sudo apt-get install chromium")
    return found


@dataclass(frozen=True)
class AceReport:
    outcome: str
    violations: list[str]  # "document: rule (impact): description"


def run_ace(epub: Path, out_dir: Path) -> AceReport:
    """Ace's verdict on an EPUB: its JSON report, read back."""
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium(), "PUPPETEER_SKIP_DOWNLOAD": "1"}
    subprocess.run(
        [str(ACE), "--silent", "--force", "--outdir", str(out_dir), str(epub)],
        check=True, env=env, timeout=600, capture_output=True,
    )  # fmt: skip
    report = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    violations = [
        f"{group['earl:testSubject']['url']}: {test['earl:test']['dct:title']} "
        f"({test['earl:test']['earl:impact']}): {test['earl:result']['dct:description']}"
        for group in report.get("assertions", [])
        for test in group.get("assertions", [])
    ]
    return AceReport(report["earl:result"]["earl:outcome"], violations)


def calibre_text(epub: Path, out_dir: Path) -> str:
    """The book as Calibre reads it, converted to plain text."""
    target = out_dir / f"{epub.stem}.txt"
    subprocess.run(
        ["ebook-convert", str(epub), str(target)],
        check=True, env={**os.environ, **CALIBRE_ENV}, timeout=600, capture_output=True,
    )  # fmt: skip
    return target.read_text(encoding="utf-8")


def calibre_metadata(epub: Path) -> dict[str, str]:
    """What ``ebook-meta`` reads: its "Name : value" lines."""
    done = subprocess.run(
        ["ebook-meta", str(epub)],
        check=True, env={**os.environ, **CALIBRE_ENV}, timeout=300, capture_output=True,
        text=True,
    )  # fmt: skip
    fields = {}
    for line in done.stdout.splitlines():
        name, colon, value = line.partition(":")
        if colon:
            fields[name.strip()] = value.strip()
    return fields
