"""The API's OpenAPI 3.1 description, its form fields taken from the options table."""

from __future__ import annotations

import functools
from dataclasses import MISSING, Field

from .formfields import CLIENT_FIELDS

_ERROR = {"$ref": "#/components/schemas/Error"}


def _schema(spec: Field[object]) -> dict[str, object]:
    kind = str(spec.type)
    schema: dict[str, object] = {"description": spec.metadata.get("help", "")}
    if kind.startswith("bool"):
        schema["type"] = "boolean"
    elif kind == "int":
        schema["type"] = "integer"
    else:
        schema["type"] = "string"
    default = spec.default if spec.default is not MISSING else None
    if isinstance(default, tuple):
        default = ",".join(default)
    if default is not None:
        schema["default"] = default
    return schema


def _errors(*statuses: int) -> dict[str, object]:
    return {
        str(status): {
            "description": "one line saying what is wrong",
            "content": {"application/json": {"schema": _ERROR}},
        }
        for status in statuses
    }


def _form() -> dict[str, object]:
    properties: dict[str, object] = {
        "file": {
            "type": "string",
            "format": "binary",
            "description": "the Markdown file, or one .zip of an article folder",
        },
        "images": {
            "type": "array",
            "items": {"type": "string", "format": "binary"},
            "description": "the images the Markdown file names",
        },
    }
    properties.update({spec.name: _schema(spec) for spec in CLIENT_FIELDS})
    return {"type": "object", "required": ["file"], "properties": properties}


def _job_path(summary: str, responses: dict[str, object]) -> dict[str, object]:
    return {"summary": summary, "responses": responses}


@functools.cache
def openapi() -> dict[str, object]:
    job_param = {"name": "job_id", "in": "path", "required": True, "schema": {"type": "string"}}
    file_param = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
    job_ok = {
        "200": {
            "description": "the job",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Job"}}},
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "exporter", "version": "1"},
        "paths": {
            "/v1/exports": {
                "post": {
                    "summary": "Export an article: the file (one format) or a zip (several) at "
                    "once, or 202 and a job with `Prefer: respond-async` or a large upload",
                    "requestBody": {
                        "required": True,
                        "content": {"multipart/form-data": {"schema": _form()}},
                    },
                    "responses": {
                        "200": {
                            "description": "the output, or a zip of the outputs; warnings in "
                            "the Exporter-Warnings header, percent-encoded, comma-separated"
                        },
                        "202": {"description": "the job, at the Location header"},
                        **_errors(400, 401, 413, 415, 422, 429, 500, 503, 504),
                    },
                }
            },
            "/v1/jobs/{job_id}": {
                "parameters": [job_param],
                "get": _job_path(
                    "A job's state, warnings, error and files", {**job_ok, **_errors(404)}
                ),
                "delete": _job_path(
                    "Remove a job and its files",
                    {"204": {"description": "removed"}, **_errors(404)},
                ),
            },
            "/v1/jobs/{job_id}/files/{name}": {
                "parameters": [job_param, file_param],
                "get": _job_path(
                    "One output of a job", {"200": {"description": "the file"}, **_errors(404)}
                ),
            },
            "/v1/jobs/{job_id}/preview.png": {
                "parameters": [job_param],
                "get": _job_path(
                    "The first page of the job's PDF as a PNG",
                    {"200": {"description": "image/png"}, **_errors(404)},
                ),
            },
            "/healthz": {
                "get": _job_path(
                    "Whether the server takes jobs",
                    {"200": {"description": "ok"}, "503": {"description": "draining"}},
                )
            },
            "/metrics": {"get": _job_path("Prometheus metrics", {"200": {"description": "text"}})},
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string"}},
                },
                "Job": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "state": {"enum": ["queued", "running", "done", "failed"]},
                        "warnings": {"type": "array", "items": {"type": "string"}},
                        "error": {"type": ["string", "null"]},
                        "files": {"type": "array", "items": {"type": "object"}},
                    },
                },
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
