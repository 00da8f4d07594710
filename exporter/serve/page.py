"""The page at ``/``: an Arabic, right-to-left form for one article. Its strings are in
``templates/serve/labels.json``, its script and style are files of this server, and its
font the bundled Amiri: a strict Content-Security-Policy lets the browser load nothing
from anywhere else."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import jinja2
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response

from ..bundle import FONTS_DIR, TEMPLATES_DIR
from ..choices import PAPERS
from ..options import FORMATS
from ..pdf.proofs import render_pages

PAGE_DIR = TEMPLATES_DIR / "serve"
LANGUAGE = "ar"
# Everything from this server only; no inline script (the labels are data, not script);
# images from blobs, which the page makes from downloaded outputs.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; "
    "img-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
STATIC = {
    "page.js": (PAGE_DIR / "page.js", "text/javascript; charset=utf-8"),
    "page.css": (PAGE_DIR / "page.css", "text/css; charset=utf-8"),
    "Amiri-Regular.ttf": (FONTS_DIR / "Amiri-Regular.ttf", "font/ttf"),
}


@functools.cache
def _labels() -> dict[str, str]:
    table = json.loads((PAGE_DIR / "labels.json").read_text(encoding="utf-8"))
    return table[LANGUAGE]  # type: ignore[no-any-return]


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PAGE_DIR), autoescape=True, undefined=jinja2.StrictUndefined
    )
    return env.get_template("page.html.j2")


def render(token_required: bool) -> str:
    return _template().render(
        lang=LANGUAGE,
        dir="rtl",
        labels=_labels(),
        formats=FORMATS,
        papers=PAPERS,
        token_required=token_required,
    )


async def index(request: Request) -> Response:
    token_required = request.app.state.service.config.token is not None
    return HTMLResponse(render(token_required), headers=SECURITY_HEADERS)


async def static(request: Request) -> Response:
    found = STATIC.get(request.path_params["name"])
    if found is None:
        raise HTTPException(404, "no such file")
    path, media = found
    return FileResponse(path, media_type=media, headers=SECURITY_HEADERS)


async def no_icon(request: Request) -> Response:
    """No icon, said without an error in the browser's console."""
    return Response(status_code=204)


def first_page_png(pdf: Path, target: Path) -> None:
    """The PDF's first page as a PNG at ``target``."""
    for _, image in render_pages(pdf, "1", dpi=60):
        image.save(target)  # type: ignore[attr-defined]
