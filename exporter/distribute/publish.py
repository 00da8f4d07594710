"""The distribution's steps, run after the exports under the output folder's lock: the
catalog (``write_catalog``) and the bags (``write_bags``)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .. import staging
from ..manifest import Record, read_records
from ..options import Options
from .bag import (
    BagProblem,
    BagSettings,
    bag_digest,
    bag_key,
    bag_path,
    make_bag,
    remove_unfinished,
)
from .catalog import gather, rfc3339
from .feeds import plan
from .files import COVERS_DIR, FEEDS_DIR, STATE_NAME, catalog_paths
from .opds1 import atom_feed
from .opds2 import json_feed
from .state import State, load_state
from .writing import remove_others, write_if_changed

__all__ = ["Distributed", "catalog_paths", "distribute", "write_bags", "write_catalog"]


@dataclass
class Distributed:
    """What a distribution step wrote, and the problems it met (one line each)."""

    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def now() -> dt.datetime:
    """The time given to new and changed catalog entries: SOURCE_DATE_EPOCH when set (the
    reproducible-builds convention), else the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)


def distribute(out_dir: Path, options: Options) -> Distributed:
    """The catalog and the bags the options ask for, of every article in ``out_dir``."""
    done = Distributed()
    if options.catalog:
        done.written += write_catalog(out_dir, base_url=options.catalog_url)
    if options.bag is not None:
        settings = BagSettings(
            kind=options.bag,
            source_organization=options.source_organization,
            contact_name=options.contact_name,
            contact_email=options.contact_email,
            bagging_date=dt.date.today().isoformat() if options.bagging_date else None,
            agent=_agent(),
        )
        bags = write_bags(out_dir, settings)
        done.written += bags.written
        done.warnings += bags.warnings
    return done


def _records(out_dir: Path) -> Mapping[str, Record]:
    records, _ = read_records(out_dir)  # a damaged manifest: the run has said so
    return records


def write_catalog(
    out_dir: Path, *, base_url: str | None = None, moment: dt.datetime | None = None
) -> list[Path]:
    """Write the OPDS catalog of ``out_dir`` (``catalog_paths`` are its root files, the
    other feeds under ``opds/``, covers under ``covers/``); the files that changed.
    ``base_url``: the address the folder is served at (default its ``file:`` URL), for
    the feeds' ``self`` links; every other link is relative."""
    base_url = base_url or out_dir.resolve().as_uri()
    with staging.folder_lock(out_dir):
        state = load_state(out_dir)
        entries, written = gather(out_dir, _records(out_dir), state, moment or now())
        state.created = state.created or rfc3339(moment or now())
        feeds = plan(entries, state.created)
        root = feeds[0]
        kept: set[str] = set()
        for feed in feeds:
            for suffix, data in ((".xml", atom_feed(feed, state.feed_id, root, base_url)),
                                 (".json", json_feed(feed, root, base_url))):  # fmt: skip
                path = out_dir / f"{feed.stem}{suffix}"
                kept.add(path.name)
                if write_if_changed(path, data):
                    written.append(path)
        remove_others(out_dir / FEEDS_DIR, kept)
        covers = {Path(link.href).name for e in entries for link in (e.image, e.thumbnail) if link}
        remove_others(out_dir / COVERS_DIR, covers)
        _save(out_dir, state)
    return written


def write_bags(out_dir: Path, settings: BagSettings) -> Distributed:
    """Make the bag of every article of ``out_dir`` whose bag is missing or out of date."""
    done = Distributed()
    with staging.folder_lock(out_dir):
        remove_unfinished(out_dir)
        state = load_state(out_dir)
        records = _records(out_dir)
        # An article no longer in the manifest: its bag stays, but is no longer followed.
        state.bags = {name: known for name, known in state.bags.items() if name in records}
        for name, record in sorted(records.items()):
            if not record.about or not record.outputs:
                continue
            key = bag_key(record, settings)
            known = state.bags.get(name, {})
            path = bag_path(out_dir, record, settings.kind)
            if known.get("key") == key and bag_digest(path, settings.kind) == known.get("digest"):
                continue
            try:
                path = make_bag(out_dir, name, record, settings)
            except BagProblem as problem:
                done.warnings.append(f"{name}: no bag written: {problem}")
                continue
            state.bags[name] = {"key": key, "digest": bag_digest(path, settings.kind) or ""}
            done.written.append(path)
        _save(out_dir, state)
    return done


def _save(out_dir: Path, state: State) -> None:
    write_if_changed(out_dir / STATE_NAME, state.to_bytes())


def _agent() -> str:
    """Bag-Software-Agent: this exporter and its version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"exporter {version('arabic-exporter')}"
    except PackageNotFoundError:
        return "exporter"
