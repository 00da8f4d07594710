"""The URL fetcher given to WeasyPrint: it serves what the resolver accepted, and nothing
else.

By default WeasyPrint 70 reads any ``file:`` and ``http(s):`` URL, and embeds the target
of ``<a rel="attachment">``. Ours serves the article's checked images from memory (the
bytes ``read.resolver.Resolver`` read and sanitised, the same the EPUB and the HTML embed),
the bundled fonts and templates, and ``data:`` URIs that are not documents. Anything else
is refused with a warning naming it; WeasyPrint then leaves it out and goes on. It never
opens a connection: remote images were fetched, if allowed, by the resolver.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..bundle import FONTS_DIR, TEMPLATES_DIR
from ..engine.libraries import load_weasyprint
from ..errors import ExportWarning
from ..model import Asset
from .printhtml import asset_urls

load_weasyprint()
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402  (loaded just above)

_BUNDLED_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff2": "font/woff2",
                  ".woff": "font/woff", ".css": "text/css"}  # fmt: skip
_BUNDLED_DIRS = (FONTS_DIR.resolve(), TEMPLATES_DIR.resolve())


class SafeURLFetcher(URLFetcher):
    def __init__(self, assets: Iterable[Asset] = (), **kwargs: object):
        # The parent may open data: URIs only (it handles their decoding), never follow
        # a redirect: a second line of defence behind fetch() below.
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, **kwargs)
        assets = tuple(assets)
        self._assets: Mapping[str, Asset] = {
            url: asset for asset, url in zip(assets, asset_urls(assets).values(), strict=True)
        }

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if (asset := self._assets.get(url)) is not None:
            return URLFetcherResponse(
                url, body=asset.data, headers={"Content-Type": asset.media_type}
            )
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data" and not _is_document(parts.path):
            return super().fetch(url, headers)
        if scheme == "file" and not parts.netloc and (path := _bundled(parts.path)):
            media_type = _BUNDLED_TYPES.get(path.suffix.lower(), "application/octet-stream")
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": media_type}
            )
        shown = url if len(url) < 200 else url[:200] + "…"
        warnings.warn(ExportWarning(f"{shown!r} is not a resource the article may use: left out"),
                      stacklevel=2)  # fmt: skip
        raise ValueError(f"refused to fetch {shown}")


def _is_document(data_path: str) -> bool:
    media_type = data_path.split(",", 1)[0].split(";", 1)[0].strip().lower()
    return media_type in {"text/html", "application/xhtml+xml", "image/svg+xml", "text/xml"}


def _bundled(url_path: str) -> Path | None:
    path = Path(unquote(url_path)).resolve()
    return path if any(path.is_relative_to(root) for root in _BUNDLED_DIRS) else None
