"""The URL fetcher given to WeasyPrint: it reads only what the exporter allows.

By default WeasyPrint reads any ``file:`` and ``http(s):`` URL. Ours serves the bundled
fonts and the article's own resolved assets, and data URIs; anything else is refused.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .bundle import FONTS_DIR
from .errors import ExportWarning

_MEDIA_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff2": "font/woff2"}


class SafeURLFetcher(URLFetcher):
    def __init__(self, allowed_files: Iterable[Path] = (), **kwargs: object):
        super().__init__(**kwargs)
        self._allowed = {path.resolve() for path in allowed_files}

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file" and not parts.netloc:
            path = Path(unquote(parts.path)).resolve()
            if path in self._allowed or path.is_relative_to(FONTS_DIR.resolve()):
                media_type = _MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
                return URLFetcherResponse(
                    url, body=path.read_bytes(), headers={"Content-Type": media_type}
                )
        # Not fatal: WeasyPrint leaves the resource out and goes on; the user is told.
        warnings.warn(
            ExportWarning(f"{url!r} is not a file in the article's folder: not used"), stacklevel=2
        )
        raise ValueError(f"refused to fetch {url}")
