"""Jobs handed to a Dask cluster (``exporter serve --scheduler``), the one that ``exporter
build --scheduler`` uses: each Dask worker process warms up once, on its first job
(``worker.remote_request``), and keeps WeasyPrint loaded for the next ones. The jobs'
folders (``--root``) must be on storage the workers share, at the same path, as for
``exporter build``. Dask queues and places the jobs; this server keeps none of its own
beyond the bound on jobs waiting.

Dask runs a job in a worker thread, where the time limit cannot stop it (``deadline.py``):
the server stops waiting after the job's time limit and a grace, answers 504, and cancels
the task.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from ..errors import RunError
from .worker import Reply, Request, remote_request

if TYPE_CHECKING:
    from distributed import Client

_GRACE_SECONDS = 10.0


class DaskRunner:
    def __init__(self, client: Client) -> None:
        self.client = client

    @classmethod
    async def connect(cls, address: str) -> DaskRunner:
        try:
            from distributed import Client
        except ImportError:
            raise RunError("--scheduler needs Dask: pip install 'arabic-exporter[dask]'") from None

        def connect() -> Client:
            try:
                return Client(address, timeout=30)
            except (OSError, TimeoutError, ValueError) as error:
                raise RunError(f"cannot reach the Dask scheduler at {address}: {error}") from None

        return cls(await asyncio.to_thread(connect))

    async def run(self, request: Request) -> Reply:
        future = self.client.submit(remote_request, request, pure=False)
        timeout = request.options.timeout + _GRACE_SECONDS if request.options.timeout else None
        try:
            reply = await asyncio.to_thread(future.result, timeout)
        except TimeoutError:
            future.cancel()
            return Reply(ok=False, kind="timeout")
        except Exception as error:  # the workers that took it died: KilledWorker
            kind = "crash" if type(error).__name__ == "KilledWorker" else "internal"
            return Reply(ok=False, kind=kind)
        return reply  # type: ignore[no-any-return]

    async def close(self) -> None:
        await asyncio.to_thread(self.client.close)
