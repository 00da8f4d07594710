"""The manifest: what each output was made from, so an unchanged input is not exported again.

It lives in the output folder as ``.exporter-manifest.json``. For each input it records one
key, a SHA-256 over everything that decides the output (the source's bytes, the options
that change what is written, the bundled templates and fonts, the exporter's own code and
the versions of the packages installed beside the engines), the SHA-256 of every output
written and of every image the article used. An input is skipped only when its key is the
same, its images are the same, and every output asked for is still there with the content
that was written.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

from .bundle import FONTS_DIR, TEMPLATES_DIR
from .options import OUTPUT_FIELDS, Options

MANIFEST_NAME = ".exporter-manifest.json"
MANIFEST_VERSION = 1
# The engines whose version changes the bytes we write, by the name they are imported as.
_ENGINES = ("weasyprint", "ebooklib", "fontTools", "uharfbuzz", "markdown_it", "jinja2")
_PACKAGE_DIR = Path(__file__).resolve().parent


def file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _tree_digest(folders: Iterable[Path]) -> str:
    """One digest over the names and contents of every file under ``folders``."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            digest.update(file_digest(path).encode() + b"\0")
    return digest.hexdigest()


def _engine_versions(module: str) -> list[str]:
    """The distributions installed beside an engine, by their dist-info folders' names
    (``weasyprint-70.0.dist-info``): the engine's version among them, found without
    importing the engine or importlib.metadata (either would slow every start)."""
    spec = find_spec(module)
    if spec is None or not spec.origin:
        return []
    folder = Path(spec.origin).parent.parent
    return sorted(path.name for path in folder.glob("*.dist-info"))


@functools.cache
def environment_digest() -> str:
    """Templates, fonts, our code and the engines' versions: the same for every input."""
    parts = {
        "bundle": _tree_digest((TEMPLATES_DIR, FONTS_DIR)),
        # The code too, not only the version: an editable install changes without a release.
        "code": _tree_digest((_PACKAGE_DIR,)) if _PACKAGE_DIR.is_dir() else "-",
        "engines": sorted({name for module in _ENGINES for name in _engine_versions(module)}),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _output_options(options: Options) -> dict[str, object]:
    """The options that change the bytes of an output; formats are tracked per output."""
    return {
        spec.name: repr(getattr(options, spec.name))
        for spec in OUTPUT_FIELDS
        if spec.name != "formats"
    }


def input_key(source: Path, options: Options) -> str:
    """The key of one input under these options. Raises ``OSError`` if it cannot be read."""
    parts = {
        "source": file_digest(source),
        "options": _output_options(options),
        "environment": environment_digest(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Record:
    """What one export of one input was made from and what it wrote."""

    key: str
    outputs: Mapping[str, tuple[str, str]]  # format -> (file name, sha256)
    assets: Mapping[str, str] = field(default_factory=dict)  # absolute path -> sha256

    @classmethod
    def made(cls, key: str, written: Iterable[Path], assets: Iterable[Path]) -> Record:
        return cls(
            key=key,
            outputs={path.suffix.lstrip("."): (path.name, file_digest(path)) for path in written},
            assets={str(asset.resolve()): file_digest(asset) for asset in assets},
        )

    def covers(self, key: str, formats: Iterable[str], out_dir: Path) -> bool:
        """True when nothing that decides these outputs changed and they are all intact."""
        if key != self.key:
            return False
        try:
            for fmt in formats:
                name, digest = self.outputs[fmt]
                if file_digest(out_dir / name) != digest:
                    return False
            return all(file_digest(Path(p)) == d for p, d in self.assets.items())
        except (KeyError, OSError):
            return False


class Manifest:
    """The records of one output folder, keyed by the input's absolute path."""

    def __init__(self, out_dir: Path, records: dict[str, Record] | None = None):
        self.out_dir = out_dir
        self.records = records or {}

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """The folder's manifest; an empty one if there is none or it cannot be read (then
        every input is exported again, which is always safe)."""
        try:
            data = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
            if data.get("version") != MANIFEST_VERSION:
                return cls(out_dir)
            records = {
                name: Record(
                    key=entry["key"],
                    outputs={fmt: tuple(pair) for fmt, pair in entry["outputs"].items()},
                    assets=dict(entry.get("assets", {})),
                )
                for name, entry in data["inputs"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls(out_dir)
        return cls(out_dir, records)

    @staticmethod
    def name_of(source: Path) -> str:
        return str(source.resolve())

    def unchanged(self, source: Path, key: str, formats: Iterable[str]) -> bool:
        record = self.records.get(self.name_of(source))
        return record is not None and record.covers(key, formats, self.out_dir)

    def record(self, source: Path, record: Record) -> None:
        self.records[self.name_of(source)] = record

    def forget(self, source: Path) -> None:
        self.records.pop(self.name_of(source), None)

    def save(self) -> None:
        """Write atomically (a temporary file renamed into place), and only when there is
        something to record: a run where everything failed leaves the folder as it was."""
        if not self.records and not (self.out_dir / MANIFEST_NAME).exists():
            return
        data = {
            "version": MANIFEST_VERSION,
            "inputs": {
                name: {"key": r.key, "outputs": dict(r.outputs), "assets": dict(r.assets)}
                for name, r in sorted(self.records.items())
            },
        }
        self.out_dir.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{MANIFEST_NAME}.", dir=self.out_dir)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream, ensure_ascii=False, indent=1)
            os.replace(temporary, self.out_dir / MANIFEST_NAME)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
