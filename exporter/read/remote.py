"""Fetch an http(s) URL for an article that was allowed to name remote images
(``--allow-remote``), without letting it reach the machine's own network.

Every address the host resolves to must be a public one: not loopback, private,
link-local (cloud metadata services live at 169.254.169.254), shared or reserved. The
connection then goes to the address that was checked, not to a second lookup that could
answer differently (DNS rebinding). Redirects are followed a few times, each checked the
same way; the body is capped in bytes and the whole fetch in time. Proxies from the
environment are not used: they would reach hosts this check never saw.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

from ..errors import ResourceError

MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def public_address(host: str, port: int) -> str:
    """One address of ``host``, after checking that every address it has is public."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise ResourceError(f"names a host that cannot be found ({error})") from None
    addresses = [str(entry[4][0]).split("%", 1)[0] for entry in found]
    for address in addresses:
        if not is_public(address):
            raise ResourceError(f"names a host on a local or private network ({address})")
    return addresses[0]


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and (mapped := ip.ipv4_mapped or ip.sixtofour):
        ip = mapped
    return ip.is_global and not ip.is_multicast


class _PinnedHTTP(http.client.HTTPConnection):
    """A connection to a host name that goes to one already-checked address."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def fetch_remote(url: str, *, timeout: float, max_bytes: int) -> bytes:
    """The body of ``url`` (http or https only), or ``ResourceError`` saying why not."""
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        response = _get(url, deadline)
        try:
            if response.status in _REDIRECTS and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location", ""))
                continue
            if response.status != 200:
                raise ResourceError(f"answered HTTP {response.status} {response.reason}")
            return _read_capped(response, max_bytes, deadline)
        finally:
            response.close()
    raise ResourceError(f"redirects more than {MAX_REDIRECTS} times")


def _get(url: str, deadline: float) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"} or not parts.hostname:
        raise ResourceError(f"leads to {url!r}, which is not an http or https URL")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise ResourceError("names an invalid port") from None
    address = public_address(parts.hostname, port)
    kind = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    remaining = max(deadline - time.monotonic(), 0.1)
    connection = kind(parts.hostname, port, address, remaining)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("GET", target, headers={"Accept-Encoding": "identity"})
        return connection.getresponse()
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        raise ResourceError(f"could not be fetched ({error})") from None


def _read_capped(response: http.client.HTTPResponse, max_bytes: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := response.read(64 * 1024):
            size += len(chunk)
            if size > max_bytes:
                raise ResourceError(f"is larger than the limit of {max_bytes} bytes")
            if time.monotonic() > deadline:
                raise ResourceError("took too long to download")
            chunks.append(chunk)
    except (OSError, http.client.HTTPException) as error:
        raise ResourceError(f"could not be fetched ({error})") from None
    return b"".join(chunks)
