"""One name of a module or class replaced within a block, and put back as it was."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

_ABSENT = object()


@contextlib.contextmanager
def replaced(owner: object, name: str, new: object) -> Iterator[None]:
    """Within the block, ``owner.name`` is ``new``; after it, even on an exception, it is
    the very object it was before.

    Looked up in the owner's own ``__dict__``: a name a class only inherits is deleted
    again rather than pinned on the class, so the owner ends up exactly as it was."""
    own = vars(owner).get(name, _ABSENT)
    setattr(owner, name, new)
    try:
        yield
    finally:
        if own is _ABSENT:
            delattr(owner, name)
        else:
            setattr(owner, name, own)
