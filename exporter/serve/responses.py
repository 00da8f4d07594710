"""How outputs and errors go back to a client: errors as JSON with one line, files with
their media type and a download name, warnings in a header (percent-encoded UTF-8, one
warning per comma-separated item, since a header carries only ASCII safely)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from urllib.parse import quote

from starlette.background import BackgroundTask
from starlette.responses import FileResponse, JSONResponse

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "epub": "application/epub+zip",
    "html": "text/html; charset=utf-8",
    "zip": "application/zip",
    "png": "image/png",
}
WARNINGS_HEADER = "Exporter-Warnings"
WARNING_COUNT_HEADER = "Exporter-Warning-Count"


def error(status: int, line: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": line}, status_code=status, headers=headers)


def warning_headers(warnings: tuple[str, ...] | list[str]) -> dict[str, str]:
    headers = {WARNING_COUNT_HEADER: str(len(warnings))}
    if warnings:
        headers[WARNINGS_HEADER] = ", ".join(quote(line, safe="") for line in warnings)
    return headers


def disposition(name: str) -> str:
    """``attachment`` with the name as given (RFC 6266 and RFC 8187's ``filename*``), and
    an ASCII one for clients that read only ``filename``."""
    suffix = Path(name).suffix
    plain = name if name.isascii() and '"' not in name and "\\" not in name else f"export{suffix}"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def file_response(
    path: Path, warnings: tuple[str, ...] = (), cleanup: BackgroundTask | None = None
) -> FileResponse:
    media = MEDIA_TYPES.get(path.suffix.lstrip("."), "application/octet-stream")
    headers = {"Content-Disposition": disposition(path.name), **warning_headers(warnings)}
    return FileResponse(path, media_type=media, headers=headers, background=cleanup)


def zip_of(files: list[Path], target: Path) -> Path:
    """The outputs in one zip, each under its own name."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for path in files:
            archive.write(path, path.name)
    return target
