"""``exporter serve``: the service on uvicorn, bound before it starts (``--port 0`` picks a
free port, printed on stdout once the workers are warm), and drained on SIGTERM or SIGINT:
new requests get 503 while the jobs under way finish, then the server exits with status
0. A second signal ends it at once."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..errors import RunError
from .config import ServeConfig

if TYPE_CHECKING:
    from .service import Service

NEEDED = ("starlette", "uvicorn", "multipart", "prometheus_client")
INSTALL = "exporter serve needs the serve extra: pip install 'arabic-exporter[serve]'"


def check_installed(modules: tuple[str, ...] = NEEDED, line: str = INSTALL) -> None:
    import importlib.util

    if any(importlib.util.find_spec(name) is None for name in modules):
        raise RunError(line)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise RunError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    sock.listen(2048)
    sock.setblocking(False)
    return sock


def run_serve(config: ServeConfig, stdout: TextIO) -> int:
    check_installed()
    sock = _bind(config.host, config.port)
    # Absolute: a Dask worker elsewhere gets the jobs' paths as they are (remote.py).
    root = Path(os.path.abspath(config.root or tempfile.mkdtemp(prefix="exporter-serve-")))
    spool = root / "spool"
    spool.mkdir(parents=True, exist_ok=True)
    # Uploads larger than a megabyte are spooled to disk by the form parser: in the
    # server's own folder, removed with it, never elsewhere.
    tempfile.tempdir = str(spool)
    try:
        asyncio.run(_main(config, root, sock, stdout))
    finally:
        sock.close()
        shutil.rmtree(spool, ignore_errors=True)
        shutil.rmtree(root / "jobs", ignore_errors=True)
        if config.root is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


async def _main(config: ServeConfig, root: Path, sock: socket.socket, stdout: TextIO) -> None:
    import uvicorn

    from .app import make_app
    from .service import Service

    service = Service(config, root)
    await service.start()
    try:
        routes = []
        if config.library is not None:
            from .opds import opds_routes

            routes = opds_routes(config.library)
        app = make_app(service, routes)
        uv_config = uvicorn.Config(
            app, lifespan="off", log_level="warning", access_log=False, timeout_graceful_shutdown=30
        )
        host, port = sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        stdout.write(f"exporter: serving on http://{shown}:{port}/ with root {root}\n")
        stdout.flush()
        await _draining_server(uv_config, service).serve(sockets=[sock])  # type: ignore[attr-defined]
    finally:
        await service.close()


def _draining_server(config: object, service: Service) -> object:
    """A uvicorn server whose first signal starts a drain instead of closing the socket
    (a load balancer then sees 503 and sends the work elsewhere), and that stops once no
    job is left."""
    import uvicorn

    class DrainingServer(uvicorn.Server):
        def handle_exit(self, sig: int, frame: object) -> None:
            # The signal is not kept to be raised again at the end, as uvicorn does: a
            # drained server exits 0.
            if service.draining:
                self.force_exit = self.should_exit = True
            service.draining = True

        async def on_tick(self, counter: int) -> bool:
            if service.draining and service.idle():
                self.should_exit = True
            return await super().on_tick(counter)

    return DrainingServer(config)  # type: ignore[arg-type]
