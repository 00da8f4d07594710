"""Where the bundled templates and fonts are.

In a wheel they sit inside the package (``exporter/templates``, ``exporter/fonts``); in a
source checkout or an editable install they sit at the top of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise RuntimeError(f"the bundled {name}/ folder is missing: reinstall the package")


TEMPLATES_DIR = _bundled("templates")
FONTS_DIR = _bundled("fonts")
