from __future__ import annotations

from pathlib import Path

import pytest

from exporter import export

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "article.md"


@pytest.fixture(scope="session")
def article_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """article.md exported once to all three formats, through the public API."""
    out_dir = tmp_path_factory.mktemp("dist")
    written = export(ARTICLE, out_dir=out_dir)
    return {path.suffix.lstrip("."): path for path in written}
