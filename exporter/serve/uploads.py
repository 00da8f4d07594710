"""An upload unpacked into a job's ``in/`` folder: one Markdown file and its images, or one
zip of an article folder, with every name checked before anything is written.

A zip is refused (``UploadError``, whose status is the HTTP one) when an entry's name is
absolute or climbs out with ``..``, when an entry is a symbolic link, when it has more
entries than allowed, or when it would unpack past the allowed total size or at a
compression ratio no article reaches (a zip bomb). The sizes in the zip's directory are
not trusted: every entry is copied with a count, and stops at its declared size.
"""

from __future__ import annotations

import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MARKDOWN_SUFFIXES = (".md", ".markdown")
ZIP_MAGIC = b"PK\x03\x04"
# A Markdown article with its images compresses by a few times; a ratio past this is a bomb.
_MAX_RATIO = 100
_CHUNK = 1 << 16


class UploadError(Exception):
    """An upload refused: ``status`` is the HTTP status, the message one line."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class UploadLimits:
    max_files: int  # entries of a zip, or images sent beside a Markdown file
    max_unpacked: int  # bytes a zip may unpack to, all entries together


def safe_relative(name: str) -> PurePosixPath:
    """A name from the client as a relative path that stays inside the job's folder."""
    cleaned = name.replace("\\", "/")
    path = PurePosixPath(cleaned)
    if (
        not cleaned
        or path.is_absolute()
        or re.match(r"^[A-Za-z]:", cleaned)
        or any(part in ("..", "") for part in cleaned.split("/") if part != ".")
        or "\0" in cleaned
    ):
        raise UploadError(400, f"refused the name {name!r}: it leads out of the article's folder")
    parts = [part for part in path.parts if part != "."]
    if not parts:
        raise UploadError(400, f"refused the name {name!r}: it names no file")
    return PurePosixPath(*parts)


def unpack_zip(data_path: Path, folder: Path, limits: UploadLimits) -> Path:
    """Unpack the zip at ``data_path`` into ``folder``; the Markdown file to export."""
    try:
        archive = zipfile.ZipFile(data_path)
    except (zipfile.BadZipFile, OSError):
        raise UploadError(415, "the file is not a zip that can be read") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_files:
            raise UploadError(413, f"the zip has {len(entries)} entries, over {limits.max_files}")
        _check_entries(entries, limits)
        for entry in entries:
            _extract(archive, entry, folder)
    return _the_markdown(folder, [entry.filename for entry in entries])


def _check_entries(entries: list[zipfile.ZipInfo], limits: UploadLimits) -> None:
    total = 0
    for entry in entries:
        safe_relative(entry.filename)
        if stat.S_ISLNK(entry.external_attr >> 16):
            raise UploadError(400, f"refused {entry.filename!r}: a symbolic link in the zip")
        total += entry.file_size
        if total > limits.max_unpacked:
            raise UploadError(413, f"the zip unpacks to more than {limits.max_unpacked} bytes")
        if entry.file_size > _MAX_RATIO * max(entry.compress_size, 1) and entry.file_size > _CHUNK:
            raise UploadError(
                413, f"refused {entry.filename!r}: it expands {_MAX_RATIO} times or more"
            )


def _extract(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, folder: Path) -> None:
    target = folder / safe_relative(entry.filename)
    if entry.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    try:
        with archive.open(entry) as source, open(target, "xb") as out:
            while chunk := source.read(_CHUNK):
                written += len(chunk)
                if written > entry.file_size:  # a directory that lies about the size
                    raise UploadError(413, f"refused {entry.filename!r}: larger than it claims")
                out.write(chunk)
    except FileExistsError:
        raise UploadError(400, f"the zip names {entry.filename!r} twice") from None
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        raise UploadError(415, f"cannot unpack {entry.filename!r}: {error}") from None


def _the_markdown(folder: Path, names: list[str]) -> Path:
    """The zip's one Markdown file: the only one, else the only one at the shallowest
    level (an article folder with notes in a subfolder)."""
    found = [safe_relative(n) for n in names if n.lower().endswith(MARKDOWN_SUFFIXES)]
    if not found:
        raise UploadError(415, "the zip holds no Markdown (.md) file")
    shallowest = min(len(path.parts) for path in found)
    top = [path for path in found if len(path.parts) == shallowest]
    if len(top) > 1:
        listed = ", ".join(sorted(str(path) for path in top))
        raise UploadError(400, f"the zip holds several Markdown files ({listed}): send one")
    return folder / top[0]


def is_markdown_name(name: str) -> bool:
    return name.lower().endswith(MARKDOWN_SUFFIXES)


_IMAGE_REFERENCE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)|\bsrc\s*=\s*[\"']([^\"']+)")


def image_places(markdown: str, name: str) -> list[PurePosixPath]:
    """Where the article looks for an image sent as ``name``: each relative reference whose
    last part is that name (``images/diagram.png`` for ``diagram.png``), else beside it."""
    places = []
    for match in _IMAGE_REFERENCE.finditer(markdown):
        reference = match.group(1) or match.group(2)
        if "://" in reference or reference.startswith(("/", "data:")):
            continue
        if PurePosixPath(reference).name == PurePosixPath(name).name:
            try:
                places.append(safe_relative(reference))
            except UploadError:
                continue  # the resolver warns about it at export, as for the command line
    return places or [safe_relative(PurePosixPath(name).name)]
