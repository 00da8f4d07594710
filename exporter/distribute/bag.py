"""A BagIt 1.0 bag of one article (RFC 8493), written with the Library of Congress's
``bagit`` library: ``data/`` holds the source Markdown, its images and the outputs;
``manifest-sha256.txt``, ``manifest-sha512.txt`` and their tag manifests; bag-info.txt
with the article's identifier, its Dublin Core and who deposits it; ``metadata/`` the
Dublin Core as XML. A folder, ``NAME.bag``, or a zip of it, ``NAME.bag.zip``.

The same input gives the same bytes: no Bagging-Date unless asked for (``bagit`` writes
today's date; it is taken out again), the tag manifests' lines sorted (``bagit`` lists the
tag files in the file system's order), and the zip's entries sorted and stamped with the
article's date (``zipped.py``, as the EPUB is).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from ..manifest import Record, regular_file_digest
from ..zipped import write_zip
from .dublincore import bag_info_fields, dublin_core_xml
from .files import FORMAT_ORDER, bag_name
from .writing import write_if_changed

BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
ALGORITHMS = ("sha256", "sha512")
METADATA_DIR = "metadata"
DUBLIN_CORE_NAME = "dublin_core.xml"
TEMPORARY_SUFFIX = ".bag-tmp"  # a bag being made, beside the outputs
BAG_FORMAT = 1  # raised when a bag's layout changes: every bag is made again


class BagProblem(Exception):
    """The bag of an article cannot be made now; the message says why."""


@dataclass(frozen=True)
class BagSettings:
    kind: str  # "folder" or "zip"
    source_organization: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    bagging_date: str | None = None  # YYYY-MM-DD when asked for, else none in the bag
    agent: str = "exporter"


def bag_key(record: Record, settings: BagSettings) -> str:
    """What the bag is made of: a bag whose key is unchanged is not made again."""
    parts = {
        "format": BAG_FORMAT,
        "about": dict(record.about),
        "outputs": dict(record.outputs),
        "assets": dict(record.assets),
        "settings": asdict(settings),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def bag_path(out_dir: Path, record: Record, kind: str) -> Path:
    stem = Path(next(iter(record.outputs.values()))[0]).stem
    return out_dir / bag_name(stem, kind)


def bag_digest(path: Path, kind: str) -> str | None:
    """What tells a bag apart from another: the zip's digest, or the folder's tag manifest's."""
    return regular_file_digest(path if kind == "zip" else path / "tagmanifest-sha256.txt")


def make_bag(out_dir: Path, name: str, record: Record, settings: BagSettings) -> Path:
    """Write the bag of the input ``name``; its path."""
    import bagit

    target = bag_path(out_dir, record, settings.kind)
    payload = _payload(out_dir, name, record)
    work = Path(tempfile.mkdtemp(dir=out_dir, prefix=f".{target.name}.", suffix=TEMPORARY_SUFFIX))
    try:
        for relative, source in payload:
            (work / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, work / relative)
        info = _bag_info(record.about, settings)
        # make_bag changes the process's working folder while it works (bagit 1.9).
        bagit.make_bag(str(work), info, processes=1, checksums=list(ALGORITHMS))
        # bagit 1.9 declares version 0.97; the layout it writes is BagIt 1.0's.
        (work / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8")
        (work / METADATA_DIR).mkdir()
        (work / METADATA_DIR / DUBLIN_CORE_NAME).write_bytes(dublin_core_xml(record.about))
        bag = bagit.Bag(str(work))
        if settings.bagging_date is None:
            del bag.info["Bagging-Date"]
        bag.save()  # bag-info.txt and the tag manifests again, metadata/ included
        _sort_tag_manifests(work)
        _open_to_all(work)
        if settings.kind == "zip":
            write_if_changed(target, _zipped(work, target, record.about))
        else:
            _put_folder(work, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _payload(out_dir: Path, name: str, record: Record) -> list[tuple[str, Path]]:
    """Each file of ``data/``: (its path in data/, the file), checked to be what was exported."""
    source = Path(name)
    if regular_file_digest(source) != record.about.get("source"):
        raise BagProblem("the source changed since its export: export it again first")
    payload = [(source.name, source)]
    for path, digest in sorted(record.assets.items()):
        if regular_file_digest(Path(path)) != digest:
            raise BagProblem(f"image {path} changed since its export: export it again first")
        payload.append((os.path.relpath(path, source.parent), Path(path)))
    for fmt in FORMAT_ORDER:
        if fmt in record.outputs:
            file, digest = record.outputs[fmt]
            if regular_file_digest(out_dir / file, follow=False) != digest:
                raise BagProblem(f"{file} is not the file exported: export it again first")
            payload.append((file, out_dir / file))
    return payload


def _bag_info(about: Mapping[str, object], settings: BagSettings) -> dict[str, object]:
    def text(key: str) -> str | None:
        value = about.get(key)
        return value if isinstance(value, str) and value else None

    info: dict[str, object] = {
        "Bag-Software-Agent": settings.agent,
        # bagit writes a date unless given one; one from the content, removed after.
        "Bagging-Date": settings.bagging_date or text("date") or "1980-01-01",
        "External-Identifier": text("identifier"),
        "External-Description": text("summary"),
        "Source-Organization": settings.source_organization or text("source_organization"),
        "Contact-Name": settings.contact_name or text("contact_name"),
        "Contact-Email": settings.contact_email or text("contact_email"),
        **bag_info_fields(about),
    }
    return {key: value for key, value in info.items() if value}


def _sort_tag_manifests(work: Path) -> None:
    for algorithm in ALGORITHMS:
        path = work / f"tagmanifest-{algorithm}.txt"
        lines = path.read_text(encoding="utf-8").splitlines()
        lines.sort(key=lambda line: line.split(" ", 1)[1])
        path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")


def _open_to_all(work: Path) -> None:
    """Folders 755 and files 644, as outputs are (the temporary folder was made 700)."""
    for folder, _, files in os.walk(work):
        os.chmod(folder, 0o755)
        for file in files:
            os.chmod(os.path.join(folder, file), 0o644)


def _members(work: Path) -> list[str]:
    return sorted(path.relative_to(work).as_posix() for path in work.rglob("*") if path.is_file())


def _zipped(work: Path, target: Path, about: Mapping[str, object]) -> bytes:
    """The bag as a zip whose one top folder is the bag (RFC 8493, section 4.4)."""
    top = target.name.removesuffix(".zip")
    date = about.get("date")
    day = dt.date.fromisoformat(date) if isinstance(date, str) else dt.date(1980, 1, 1)
    moment = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    buffer = io.BytesIO()
    members = ((f"{top}/{name}", (work / name).read_bytes()) for name in _members(work))
    write_zip(buffer, members, timestamp=moment)
    return buffer.getvalue()


def _put_folder(work: Path, target: Path) -> None:
    """The new bag in place of the old one: renamed in, the old one removed after."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise BagProblem(f"{target} is there and is not a bag folder: not replaced")
    if not target.exists():
        os.rename(work, target)
        return
    old = Path(
        tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMPORARY_SUFFIX)
    )
    os.rename(target, old / "bag")
    os.rename(work, target)
    shutil.rmtree(old, ignore_errors=True)


def remove_unfinished(out_dir: Path) -> None:
    """The bags a stopped run left half made (called under the folder's lock)."""
    for path in out_dir.glob(f".*{TEMPORARY_SUFFIX}"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
