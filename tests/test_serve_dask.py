"""``exporter serve --scheduler``: the jobs run on a Dask cluster (here one worker on
loopback, in this process's threads), the answers as from the local workers."""

from __future__ import annotations

import io
import zipfile

import httpx
import pytest

from tests.conftest import ARTICLE
from tests.servers import running_server


@pytest.mark.slow  # a Dask cluster started, and WeasyPrint loaded in this process
def test_jobs_on_a_dask_cluster() -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  protocol="tcp", host="127.0.0.1",
                                  dashboard_address=None) as cluster:  # fmt: skip
        address = cluster.scheduler_address
        with (
            running_server("--scheduler", address) as server,
            httpx.Client(base_url=server.url, timeout=120) as client,
        ):
            upload = {"file": ("article.md", ARTICLE.read_bytes())}
            response = client.post("/v1/exports", files=upload, data={"formats": "pdf,html"})
            assert response.status_code == 200, response.text
            with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
                assert sorted(archive.namelist()) == ["article.html", "article.pdf"]
                assert archive.read("article.pdf").startswith(b"%PDF-")
            bad = client.post("/v1/exports", files={"file": ("bad.md", b"\xfe\xff")})
            assert bad.status_code == 422
            assert bad.json()["error"].startswith("bad.md:1: not valid UTF-8")
            metrics = client.get("/metrics").text
            assert 'exporter_jobs_total{outcome="exported"} 1.0' in metrics
            # The cluster's worker (threads of this process) ran them, warmed up once.
            from exporter.serve.worker import warm_up

            assert warm_up.cache_info().misses == 1 and warm_up.cache_info().hits >= 1
