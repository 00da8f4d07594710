"""The HTTP API and the page: routes, and the guard every request passes first (the
token, the drain, the body's size)."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request as HttpRequest
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import ExportError
from . import page, responses
from .auth import CHALLENGES, authorized, is_open
from .formfields import request_options
from .intake import BodyTooLarge, form_fields, read_form, too_large, unpack
from .jobs import Job, remove_folder
from .openapi import openapi
from .service import Service
from .uploads import UploadError
from .worker import Request


class Guard:
    """Before any route: 401 without the token (when one is set), 503 while draining (but
    for collecting a job's results), 413 for a body past the limit, counted as it comes."""

    def __init__(self, app: ASGIApp, service: Service) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        limit = self.service.config.max_upload
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge
            return message

        await self.app(scope, counted, send)

    def _refusal(self, scope: Scope) -> Response | None:
        path, method = scope["path"], scope["method"]
        headers = dict(scope["headers"])
        token = self.service.config.token
        if token and not is_open(path):
            given = headers.get(b"authorization", b"").decode("latin-1")
            if not authorized(given, token):
                refusal = responses.error(401, "a bearer token is required")
                for challenge in CHALLENGES:
                    refusal.headers.append("WWW-Authenticate", challenge)
                return refusal
        collecting = method in ("GET", "HEAD") and path.startswith("/v1/jobs/")
        if self.service.draining and not collecting:
            return responses.error(503, "the server is shutting down: send it elsewhere")
        length = headers.get(b"content-length")
        if length and length.isdigit() and int(length) > self.service.config.max_upload:
            return responses.error(413, too_large(self.service))
        return None


def _service(request: HttpRequest) -> Service:
    return request.app.state.service  # type: ignore[no-any-return]


def _base(request: HttpRequest) -> str:
    return str(request.base_url).rstrip("/")


async def healthz(request: HttpRequest) -> Response:
    service = _service(request)
    if service.draining:
        return JSONResponse({"status": "draining"}, status_code=503)
    return JSONResponse({"status": "ok" if service.ready else "starting"})


async def metrics(request: HttpRequest) -> Response:
    service = _service(request)
    return Response(service.metrics.text(), media_type=service.metrics.content_type)


async def openapi_json(request: HttpRequest) -> Response:
    return JSONResponse(openapi())


async def create_export(request: HttpRequest) -> Response:
    service = _service(request)
    job = None
    try:
        if service.full():
            service.metrics.rejected.labels(status="429").inc()
            return responses.error(
                429, "the queue is full: try again in a moment", {"Retry-After": "5"}
            )
        form = await read_form(request, service)
        try:
            options = request_options(form_fields(form), service.config.options)
            upload = form.get("file")
            name = upload.filename if isinstance(upload, UploadFile) else None
            job = service.store.new(Path(name or "article.md").name, options.formats)
            source, size = await unpack(form, job, service, options.max_size)
        finally:
            await form.close()
    except ExportError as error:
        return _refused(service, job, 400, error.problem)
    except UploadError as error:
        return _refused(service, job, error.status, error.message)
    options = dataclasses.replace(options, out_dir=job.outputs)
    task = service.submit(job, Request(source, options))
    wants_async = "respond-async" in request.headers.get("prefer", "").lower()
    if wants_async or size > service.config.sync_limit:
        service.store.keep(job)
        location = f"/v1/jobs/{job.id}"
        return JSONResponse(
            job.describe(_base(request)), status_code=202, headers={"Location": location}
        )
    return await _answer_now(job, task)


def _refused(service: Service, job: Job | None, status: int, line: str) -> Response:
    if job is not None:
        remove_folder(job.folder)
    service.metrics.rejected.labels(status=str(status)).inc()
    return responses.error(status, line)


async def _answer_now(job: Job, task: asyncio.Task[None]) -> Response:
    """The job's outputs as the answer: the file, or a zip of several; or its error."""
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:  # the client left: the folder goes when the job ends
        task.add_done_callback(lambda _: remove_folder(job.folder))
        raise
    cleanup = BackgroundTask(remove_folder, job.folder)
    reply = job.reply
    if reply is None or not reply.ok:
        remove_folder(job.folder)
        return responses.error(job.status, reply.error if reply else "the job was lost")
    files = [job.outputs / name for name in reply.files]
    if len(files) == 1:
        return responses.file_response(files[0], reply.warnings, cleanup)
    stem = Path(job.source_name).stem
    packed = await asyncio.to_thread(responses.zip_of, files, job.folder / f"{stem}.zip")
    return responses.file_response(packed, reply.warnings, cleanup)


def _job(request: HttpRequest) -> Job:
    job = _service(request).store.get(request.path_params["job_id"])
    if job is None:
        raise HTTPException(404, "no such job: it was deleted, or it expired")
    return job


async def get_job(request: HttpRequest) -> Response:
    job = _job(request)
    reply = job.reply
    headers = responses.warning_headers(reply.warnings if reply else ())
    return JSONResponse(job.describe(_base(request)), headers=headers)


async def delete_job(request: HttpRequest) -> Response:
    job = _job(request)
    _service(request).store.delete(job)
    return Response(status_code=204)


async def get_file(request: HttpRequest) -> Response:
    job = _job(request)
    name = request.path_params["name"]
    if name not in job.files:
        raise HTTPException(404, f"job {job.id} has no file {name}")
    return responses.file_response(job.outputs / name, job.reply.warnings if job.reply else ())


async def get_preview(request: HttpRequest) -> Response:
    """The PDF's first page as a PNG (``pdf/proofs.py``), made once and kept with the job."""
    job = _job(request)
    pdfs = [name for name in job.files if name.endswith(".pdf")]
    if not pdfs:
        raise HTTPException(404, f"job {job.id} has no PDF to show")
    target = job.folder / "preview.png"
    if not target.exists():
        await asyncio.to_thread(page.first_page_png, job.outputs / pdfs[0], target)
    return Response(
        target.read_bytes(), media_type="image/png", headers={"Cache-Control": "no-store"}
    )


async def http_error(request: HttpRequest, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    return responses.error(error.status_code, str(error.detail), dict(error.headers or {}))


def routes() -> list[Route]:
    return [
        Route("/", page.index),
        Route("/static/{name}", page.static),
        Route("/favicon.ico", page.no_icon),
        Route("/healthz", healthz),
        Route("/metrics", metrics),
        Route("/openapi.json", openapi_json),
        Route("/v1/exports", create_export, methods=["POST"]),
        Route("/v1/jobs/{job_id}", get_job, methods=["GET"]),
        Route("/v1/jobs/{job_id}", delete_job, methods=["DELETE"]),
        Route("/v1/jobs/{job_id}/files/{name}", get_file),
        Route("/v1/jobs/{job_id}/preview.png", get_preview),
    ]


def make_app(service: Service, extra: list[Route] | None = None) -> ASGIApp:
    app = Starlette(
        routes=[*routes(), *(extra or [])], exception_handlers={HTTPException: http_error}
    )
    app.state.service = service
    return Guard(app, service)
