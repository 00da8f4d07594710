"""Safe resolution of every reference an article makes.

An article is untrusted: it may name only files whose real path (symlinks resolved) lies
inside its own folder. Everything else is refused with a warning naming the reference.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import ResourceError

IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}


def resolve_local(reference: str, folder: Path) -> Path:
    """The file a relative reference names inside ``folder``, or ``ResourceError``."""
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc:
        raise ResourceError(f"{reference!r} is not a file in the article's folder: not used")
    relative = unquote(parts.path)
    if not relative or relative.startswith(("/", "\\")) or Path(relative).is_absolute():
        raise ResourceError(f"{reference!r} is an absolute path: not used")
    root = folder.resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root):
        raise ResourceError(f"{reference!r} lies outside the article's folder: not used")
    if not target.is_file():
        raise ResourceError(f"{reference!r} was not found beside the article")
    return target


def media_type_of(path: Path) -> str:
    return IMAGE_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or ""
