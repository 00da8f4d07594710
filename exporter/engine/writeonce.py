"""pydyf turns each object into bytes once per PDF written, instead of twice.

``pydyf.PDF.write`` serialises every object to write it, then every object again to hash
them all for the second half of the file identifier, compressing the object stream (all
the file's dictionaries, at zlib's level 9) a second time. Nothing changes between the two
passes, so while a PDF is written each object keeps the bytes it was first turned into;
they are forgotten once it is written. The file is the same bytes
(``tests/test_speed_paths.py``).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

from .replacing import replaced

_KEPT = "_bytes_while_written"
# The objects that keep their bytes, for each thread writing a PDF (None: not writing).
_writing = threading.local()


@contextlib.contextmanager
def each_object_serialised_once() -> Iterator[None]:
    """Within the block, pydyf's ``data`` properties and ``PDF.write`` are replaced; after
    it, they are pydyf's own again."""
    import pydyf

    with contextlib.ExitStack() as stack:
        for kind in (pydyf.Dictionary, pydyf.Array, pydyf.Stream):
            stack.enter_context(replaced(kind, "data", property(_kept(kind.data.fget))))
        stack.enter_context(replaced(pydyf.PDF, "write", _writing_once(pydyf.PDF.write)))
        yield


def _writing_once(standard_write: Callable[..., Any]) -> Callable[..., Any]:
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
    return write


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
