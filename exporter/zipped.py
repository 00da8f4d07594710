"""Reproducible zip files: every entry stamped with one given time, in the order given.

The EPUB (``epub/repack.py``) and the zipped BagIt bags (``distribute/bag.py``) are written
here, so that the same members give the same bytes on every run and every machine: no
wall-clock time, no file system order, no owner or mode taken from the disk.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable
from typing import BinaryIO


def zip_stamp(timestamp: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """A zip entry's date and time: the day of ``timestamp`` at midnight, no earlier than
    1980, the first year a zip can record."""
    return (max(timestamp.year, 1980), timestamp.month, timestamp.day, 0, 0, 0)


def write_zip(
    target: BinaryIO,
    members: Iterable[tuple[str, bytes]],
    *,
    timestamp: dt.datetime,
    stored: frozenset[str] = frozenset(),
) -> None:
    """Write ``members`` (name, bytes), in this order, each stamped with ``timestamp`` and
    readable by all; the names in ``stored`` uncompressed, the others deflated at level 9."""
    stamp = zip_stamp(timestamp)
    with zipfile.ZipFile(target, "w") as package:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            keep = name in stored
            info.compress_type = zipfile.ZIP_STORED if keep else zipfile.ZIP_DEFLATED
            package.writestr(info, data, compresslevel=None if keep else 9)
