"""What both catalog formats share: relative addresses, feed ids, dates."""

from __future__ import annotations

import posixpath
import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .feeds import Feed


def relative(target: str, feed: Feed) -> str:
    """``target`` (a path below the output folder) as seen from ``feed``'s file."""
    return posixpath.relpath(target, posixpath.dirname(feed.stem) or ".")


def absolute(base_url: str, target: str) -> str:
    """``target`` (a path below the output folder) at the address the folder is served at:
    a manifest's ``self`` link must be absolute (RWPM, "Links")."""
    return f"{base_url.rstrip('/')}/{target}"


def feed_id(catalog_id: str, stem: str) -> str:
    """A feed's permanent id: derived from the folder's catalog id and the feed's path."""
    base = uuid.UUID(catalog_id.removeprefix("urn:uuid:"))
    return f"urn:uuid:{uuid.uuid5(base, stem)}"


def published(date: str | None) -> str | None:
    """An article's date (``YYYY-MM-DD``) as an RFC 3339 time, at midnight UTC."""
    return f"{date}T00:00:00Z" if date else None
