"""The manifest: what each output was made from, so an unchanged input is not exported again.

It lives in the output folder as ``.exporter-manifest.json``. For each input it records one
key, a SHA-256 over everything that decides the output (the bytes of the source as the
export read them, the options that change what is written, the bundled templates and
fonts, the exporter's own code and the versions of the packages installed beside the
engines), the SHA-256 of every output written and of every image the article used, as
read. An input is skipped only when its key is the same, its images are the same, and
every output asked for is still there, under its own name, with the content written.

An export puts its outputs in place and its record in the manifest as one step
(``commit``), under the output folder's lock (``staging.folder_lock``): the manifest is
read again there and this one record merged in, so runs exporting into one folder at once
keep each other's records. Reading the manifest never blocks and never fails: a manifest
that is not a regular file, not JSON, nested too deeply, or holds an entry of the wrong
shape or naming a file outside its place is set aside (renamed ``….damaged``) with one
warning, and rebuilt.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

from . import interrupts, staging
from .bundle import FONTS_DIR, TEMPLATES_DIR
from .errors import OutputError
from .options import FORMATS, OUTPUT_FIELDS, Options

MANIFEST_NAME = ".exporter-manifest.json"
DAMAGED_NAME = f"{MANIFEST_NAME}.damaged"
MANIFEST_VERSION = 1
# Far more than any folder's records take (about 500 bytes an input); past it, a damage.
_MAX_MANIFEST_BYTES = 256 * 1024 * 1024
_DIGEST = re.compile(r"\A[0-9a-f]{64}\Z")
# The engines whose version changes the bytes we write, by the name they are imported as.
_ENGINES = ("weasyprint", "ebooklib", "fontTools", "uharfbuzz", "markdown_it", "jinja2")
_PACKAGE_DIR = Path(__file__).resolve().parent


def file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def regular_file_digest(
    path: Path, *, follow: bool = True, max_size: int | None = None
) -> str | None:
    """The SHA-256 of a regular file; None for anything else (missing, a folder, a device, a
    FIFO, a symbolic link when not ``follow``, larger than ``max_size``). Opened without
    blocking, so a FIFO or a device never holds the run up."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError):
        return None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or (max_size is not None and info.st_size > max_size):
        os.close(fd)
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            return hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError:
            return None


def real_path(path: Path) -> Path:
    """The path with symbolic links resolved, as far as they resolve: a link that loops
    stays as it is (``Path.resolve`` raises there)."""
    return Path(os.path.realpath(path))


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


def key_of(source_digest: str, options: Options, environment: str | None = None) -> str:
    """The key of a source whose bytes have this SHA-256, under these options."""
    parts = {
        "source": source_digest,
        "options": _output_options(options),
        "environment": environment or environment_digest(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def input_key(source: Path, options: Options, environment: str | None = None) -> str | None:
    """The key of an input file as it is now; None when it is not a regular file that
    could be exported (the export then says why)."""
    digest = regular_file_digest(source, max_size=options.max_size)
    return None if digest is None else key_of(digest, options, environment)


class _Damaged(Exception):
    """The manifest, or one of its entries, is not what this module writes."""


@dataclass(frozen=True)
class Record:
    """What one export of one input was made from and what it wrote."""

    key: str
    outputs: Mapping[str, tuple[str, str]]  # format -> (file name, sha256)
    assets: Mapping[str, str] = field(default_factory=dict)  # absolute path -> sha256
    # What the catalog and the bags need to know of the article, recorded when it was
    # exported (distribute/about.py): title, authors, language, summary, ...
    about: Mapping[str, object] = field(default_factory=dict)

    def covers(self, key: str, formats: Iterable[str], out_dir: Path, stem: str) -> bool:
        """True when nothing that decides these outputs changed and they are all intact,
        each under the name an export of ``stem`` gives it."""
        if key != self.key:
            return False
        for fmt in formats:
            name, digest = self.outputs.get(fmt, ("", ""))
            if name != f"{stem}.{fmt}":
                return False
            if regular_file_digest(out_dir / name, follow=False) != digest:
                return False
        return all(regular_file_digest(Path(p)) == d for p, d in self.assets.items())

    def written_as_recorded(self, out_dir: Path) -> bool:
        """Whether every output recorded is in the folder with the content recorded."""
        return all(
            regular_file_digest(out_dir / name, follow=False) == digest
            for name, digest in self.outputs.values()
        )

    def to_json(self) -> dict[str, object]:
        outputs = {fmt: list(pair) for fmt, pair in sorted(self.outputs.items())}
        return {
            "key": self.key,
            "outputs": outputs,
            "assets": dict(sorted(self.assets.items())),
            "about": dict(sorted(self.about.items())),
        }

    @classmethod
    def from_json(cls, name: str, entry: object, out_dir: Path | None) -> Record:
        """The record of the input ``name``, checked to be what ``to_json`` writes; with
        ``out_dir``, the files it names too: regular files, or not there."""
        if not isinstance(entry, dict) or not _is_digest(entry.get("key")):
            raise _Damaged(f"the entry of {name} has no key of 64 hexadecimal digits")
        outputs, assets = entry.get("outputs"), entry.get("assets", {})
        if not isinstance(outputs, dict) or not isinstance(assets, dict):
            raise _Damaged(f"the entry of {name} does not map its outputs and images")
        record = cls(
            key=entry["key"],
            outputs={fmt: _output(name, fmt, pair) for fmt, pair in outputs.items()},
            assets={path: _asset(name, path, digest) for path, digest in assets.items()},
            about=_about(name, entry.get("about", {})),
        )
        if out_dir is None:
            return record
        named = [out_dir / file for file, _ in record.outputs.values()]
        for path in [*named, *map(Path, record.assets)]:
            if not _regular_or_missing(path):
                raise _Damaged(f"the entry of {name} names {path}, not a regular file")
        return record


def _regular_or_missing(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except FileNotFoundError:
        return True
    except OSError:
        return False


def _is_digest(value: object) -> bool:
    return isinstance(value, str) and _DIGEST.match(value) is not None


def _output(name: str, fmt: object, pair: object) -> tuple[str, str]:
    """An output of ``name``'s entry: a format's file, directly in the output folder."""
    if not (isinstance(pair, list) and len(pair) == 2 and fmt in FORMATS):
        raise _Damaged(f"the entry of {name} lists an output that is not [file, digest]")
    file, digest = pair
    plain = isinstance(file, str) and "/" not in file and "\0" not in file
    if not (plain and not file.startswith(".") and file.endswith(f".{fmt}")):
        raise _Damaged(f"the entry of {name} names an output outside the folder: {file!r}")
    if not _is_digest(digest):
        raise _Damaged(f"the entry of {name} has an output digest of the wrong form")
    return file, digest


def _asset(name: str, path: object, digest: object) -> str:
    """An image of ``name``'s entry: a file inside the article's folder (read/resolver.py
    takes no other)."""
    folder = os.path.dirname(name)
    inside = (
        isinstance(path, str)
        and "\0" not in path
        and os.path.isabs(path)
        and os.path.normpath(path) == path
        and os.path.commonpath([folder, path]) == folder
    )
    if not inside or not _is_digest(digest):
        raise _Damaged(f"the entry of {name} names an image outside the article's folder")
    return digest  # type: ignore[return-value]


def _about(name: str, about: object) -> dict[str, object]:
    """What an entry says about its article: names mapped to text, a list of text, or
    nothing (``null``)."""

    def plain(value: object) -> bool:
        return (
            value is None
            or isinstance(value, str)
            or (isinstance(value, list) and all(isinstance(item, str) for item in value))
        )

    if not isinstance(about, dict) or not all(map(plain, about.values())):
        raise _Damaged(f"the entry of {name} says what its article is in the wrong form")
    return about


def _records(data: object, out_dir: Path | None) -> dict[str, Record]:
    if not isinstance(data, dict) or not isinstance(data.get("version"), int):
        raise _Damaged("it is not a manifest (no version)")
    if data["version"] != MANIFEST_VERSION:
        return {}  # another release's manifest: rebuilt in this release's form
    inputs = data.get("inputs")
    if not isinstance(inputs, dict):
        raise _Damaged("it does not map inputs to records")
    for name in inputs:
        if "\0" in name or not os.path.isabs(name) or os.path.normpath(name) != name:
            raise _Damaged(f"it names an input that is not an absolute path: {name!r}")
    return {name: Record.from_json(name, entry, out_dir) for name, entry in inputs.items()}


def read_records(
    out_dir: Path, *, check_files: bool = True
) -> tuple[dict[str, Record], str | None]:
    """The records of the folder's manifest, and what is wrong with it, if anything (the
    records are then none). Never blocks: the manifest is opened without following a
    link and without waiting, and read only if it is a regular file of a sane size.
    ``check_files``: look at each file an entry names, too (see ``Record.from_json``)."""
    try:
        fd = os.open(
            out_dir / MANIFEST_NAME, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC
        )
    except FileNotFoundError:
        return {}, None
    except NotADirectoryError:
        return {}, None  # no output folder: the exports will say so
    except OSError as error:
        return {}, _open_problem(error)
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_MANIFEST_BYTES:
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            return {}, "it is a folder"
        if not stat.S_ISREG(info.st_mode):
            return {}, "it is not a regular file"
        return {}, f"it is larger than {_MAX_MANIFEST_BYTES} bytes"
    with os.fdopen(fd, "rb") as handle:
        try:
            raw = handle.read(_MAX_MANIFEST_BYTES + 1)
        except OSError as error:
            return {}, f"it cannot be read: {error.strerror}"
    return _parse(raw, out_dir if check_files else None)


def _open_problem(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "it is a symbolic link"
    return f"it cannot be opened: {error.strerror}"


def _parse(raw: bytes, out_dir: Path | None) -> tuple[dict[str, Record], str | None]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except RecursionError:
        return {}, "it nests too deeply"
    except ValueError:  # JSONDecodeError and UnicodeDecodeError both
        return {}, "it is not valid JSON"
    try:
        return _records(data, out_dir), None
    except _Damaged as damage:
        return {}, str(damage)
    except RecursionError:
        return {}, "it nests too deeply"


def set_aside(out_dir: Path, problem: str) -> str:
    """Move a damaged manifest out of the way, keeping it to look at; the warning to give,
    to be put after the manifest's path."""
    damaged = f"damaged manifest ({problem})"
    for number in range(1, 100):
        name = DAMAGED_NAME if number == 1 else f"{DAMAGED_NAME}-{number}"
        if os.path.lexists(out_dir / name):
            continue
        try:
            os.rename(out_dir / MANIFEST_NAME, out_dir / name)
        except FileNotFoundError:
            break
        except OSError as error:
            return f"{damaged}: it cannot be set aside ({error.strerror}); it is ignored"
        return f"{damaged}: set aside as {name}; its inputs are exported again"
    return f"{damaged}: ignored; its inputs are exported again"


def _write_part(out_dir: Path, records: Mapping[str, Record]) -> Path:
    """The manifest's new text in a temporary beside it, complete: one input a line, each
    line encoded by ``json``'s C encoder (an indented dump goes through its Python one)."""
    lines = ",\n".join(
        f"  {json.dumps(name, ensure_ascii=False)}: "
        f"{json.dumps(record.to_json(), ensure_ascii=False, sort_keys=True)}"
        for name, record in sorted(records.items())
    )
    text = f'{{"version": {MANIFEST_VERSION}, "inputs": {{\n{lines}\n}}}}\n'
    part = staging.create_part(out_dir / MANIFEST_NAME)
    try:
        part.write_text(text, encoding="utf-8")
    except BaseException:
        staging.release_part(part)
        raise
    return part


def commit(
    out_dir: Path,
    moves: Sequence[tuple[Path, Path]],
    entry: tuple[str, Record] | None = None,
    *,
    keep: Callable[[Record], bool] | None = None,
) -> list[str]:
    """Put the outputs in place (each temporary renamed onto its target) and ``entry``, an
    input's name and record, in the manifest, as one step: under the folder's lock, with
    signals deferred, and the manifest's new text written in full before anything is
    renamed, so that a full disk stops the step before it changes anything. With ``keep``,
    the record is merged only if ``keep`` accepts it, and dropped otherwise. Returns the
    warnings met (a damaged manifest set aside)."""
    warnings: list[str] = []
    part = None
    with staging.folder_lock(out_dir), interrupts.deferred():
        try:
            if entry is not None:
                # The files were looked at when the run planned; only the text matters here.
                records, problem = read_records(out_dir, check_files=False)
                if problem is not None:
                    warnings.append(set_aside(out_dir, problem))
                name, record = entry
                _drop_claims(records, record, except_for=name)
                if keep is None or keep(record):
                    records[name] = record
                else:
                    records.pop(name, None)
                part = _write_part(out_dir, records)
            for temporary, target in moves:
                staging.put_in_place(temporary, target)
            if part is not None:
                staging.put_in_place(part, out_dir / MANIFEST_NAME)
        except OSError as error:
            problem = f"cannot write {_named(error, moves, out_dir)}: {error.strerror}"
            raise OutputError(problem) from None
        finally:
            if part is not None:
                staging.release_part(part)
    return warnings


def _drop_claims(records: dict[str, Record], record: Record, except_for: str) -> None:
    """Forget the records of other inputs that name one of ``record``'s outputs (two
    inputs of one name, ``a/x.md`` and ``b/x.md``): those files are no longer theirs."""
    names = {name for name, _ in record.outputs.values()}
    for other, kept in list(records.items()):
        if other != except_for and names & {name for name, _ in kept.outputs.values()}:
            del records[other]


def _named(error: OSError, moves: Sequence[tuple[Path, Path]], out_dir: Path) -> Path:
    """The file a failed step was writing, by its final name."""
    for temporary, target in moves:
        if error.filename in (str(temporary), temporary):
            return target
    return out_dir / MANIFEST_NAME


class Manifest:
    """The records of one output folder as a run found them, keyed by the input's real
    path: what ``batch`` plans with."""

    def __init__(self, out_dir: Path, records: dict[str, Record] | None = None):
        self.out_dir = out_dir
        self.records = records or {}

    @classmethod
    def load(cls, out_dir: Path, warn: Callable[[str], None] | None = None) -> Manifest:
        """The folder's manifest; a damaged one is set aside (under the folder's lock, so
        that a run that is rewriting it is not taken for damage) and ``warn`` told."""
        records, problem = read_records(out_dir)
        if problem is not None:
            with staging.folder_lock(out_dir):
                records, problem = read_records(out_dir)
                if problem is not None:
                    message = set_aside(out_dir, problem)
                    if warn is not None:
                        warn(f"{out_dir / MANIFEST_NAME}: {message}")
        return cls(out_dir, records)

    @staticmethod
    def name_of(source: Path) -> str:
        return str(real_path(source))

    def unchanged(self, source: Path, key: str, formats: Iterable[str]) -> bool:
        record = self.records.get(self.name_of(source))
        return record is not None and record.covers(key, formats, self.out_dir, source.stem)
