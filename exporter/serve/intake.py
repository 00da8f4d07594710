"""A request's form read into a job: the body counted against the limit as it comes, the
options' fields, and the upload written into the job's ``in/`` folder (``uploads.py``
checks every name; a zip is unpacked there)."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request as HttpRequest

from .jobs import Job
from .service import Service
from .uploads import ZIP_MAGIC, UploadError, UploadLimits, image_places, is_markdown_name
from .uploads import unpack_zip as _unpack_zip

_COPY_CHUNK = 1 << 16


class BodyTooLarge(Exception):
    """The body went past ``--max-upload`` while it was read (``app.Guard`` counts it)."""


def too_large(service: Service) -> str:
    return f"the request is larger than {service.config.max_upload} bytes"


async def read_form(request: HttpRequest, service: Service) -> FormData:
    kind = request.headers.get("content-type", "")
    if not kind.startswith("multipart/form-data"):
        raise UploadError(415, "send a multipart/form-data form with the article in 'file'")
    try:
        return await request.form(
            max_files=service.config.max_files + 1,
            max_fields=100,
            max_part_size=64 * 1024,
        )
    except BodyTooLarge:
        raise UploadError(413, too_large(service)) from None
    except HTTPException as error:  # the multipart parser's limits
        status = 413 if "maximum" in str(error.detail) or "Too many" in str(error.detail) else 400
        raise UploadError(status, f"the form was refused: {error.detail}") from None


def form_fields(form: FormData) -> dict[str, str]:
    fields: dict[str, str] = {}
    for name, value in form.multi_items():
        if isinstance(value, str):
            if name in fields:
                raise UploadError(400, f"option {name} is given twice")
            fields[name] = value
    return fields


async def _save(upload: UploadFile, target: Path, limit: int) -> int:
    """Copy an uploaded file to ``target``, refusing one larger than ``limit``."""
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "xb") as out:
        while chunk := await upload.read(_COPY_CHUNK):
            size += len(chunk)
            if size > limit:
                raise UploadError(413, f"{upload.filename} is larger than {limit} bytes")
            out.write(chunk)
    return size


async def unpack(form: FormData, job: Job, service: Service, max_size: int) -> tuple[Path, int]:
    """The upload in the job's ``in/`` folder: the Markdown file to export, and its size."""
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise UploadError(400, "send the article as a file in the form field 'file'")
    images = [item for item in form.getlist("images") if isinstance(item, UploadFile)]
    limits = UploadLimits(service.config.max_files, service.config.max_unpacked)
    head = await upload.read(4)
    await upload.seek(0)
    if head == ZIP_MAGIC or upload.filename.lower().endswith(".zip"):
        if images:
            raise UploadError(400, "send the images inside the zip, not beside it")
        packed = job.folder / "upload.zip"
        size = await _save(upload, packed, service.config.max_upload)
        try:
            source = await asyncio.to_thread(_unpack_zip, packed, job.inputs, limits)
        finally:
            packed.unlink(missing_ok=True)
        return source, size
    if not is_markdown_name(upload.filename):
        raise UploadError(415, f"{upload.filename} is not Markdown: send a .md file or a .zip")
    if len(images) > limits.max_files:
        raise UploadError(413, f"{len(images)} images, over {limits.max_files}")
    name = Path(upload.filename).name
    source = job.inputs / name
    size = await _save(upload, source, max_size)
    text = source.read_text(encoding="utf-8", errors="replace")
    for image in images:
        for place in image_places(text, image.filename or ""):
            await image.seek(0)
            with contextlib.suppress(FileExistsError):
                await _save(image, job.inputs / place, max_size)
    return source, size
