"""What each catalog entry and each bag was made from, kept beside the outputs
(``files.STATE_NAME``), so that an unchanged article keeps its entry's ``updated`` time
and its bag is not made again."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .files import STATE_NAME

STATE_VERSION = 1
# The namespace of the catalog's feed identifiers (RFC 4122 version 5).
FEED_NAMESPACE = uuid.UUID("0b8f5a52-3c1e-5d7a-9f64-2e61c7a4d3b9")


@dataclass
class State:
    feed_id: str  # a urn:uuid, made once per folder and kept
    created: str = ""  # RFC 3339: when the catalog was first written, the time of an empty one
    entries: dict[str, dict[str, str]] = field(default_factory=dict)  # input -> digest, updated
    bags: dict[str, dict[str, str]] = field(default_factory=dict)  # input -> key, digest

    def to_bytes(self) -> bytes:
        data = {
            "version": STATE_VERSION,
            "feed_id": self.feed_id,
            "created": self.created,
            "entries": self.entries,
            "bags": self.bags,
        }
        return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()


def load_state(out_dir: Path) -> State:
    """The folder's state; a fresh one when there is none or it is not what this module
    writes (its entries then get the time of this run, its bags are made again)."""
    fresh = State(feed_id=f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, str(out_dir.resolve()))}")
    try:
        data = json.loads((out_dir / STATE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return fresh
    if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
        return fresh
    entries, bags, feed_id = data.get("entries"), data.get("bags"), data.get("feed_id")
    created = data.get("created")
    if not (isinstance(entries, dict) and isinstance(bags, dict) and isinstance(feed_id, str)):
        return fresh
    created = created if isinstance(created, str) else ""
    return State(feed_id, created, _string_maps(entries), _string_maps(bags))


def _string_maps(data: dict[str, object]) -> dict[str, dict[str, str]]:
    return {
        name: value
        for name, value in data.items()
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    }
