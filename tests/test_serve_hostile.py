"""Hostile uploads to a real ``exporter serve``: each refused with the right status and one
line, nothing written outside the job's folder, and the server still serving after each."""

from __future__ import annotations

import io
import stat
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ARTICLE, CORPUS
from tests.servers import RunningServer, client_of, left_in, serving

LIMITS = ("--max-upload", "2000000", "--max-files", "20", "--max-unpacked", "4000000")


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    yield from serving("--workers", "1", "--keep", "1", *LIMITS)


@pytest.fixture(scope="module")
def client(server: RunningServer) -> Iterator[httpx.Client]:
    yield from client_of(server, timeout=60)


@pytest.fixture(autouse=True)
def still_serving(client: httpx.Client, server: RunningServer) -> Iterator[None]:
    """After each hostile request: the server answers a good one, and its folder for jobs
    holds nothing (no job left, nothing unpacked beside one)."""
    yield
    good = client.post("/v1/exports", files={"file": ("a.md", b"# \xd8\xb9\n")},
                       data={"formats": "html"})  # fmt: skip
    assert good.status_code == 200, good.text
    assert left_in(server.root) == []
    assert sorted(p.name for p in server.root.iterdir()) == ["jobs", "spool"]


def zipped(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return buffer.getvalue()


def send_zip(client: httpx.Client, data: bytes) -> httpx.Response:
    return client.post("/v1/exports", files={"file": ("article.zip", data, "application/zip")})


def refused(response: httpx.Response, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    line = response.json()["error"]
    assert words in line and "\n" not in line


ARTICLE_BYTES = ARTICLE.read_bytes()


@pytest.mark.parametrize(
    "name", ["../escaped.md", "a/../../escaped.md", "/tmp/exporter-escaped.md", "C:/escaped.md"]
)
def test_a_zip_name_leading_out_is_refused(client: httpx.Client, server: RunningServer,
                                           name: str) -> None:  # fmt: skip
    response = send_zip(client, zipped([("article.md", ARTICLE_BYTES), (name, b"# x\n")]))
    refused(response, 400, "leads out of the article's folder")
    assert not Path("/tmp/exporter-escaped.md").exists()
    assert not (server.root / "escaped.md").exists()
    assert not (server.root.parent / "escaped.md").exists()


def test_a_symbolic_link_in_the_zip_is_refused(client: httpx.Client) -> None:
    link = zipfile.ZipInfo("images/diagram.png")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    response = send_zip(client, zipped([("article.md", ARTICLE_BYTES), (link, b"/etc/passwd")]))
    refused(response, 400, "a symbolic link")


def test_a_zip_bomb_is_refused(client: httpx.Client) -> None:
    bomb = zipped([("article.md", ARTICLE_BYTES), ("zeros.png", bytes(3_500_000))])
    assert len(bomb) < 20_000
    refused(send_zip(client, bomb), 413, "expands 100 times or more")


def test_a_zip_past_the_unpacked_total_is_refused(client: httpx.Client) -> None:
    import os

    parts = [(f"images/{n}.png", os.urandom(900_000)) for n in range(5)]  # incompressible
    response = send_zip(client, zipped([("article.md", ARTICLE_BYTES), *parts]))
    refused(response, 413, "")  # past --max-upload (2 MB) or --max-unpacked (4 MB)


def test_a_zip_with_too_many_entries_is_refused(client: httpx.Client) -> None:
    entries = [("article.md", ARTICLE_BYTES)] + [(f"n/{n}.txt", b"x") for n in range(30)]
    refused(send_zip(client, zipped(entries)), 413, "entries, over 20")


def test_a_zip_that_lies_about_its_sizes_is_refused(client: httpx.Client) -> None:
    data = bytearray(zipped([("article.md", ARTICLE_BYTES), ("big.txt", b"a" * 50_000)]))
    # The central directory's uncompressed size of big.txt, made small: the copy stops.
    at = data.rfind(b"PK\x01\x02")
    size_at = at + 24
    data[size_at : size_at + 4] = (1000).to_bytes(4, "little")
    response = send_zip(client, bytes(data))
    assert response.status_code in (400, 413, 415), response.text


def test_a_zip_without_markdown_or_not_a_zip(client: httpx.Client) -> None:
    refused(send_zip(client, zipped([("notes.txt", b"x")])), 415, "no Markdown")
    refused(send_zip(client, b"PK\x03\x04 not really a zip"), 415, "not a zip")


def test_images_named_to_climb_out_stay_in_the_job_folder(
    client: httpx.Client, server: RunningServer
) -> None:
    diagram = (CORPUS / "images" / "diagram.png").read_bytes()
    files = [
        ("file", ("structure.md", (CORPUS / "structure.md").read_bytes())),
        ("images", ("../../climbed.png", diagram)),
        ("images", ("/tmp/exporter-climbed.png", diagram)),
    ]
    response = client.post("/v1/exports", files=files, data={"formats": "html"})
    assert response.status_code == 200
    assert not Path("/tmp/exporter-climbed.png").exists()
    assert not list(server.root.parent.glob("climbed.png"))


def test_an_article_reaching_outside_its_folder_gets_nothing(
    client: httpx.Client, server: RunningServer
) -> None:
    secret = server.root / "secret.png"
    secret.write_bytes((CORPUS / "images" / "diagram.png").read_bytes())
    try:
        markdown = "# سر\n\n![x](../../secret.png)\n\n![y](/etc/passwd)\n".encode()
        response = client.post("/v1/exports", files={"file": ("a.md", markdown)},
                               data={"formats": "html"})  # fmt: skip
        assert response.status_code == 200
        warnings = response.headers["exporter-warnings"]
        assert warnings.count(",") == 1  # two warnings, one for each
        assert "data:image/png" not in response.text
    finally:
        secret.unlink()


def test_a_huge_form_field_is_refused(client: httpx.Client) -> None:
    response = client.post("/v1/exports", files={"file": ("a.md", b"# a\n")},
                           data={"paper": "A" * 200_000})  # fmt: skip
    refused(response, 413, "the form was refused")


def test_a_body_past_the_limit_is_refused(client: httpx.Client) -> None:
    response = client.post("/v1/exports", files={"file": ("a.md", b"# a\n" * 600_000)})
    refused(response, 413, "larger than 2000000 bytes")

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it comes
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.md"\r\n\r\n'
        for _ in range(40):
            yield b"x" * 100_000

    response = client.post("/v1/exports", content=chunks(),
                           headers={"Content-Type": "multipart/form-data; boundary=b"})  # fmt: skip
    refused(response, 413, "larger than")


def test_the_wrong_content_type_is_415(client: httpx.Client) -> None:
    refused(client.post("/v1/exports", json={"file": "# a"}), 415, "multipart/form-data")
    png = (CORPUS / "images" / "diagram.png").read_bytes()
    refused(client.post("/v1/exports", files={"file": ("a.png", png)}), 415, "not Markdown")
    refused(client.post("/v1/exports", data={"formats": "pdf"}, files={"x": ("a", b"")}),
            400, "form field 'file'")  # fmt: skip


def test_a_finished_job_expires_with_its_files(client: httpx.Client) -> None:
    upload = {"file": ("a.md", ARTICLE_BYTES)}
    later = {"Prefer": "respond-async"}
    response = client.post("/v1/exports", files=upload, data={"formats": "html"}, headers=later)
    location = response.headers["location"]
    while client.get(location).json()["state"] not in ("done", "failed"):
        time.sleep(0.05)
    time.sleep(2.5)  # --keep 1, swept every half second
    assert client.get(location).status_code == 404
