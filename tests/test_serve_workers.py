"""``exporter serve``'s workers under trouble, for real: a job past its time limit, a
worker killed while it exports, one past the memory ceiling, a full queue, SIGTERM in
the middle of a job, and the token asked for off loopback. Each job that fails gets an
error and no file, the worker is replaced, and the server goes on serving."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from functools import cache

import httpx
import pypdfium2
import pytest

from tests.longdoc import long_document
from tests.servers import EXPORTER, ROOT, RunningServer, client_of, serving, start_server

SMALL = "---\ntitle: قصير\n---\n\nنص قصير.\n".encode()
CEILING_MIB = 165  # a warm worker takes about 100 MiB, a 30-page PDF 130, a 120-page one more


@cache
def long_article(chapters: int) -> bytes:
    return long_document(chapters=chapters).encode()


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    yield from serving("--workers", "1", "--queue", "1", "--worker-memory", str(CEILING_MIB),
                           "--sync-limit", "2000000")  # fmt: skip


@pytest.fixture(scope="module")
def client(server: RunningServer) -> Iterator[httpx.Client]:
    yield from client_of(server, timeout=120)


def post(client: httpx.Client, data: bytes, *, wait: bool = True, **fields: str) -> httpx.Response:
    headers = {} if wait else {"Prefer": "respond-async"}
    return client.post("/v1/exports", files={"file": ("long.md", data)}, data=fields,
                       headers=headers)  # fmt: skip


def metric(client: httpx.Client, name: str) -> float:
    for line in client.get("/metrics").text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(name)


def wait_for(client: httpx.Client, location: str, states: tuple[str, ...]) -> dict[str, object]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = client.get(location).json()
        if job["state"] in states:
            return job  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError(f"{location} never reached {states}")


def serves(client: httpx.Client) -> None:
    response = post(client, SMALL, formats="html")
    assert response.status_code == 200 and "قصير" in response.text


def test_a_job_past_its_time_limit_is_504_and_the_worker_replaced(client: httpx.Client) -> None:
    started = time.monotonic()
    response = post(client, long_article(3), formats="pdf", timeout="1")
    assert response.status_code == 504
    assert response.json() == {
        "error": "long.md: the export took longer than 1 s and was stopped (raise --timeout)"
    }
    assert time.monotonic() - started < 15
    serves(client)
    assert metric(client, 'exporter_worker_restarts_total{reason="timeout"}') == 1
    assert metric(client, 'exporter_jobs_total{outcome="timeout"}') == 1


def test_a_killed_worker_fails_its_job_and_a_full_queue_is_429(client: httpx.Client) -> None:
    running = post(client, long_article(3), wait=False, formats="pdf")
    location = running.headers["location"]
    job = wait_for(client, location, ("running",))
    queued = post(client, SMALL, wait=False, formats="html")
    assert queued.status_code == 202
    full = post(client, SMALL, formats="html")
    assert full.status_code == 429 and full.json()["error"].startswith("the queue is full")
    assert full.headers["retry-after"]
    os.kill(int(job["worker"]), signal.SIGKILL)  # type: ignore[arg-type]
    job = wait_for(client, location, ("done", "failed"))
    assert job["state"] == "failed" and job["status"] == 500 and job["files"] == []
    assert job["error"].startswith("long.md: the process exporting it stopped")  # type: ignore[union-attr]
    assert client.get(f"{location}/files/long.pdf").status_code == 404
    assert wait_for(client, queued.headers["location"], ("done", "failed"))["state"] == "done"
    assert metric(client, 'exporter_worker_restarts_total{reason="crash"}') == 1
    serves(client)


@pytest.mark.slow  # a long document laid out until it passes the ceiling: 10 to 30 s
def test_a_worker_past_the_memory_ceiling_is_stopped(client: httpx.Client) -> None:
    response = post(client, long_article(12), formats="pdf")
    assert response.status_code == 422
    assert response.json()["error"] == (
        f"long.md: the export needed more than {CEILING_MIB} MiB of memory and was stopped"
    )
    assert metric(client, 'exporter_worker_restarts_total{reason="memory"}') == 1
    serves(client)


def test_sigterm_lets_the_running_job_finish_refuses_new_ones_and_exits_0() -> None:
    server = start_server("--workers", "1")
    answers: list[httpx.Response] = []
    with httpx.Client(base_url=server.url, timeout=120) as client:

        def export() -> None:
            answers.append(post(client, long_article(2), formats="pdf"))

        thread = threading.Thread(target=export)
        thread.start()
        deadline = time.monotonic() + 30
        while metric(client, "exporter_jobs_running") < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        refused = post(client, SMALL, formats="html")
        assert refused.status_code == 503
        assert refused.json()["error"].startswith("the server is shutting down")
        assert client.get("/healthz").status_code == 503
        thread.join(120)
    assert server.process.wait(60) == 0
    [answer] = answers
    assert answer.status_code == 200
    assert len(pypdfium2.PdfDocument(answer.content)) > 5  # the whole PDF
    assert not server.root.exists()


def test_off_loopback_a_token_is_needed() -> None:
    environment = {k: v for k, v in os.environ.items() if k != "EXPORTER_TOKEN"}
    command = [str(EXPORTER), "serve", "--host", "0.0.0.0", "--port", "0"]
    without = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=60,
                             env=environment)  # fmt: skip
    assert without.returncode == 1
    assert without.stderr == (
        "exporter: error: bound to 0.0.0.0, the server needs a token: "
        "--token-file FILE or EXPORTER_TOKEN\n"
    )
    token = "s3cret-token-of-the-newsroom"
    server = start_server("--host", "0.0.0.0", "--workers", "1", env={"EXPORTER_TOKEN": token})
    try:
        port = server.url.rsplit(":", 1)[1]
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            assert client.get("/healthz").status_code == 200
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": token}):
                response = client.post("/v1/exports", files={"file": ("a.md", SMALL)},
                                       headers=headers)  # fmt: skip
                assert response.status_code == 401
                challenges = response.headers.get_list("www-authenticate")
                assert [line.split()[0] for line in challenges] == ["Bearer", "Basic"]
            for path in ("/metrics", "/v1/jobs/x", "/", "/static/page.js", "/openapi.json"):
                assert client.get(path).status_code == 401, path
            # A browser asked for the token sends it as Basic credentials, to the page too.
            assert client.get("/", auth=("editor", token)).status_code == 200
            good = client.post("/v1/exports", files={"file": ("a.md", SMALL)},
                               data={"formats": "html"},
                               headers={"Authorization": f"Bearer {token}"})  # fmt: skip
            assert good.status_code == 200
            # An OPDS reader sends Basic credentials: the token is the password.
            assert client.get("/metrics", auth=("reader", token)).status_code == 200
            assert client.get("/metrics", auth=("reader", "wrong")).status_code == 401
    finally:
        assert server.stop() == 0
