"""Files written only when their bytes change, through a temporary renamed into place
(``staging.py``), so a run that changes nothing leaves every file as it was, its time
and inode included."""

from __future__ import annotations

import contextlib
from pathlib import Path

from .. import staging


def same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def write_if_changed(path: Path, data: bytes) -> bool:
    """Put ``data`` at ``path`` unless it is there already; whether it was written."""
    if same_bytes(path, data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    part = staging.create_part(path)
    try:
        part.write_bytes(data)
        staging.put_in_place(part, path)
    finally:
        staging.release_part(part)
    return True


def remove_others(folder: Path, keep: set[str]) -> None:
    """Remove the files of ``folder`` not named in ``keep``: what the catalog no longer
    shows (an article gone from the folder, a page that is no more)."""
    if not folder.is_dir():
        return
    staging.remove_leftovers(folder)
    for path in folder.iterdir():
        if path.name not in keep and path.is_file() and not staging.is_part_name(path.name):
            with contextlib.suppress(OSError):
                path.unlink()
