"""The one resolver for every reference an article makes.

An article is untrusted. Every image it names, from Markdown or from raw HTML, goes
through ``Resolver.image`` once, at parse time: only files whose real path (symlinks
resolved) lies inside the article's folder, or, with ``--allow-remote``, public http(s)
URLs. The bytes are read once, their type sniffed, their pixels counted from the header
and SVG sanitised; the resulting ``Asset`` is what the PDF fetcher, the EPUB and the HTML
all embed, so an image reaches every output or none. A refused reference is a warning
that names it, and the export goes on without it.
"""

from __future__ import annotations

import os
import stat
import warnings
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from ..errors import ExportWarning, ResourceError
from ..fragment import replace_with_text
from ..model import Asset, Source
from ..options import Options
from .images import check_pixels, sniff_media_type
from .svg import sanitize_svg

REMOTE_SCHEMES = frozenset({"http", "https"})
# A remote image gets at most this long, whatever --timeout leaves for the whole export.
REMOTE_TIMEOUT = 20.0


def resolve_local(reference: str, folder: Path) -> Path:
    """The file a relative reference names inside ``folder``, or ``ResourceError``."""
    parts = urlsplit(reference)
    if parts.scheme and parts.scheme.lower() in REMOTE_SCHEMES:
        raise ResourceError("is a remote URL, not fetched without --allow-remote")
    if parts.scheme or parts.netloc:
        raise ResourceError("is not a file in the article's folder")
    relative = unquote(parts.path)
    if not relative.strip():
        raise ResourceError("is empty")
    if relative.startswith(("/", "\\")) or Path(relative).is_absolute():
        raise ResourceError("is an absolute path, and only files beside the article are used")
    root = folder.resolve()
    try:
        target = (root / relative).resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte, a long name
        raise ResourceError("cannot be resolved to a file") from None
    if not target.is_relative_to(root):
        raise ResourceError("lies outside the article's folder")
    if not target.is_file():
        raise ResourceError("was not found beside the article")
    return target


def read_capped(path: Path, max_bytes: int) -> bytes:
    """A regular file's bytes. No symlink is followed (the path is already resolved, so
    one found here was swapped in) and nothing blocks: a FIFO is refused, not read."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        raise ResourceError(f"cannot be read ({error.strerror})") from None
    with os.fdopen(handle, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ResourceError("is not a regular file")
        if info.st_size > max_bytes:
            raise ResourceError(f"is {info.st_size} bytes, over the limit of {max_bytes}")
        return file.read(max_bytes + 1)[:max_bytes]


def checked_image(reference: str, path: Path | None, data: bytes, max_pixels: int) -> Asset:
    """An ``Asset`` from bytes that must be an image we embed and within the pixel limit."""
    media_type = sniff_media_type(data)
    if media_type is None:
        raise ResourceError("is not a PNG, JPEG, GIF, WebP or SVG image")
    if media_type == "image/svg+xml":
        data = sanitize_svg(data)
    else:
        check_pixels(data, media_type, max_pixels)
    return Asset(reference=reference, path=path, media_type=media_type, data=data)


class Resolver:
    """Resolves and loads each image reference of one article once; remembers refusals so
    each refused reference is reported once."""

    def __init__(self, source: Source, options: Options):
        self.source = source
        self.options = options
        self._assets: dict[str, Asset] = {}
        self._refused: set[str] = set()

    @property
    def assets(self) -> tuple[Asset, ...]:
        return tuple(self._assets.values())

    def image(self, reference: str) -> Asset | None:
        """The checked image ``reference`` names, or None after a warning naming it."""
        if reference in self._assets:
            return self._assets[reference]
        if reference in self._refused:
            return None
        try:
            asset = self._load(reference)
        except ResourceError as refused:
            self._refused.add(reference)
            self.refuse(f"image {reference!r} {refused.problem}", reference)
            return None
        self._assets[reference] = asset
        return asset

    def refuse(self, problem: str, written: str) -> None:
        """Warn that something was left out; ``written`` locates it in the source."""
        warnings.warn(
            ExportWarning(
                f"{problem}: left out", path=self.source.path, line=self._line_of(written)
            ),
            stacklevel=3,
        )

    def _load(self, reference: str) -> Asset:
        scheme = urlsplit(reference).scheme.lower()
        if scheme in REMOTE_SCHEMES and self.options.allow_remote:
            from .remote import fetch_remote  # here: sockets and TLS only for --allow-remote

            data = fetch_remote(reference, timeout=REMOTE_TIMEOUT, max_bytes=self.options.max_size)
            return checked_image(reference, None, data, self.options.max_pixels)
        path = resolve_local(reference, self.source.folder)
        data = read_capped(path, self.options.max_size)
        return checked_image(reference, path, data, self.options.max_pixels)

    def _line_of(self, reference: str) -> int | None:
        body = self.source.body
        at = body.find(reference) if reference else -1
        return None if at < 0 else self.source.body_first_line + body.count("\n", 0, at)


def resolve_images(fragment: etree._Element, resolver: Resolver) -> None:
    """Every ``<img>`` of a parsed, sanitised fragment through the resolver; a refused one
    becomes its alt text, so no output keeps a reference the others left out."""
    for image in list(fragment.iter("img")):
        reference = image.get("src", "")
        if reference and resolver.image(reference) is not None:
            continue
        alt = image.get("alt", "")
        if not reference:
            # nh3 removed a javascript:, data: or file: URL: say so, as for any refusal.
            resolver.refuse(
                f"image {alt!r} has a URL that is not allowed "
                "(only files beside the article, or http and https)",
                alt,
            )
        replace_with_text(image, alt)


def media_type_of(path: Path) -> str:
    """The media type an image file's bytes declare (empty when it is no image)."""
    return sniff_media_type(path.read_bytes()) or ""
