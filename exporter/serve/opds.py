"""``exporter serve --library DIR``: the OPDS catalog that ``exporter build --catalog``
wrote in DIR (``distribute/``), served read-only. The root feed, ``catalog.xml`` (OPDS 1.2,
Atom), is at ``/opds``; its OPDS 2.0 twin, ``catalog.json``, at ``/opds/v2``; the files they
link to (the outputs, the covers, the other feeds) under ``/opds/``, by the same relative
paths as in DIR. The Atom feed gets ``xml:base="/opds/"`` on its root element (RFC 4287,
section 2), so that its relative links, written for DIR, resolve under ``/opds/`` even
though the feed itself is at ``/opds``; the JSON feed at ``/opds/v2`` resolves them there
already. Nothing outside DIR is served, nor any of its hidden files (the manifest, the
distribution's state), nor anything but a regular file."""

from __future__ import annotations

import os
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from ..distribute.files import ATOM_ACQUISITION, CATALOG_JSON, CATALOG_XML, MEDIA_TYPES, OPDS2

ATOM_FEED = "application/atom+xml;profile=opds-catalog"
_SUFFIX_TYPES = {
    ".xml": ATOM_FEED,
    ".json": OPDS2,
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    **{f".{fmt}": media for fmt, media in MEDIA_TYPES.items()},
}
_BASE = b' xml:base="/opds/"'


def opds_routes(library: Path) -> list[Route]:
    library = Path(os.path.realpath(library))

    async def root(request: Request) -> Response:
        data = _read(library, CATALOG_XML)
        start = data.find(b"<feed")
        if start >= 0:
            at = start + len(b"<feed")
            data = data[:at] + _BASE + data[at:]
        return Response(data, media_type=ATOM_ACQUISITION)

    async def twin(request: Request) -> Response:
        return Response(_read(library, CATALOG_JSON), media_type=OPDS2)

    async def linked(request: Request) -> Response:
        path = _inside(library, request.path_params["path"])
        media = _SUFFIX_TYPES.get(path.suffix.lower(), "application/octet-stream")
        return FileResponse(path, media_type=media)

    return [
        Route("/opds", root),
        Route("/opds/v2", twin),
        Route("/opds/{path:path}", linked),
    ]


def _inside(library: Path, relative: str) -> Path:
    """``relative`` in the library, a regular file that is not hidden; else 404."""
    parts = relative.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        raise HTTPException(404, "no such file in the library")
    path = Path(os.path.realpath(library.joinpath(*parts)))
    if library not in path.parents or not path.is_file():
        raise HTTPException(404, "no such file in the library")
    return path


def _read(library: Path, name: str) -> bytes:
    try:
        return (library / name).read_bytes()
    except OSError:
        raise HTTPException(
            404, f"the library has no {name}: export into it with exporter build --catalog"
        ) from None
