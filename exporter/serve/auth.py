"""Who may call the service. On a loopback address only this machine can reach it, and
no token is asked for; bound to any other address, every request but ``/healthz`` needs
``Authorization: Bearer <token>`` (or Basic, the token as the password), the token read
from ``--token-file`` or the ``EXPORTER_TOKEN`` environment variable, compared in constant
time. The page too: a browser that opens it is answered with a Basic challenge as well as
the Bearer one, asks its user for the token once (any user name) and sends it with every
request to the server after that, the page's own calls included (RFC 7617, 2.2)."""

from __future__ import annotations

import base64
import hmac
import ipaddress
import os
import socket
from pathlib import Path

from ..errors import RunError

TOKEN_VARIABLE = "EXPORTER_TOKEN"
# The one path any client may ask for: the load balancer's health check.
OPEN_PATHS = ("/healthz",)
# The challenges of a refusal, one header line each (a browser reads one challenge a line):
# Bearer for API clients (RFC 6750, 3), Basic for a browser to ask its user (RFC 7617).
CHALLENGES = ('Bearer realm="exporter"', 'Basic realm="exporter", charset="UTF-8"')


def is_loopback(host: str) -> bool:
    """Whether every address ``host`` stands for is a loopback one."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(i[4][0]).is_loopback for i in infos)


def load_token(host: str, token_file: Path | None) -> str | None:
    """The token the server asks for, or None on loopback without one. Bound elsewhere
    without a token, the server does not start."""
    token = None
    if token_file is not None:
        try:
            token = token_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            raise RunError(f"cannot read the token file {token_file}: {error}") from None
    elif os.environ.get(TOKEN_VARIABLE):
        token = os.environ[TOKEN_VARIABLE].strip()
    if token is not None and len(token) < 16:
        raise RunError("the token is too short: use at least 16 characters")
    if token is None and not is_loopback(host):
        raise RunError(
            f"bound to {host}, the server needs a token: --token-file FILE or {TOKEN_VARIABLE}"
        )
    return token


def authorized(header: str | None, token: str) -> bool:
    """``Bearer <token>``; or HTTP Basic with the token as the password (any user name),
    which is what OPDS readers and browsers' address bars can send (RFC 7617)."""
    scheme, _, given = (header or "").partition(" ")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(given.strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return False
        given = decoded.partition(":")[2]
    elif scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


def is_open(path: str) -> bool:
    return path in OPEN_PATHS
