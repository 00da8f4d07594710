"""pydyf turns each object into bytes once per PDF written, instead of twice.

``pydyf.PDF.write`` serialises every object to write it, then every object again to hash
them all for the second half of the file identifier, compressing the object stream (all
the file's dictionaries, at zlib's level 9) a second time: more than a second for the
tagged 300-page book. Nothing changes between the two passes, so while a PDF is written
each object keeps the bytes it was first turned into; they are forgotten once it is
written. The file is the same bytes (``tests/test_speed_paths.py``).
"""

from __future__ import annotations

import threading
from typing import Any

_KEPT = "_bytes_while_written"
# The objects that keep their bytes, for each thread writing a PDF (None: not writing).
_writing = threading.local()


def install() -> None:
    """Replace pydyf's ``data`` properties and ``PDF.write``, once per process."""
    import pydyf

    if getattr(pydyf.PDF.write, "serialises_once", False):
        return
    for kind in (pydyf.Dictionary, pydyf.Array, pydyf.Stream):
        kind.data = property(_kept(kind.data.fget))
    standard_write = pydyf.PDF.write

    def write(pdf: Any, *args: Any, **kwargs: Any) -> Any:
        kept: list[Any] = []
        _writing.kept = kept
        try:
            return standard_write(pdf, *args, **kwargs)
        finally:
            _writing.kept = None
            for item in kept:
                del item.__dict__[_KEPT]

    write.serialises_once = True  # type: ignore[attr-defined]
    pydyf.PDF.write = write


def _kept(serialise: Any) -> Any:
    def data(item: Any) -> bytes:
        found = item.__dict__.get(_KEPT)
        if found is not None:
            return found  # type: ignore[no-any-return]
        made = serialise(item)
        kept = getattr(_writing, "kept", None)
        if kept is not None:
            item.__dict__[_KEPT] = made
            kept.append(item)
        return made  # type: ignore[no-any-return]

    return data
