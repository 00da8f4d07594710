"""``exporter serve``'s API, for real: the server started in a subprocess on a free
loopback port, talked to over HTTP with httpx; each output opened as a reader would."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote, urljoin

import httpx
import pypdfium2
import pytest

from tests.conftest import ARTICLE, CORPUS, ROOT
from tests.servers import EXPORTER, RunningServer, client_of, left_in, serving

STRUCTURE = CORPUS / "structure.md"
DIAGRAM = CORPUS / "images" / "diagram.png"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of exports with its OPDS catalog, as ``exporter build --catalog`` writes it."""
    folder = tmp_path_factory.mktemp("library")
    command = [str(EXPORTER), "build", str(ARTICLE), str(CORPUS / "persian.md"), "-o",
               str(folder), "-f", "epub,html", "--catalog"]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    return folder


@pytest.fixture(scope="module")
def server(library: Path) -> Iterator[RunningServer]:
    yield from serving("--workers", "2", "--max-upload", "3000000", "--sync-limit", "60000",
                           "--library", str(library), "--jobs-per-worker", "8")  # fmt: skip


@pytest.fixture(scope="module")
def client(server: RunningServer) -> Iterator[httpx.Client]:
    yield from client_of(server, timeout=120)


def post(
    client: httpx.Client,
    path: Path,
    data: dict[str, str] | None = None,
    images: tuple[Path, ...] = (),
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    files = [("file", (path.name, path.read_bytes(), "text/markdown"))]
    files += [("images", (image.name, image.read_bytes(), "image/png")) for image in images]
    return client.post("/v1/exports", files=files, data=data or {}, headers=headers or {})


def warnings_of(response: httpx.Response) -> list[str]:
    header = response.headers.get("exporter-warnings", "")
    return [unquote(item) for item in header.split(", ") if item]


def pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_health_and_openapi(client: httpx.Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    described = client.get("/openapi.json").json()
    assert described["openapi"].startswith("3.")
    assert {"/v1/exports", "/v1/jobs/{job_id}", "/v1/jobs/{job_id}/files/{name}"} <= set(
        described["paths"]
    )
    form = described["paths"]["/v1/exports"]["post"]["requestBody"]["content"]
    fields = form["multipart/form-data"]["schema"]["properties"]
    # The command line's options by their underscore names; none of the run's own.
    assert {"file", "images", "formats", "paper", "numerals", "toc", "pdf_variant"} <= set(fields)
    assert not {"out_dir", "jobs", "force", "scheduler", "allow_remote"} & set(fields)


def test_one_format_comes_back_as_the_file(client: httpx.Client) -> None:
    response = post(client, ARTICLE, {"formats": "pdf", "paper": "A5"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert 'filename="article.pdf"' in response.headers["content-disposition"]
    document = pypdfium2.PdfDocument(response.content)
    width, height = document[0].get_size()
    assert round(width / 72 * 25.4) == 148 and round(height / 72 * 25.4) == 210  # A5
    assert "فنزويلا" in pdf_text(response.content)


def test_several_formats_come_back_as_a_zip(client: httpx.Client) -> None:
    response = post(client, ARTICLE)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["article.epub", "article.html", "article.pdf"]
        html = archive.read("article.html").decode()
        epub = zipfile.ZipFile(io.BytesIO(archive.read("article.epub")))
        assert archive.read("article.pdf").startswith(b"%PDF-")
    assert 'dir="rtl"' in html and "فنزويلا" in html
    assert epub.read("mimetype") == b"application/epub+zip"


def test_images_sent_beside_the_article_reach_the_output(client: httpx.Client) -> None:
    response = post(client, STRUCTURE, {"formats": "html"}, images=(DIAGRAM,))
    assert response.status_code == 200, response.text
    assert warnings_of(response) == []
    assert "data:image/png;base64," in response.text


def test_a_zip_of_the_article_folder(client: httpx.Client, tmp_path: Path) -> None:
    packed = tmp_path / "structure.zip"
    with zipfile.ZipFile(packed, "w") as archive:
        archive.write(STRUCTURE, "structure/structure.md")
        archive.write(DIAGRAM, "structure/images/diagram.png")
    response = client.post("/v1/exports", files={"file": ("structure.zip", packed.read_bytes(),
                           "application/zip")}, data={"formats": "html"})  # fmt: skip
    assert response.status_code == 200, response.text
    assert "data:image/png;base64," in response.text and "بنية المقال" in response.text


def test_warnings_in_a_header_in_arabic(client: httpx.Client) -> None:
    # The image is not sent: the export goes on without it and says so.
    response = post(client, STRUCTURE, {"formats": "html"})
    assert response.status_code == 200
    [warning] = warnings_of(response)
    assert warning.startswith("structure.md:33: image 'images/diagram.png'")
    assert response.headers["exporter-warning-count"] == "1"
    arabic = CORPUS / "uncovered.md"
    response = post(client, arabic, {"formats": "html"})
    assert any("U+" in line for line in warnings_of(response))


def test_bad_options_are_400_with_the_command_line_message(client: httpx.Client) -> None:
    response = post(client, ARTICLE, {"paper": "A9"})
    assert response.status_code == 400
    cli = subprocess.run([str(EXPORTER), "build", str(ARTICLE), "--paper", "A9"],
                         capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    assert response.json() == {"error": "unknown paper A9: choose from A4, A5, B5, letter"}
    assert response.json()["error"] in cli.stderr
    for data in ({"colour": "red"}, {"toc": "maybe"}, {"out_dir": "/tmp"}, {"timeout": "9999"}):
        response = post(client, ARTICLE, data)
        assert response.status_code == 400, data
        assert "\n" not in response.json()["error"]


def test_an_article_that_cannot_be_exported_is_422_as_on_the_command_line(
    client: httpx.Client, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: [1, 2\n---\n\nنص\n", encoding="utf-8")
    response = post(client, bad)
    assert response.status_code == 422
    cli = subprocess.run([str(EXPORTER), "build", "bad.md", "-o", "out"],
                         capture_output=True, text=True, cwd=tmp_path)  # fmt: skip
    assert f"error: {response.json()['error']}\n" in cli.stderr
    latin1 = tmp_path / "latin1.md"
    latin1.write_bytes("# café\n".encode("latin-1"))
    response = post(client, latin1)
    assert response.status_code == 422
    assert response.json()["error"].startswith("latin1.md:1: not valid UTF-8")


def test_an_asynchronous_job_from_start_to_delete(
    client: httpx.Client, server: RunningServer
) -> None:
    response = post(client, ARTICLE, headers={"Prefer": "respond-async"})
    assert response.status_code == 202
    location = response.headers["location"]
    job = response.json()
    assert location == f"/v1/jobs/{job['id']}" and job["state"] in ("queued", "running")
    job = _wait(client, location)
    assert job["state"] == "done" and job["error"] is None
    names = sorted(file["name"] for file in job["files"])
    assert names == ["article.epub", "article.html", "article.pdf"]
    pdf = client.get(f"{location}/files/article.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    preview = client.get(f"{location}/preview.png")
    assert preview.headers["content-type"] == "image/png"
    assert preview.content.startswith(b"\x89PNG")
    assert client.get(f"{location}/files/other.pdf").status_code == 404
    folder = server.root / "jobs" / f"job-{job['id']}"
    assert folder.is_dir()
    assert client.delete(location).status_code == 204
    assert client.get(location).status_code == 404
    assert not folder.exists()


def test_a_large_upload_is_answered_with_a_job(client: httpx.Client, tmp_path: Path) -> None:
    large = tmp_path / "large.md"
    large.write_text(ARTICLE.read_text(encoding="utf-8") * 9, encoding="utf-8")  # > 60 000
    response = post(client, large, {"formats": "html"})
    assert response.status_code == 202
    job = _wait(client, response.headers["location"])
    assert job["state"] == "done"
    client.delete(response.headers["location"])


def test_unknown_jobs_and_routes_are_404_in_json(client: httpx.Client) -> None:
    for path in ("/v1/jobs/nothing", "/v1/jobs/nothing/files/a.pdf", "/nowhere"):
        response = client.get(path)
        assert response.status_code == 404 and "error" in response.json()
    assert client.delete("/v1/jobs/nothing").status_code == 404
    assert client.get("/v1/exports").status_code == 405


def test_many_clients_at_once_each_get_their_own_article(client: httpx.Client) -> None:
    stems = ("persian", "mixed-latin", "vocalised", "scripts", "technical-tokens")
    articles = [ARTICLE, *(CORPUS / f"{stem}.md" for stem in stems)]
    titles = {path: _title(path) for path in articles}

    def one(path: Path) -> tuple[Path, httpx.Response]:
        return path, post(client, path, {"formats": "html"})

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(one, articles * 2))
    for path, response in answers:
        assert response.status_code == 200, response.text
        assert f"<title>{titles[path]}" in response.text


def test_metrics_count_what_happened(client: httpx.Client) -> None:
    text = client.get("/metrics").text
    exported = _sample(text, 'exporter_jobs_total{outcome="exported"}')
    failed = _sample(text, 'exporter_jobs_total{outcome="failed"}')
    assert exported >= 10 and failed >= 2
    assert _sample(text, "exporter_job_seconds_count") == exported + failed
    assert _sample(text, 'exporter_requests_rejected_total{status="400"}') >= 4
    assert _sample(text, "exporter_queue_depth") == 0
    assert 'exporter_worker_restarts_total{reason="crash"} 0.0' in text
    assert _sample(text, 'exporter_worker_restarts_total{reason="jobs"}') >= 1  # after 8 each


def test_nothing_is_left_in_the_server_folder(client: httpx.Client, server: RunningServer) -> None:
    assert client.get("/healthz").status_code == 200
    assert left_in(server.root) == []


def _wait(client: httpx.Client, location: str, seconds: float = 120) -> dict[str, object]:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(location).json()
        if job["state"] in ("done", "failed"):
            return job  # type: ignore[no-any-return]
        time.sleep(0.1)
    raise AssertionError(f"{location} did not end")


def _title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("title:"):
            return (
                json.loads(line.split(":", 1)[1]) if '"' in line else line.split(":", 1)[1].strip()
            )
    raise AssertionError(path)


def _sample(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} not in the metrics")


def test_the_library_s_opds_catalog_and_what_it_links_to(client: httpx.Client) -> None:
    from xml.etree import ElementTree

    atom = client.get("/opds")
    assert atom.headers["content-type"] == (
        "application/atom+xml;profile=opds-catalog;kind=acquisition"
    )
    feed = ElementTree.fromstring(atom.content)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}base") == "/opds/"
    links = [link for link in feed.iter("{http://www.w3.org/2005/Atom}link")
             if "acquisition" in (link.get("rel") or "")]  # fmt: skip
    assert len(links) == 4  # two articles, EPUB and HTML each
    for link in links:
        target = urljoin(str(client.base_url) + "/opds/", link.get("href"))
        response = client.get(target)
        assert response.status_code == 200, target
        assert response.headers["content-type"].startswith(link.get("type").split(";")[0])
    twin = client.get("/opds/v2")
    assert twin.headers["content-type"] == "application/opds+json"
    publications = twin.json()["publications"]
    hrefs = [link["href"] for p in publications for link in p["links"] if "://" not in link["href"]]
    assert len(hrefs) >= 4
    for href in hrefs:
        assert client.get(urljoin(str(client.base_url) + "/opds/v2", href)).status_code == 200
    for hidden in ("/opds/.exporter-manifest.json", "/opds/%2e%2e/README.md", "/opds/covers"):
        assert client.get(hidden).status_code == 404, hidden


@pytest.mark.parametrize(("command", "missing"), [("serve", "uvicorn"), ("watch", "watchfiles")])
def test_without_the_serve_extra_one_line_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, command: str, missing: str
) -> None:
    import importlib.util

    from exporter.cli import main

    find_spec = importlib.util.find_spec

    def without(name: str, *rest: object) -> object:
        return None if name == missing else find_spec(name, *rest)

    monkeypatch.setattr(importlib.util, "find_spec", without)
    out, err = io.StringIO(), io.StringIO()
    assert main([command, str(ARTICLE)] if command == "watch" else [command], out, err) == 1
    assert err.getvalue() == (
        f"exporter: error: exporter {command} needs the serve extra: "
        "pip install 'arabic-exporter[serve]'\n"
    )


def test_an_arabic_file_name_reaches_the_download_name(client: httpx.Client) -> None:
    name = "مقال الأسبوع.md"
    response = client.post("/v1/exports", files={"file": (name, ARTICLE.read_bytes())},
                           data={"formats": "epub"})  # fmt: skip
    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=\"export.epub\"; filename*=UTF-8''")
    assert unquote(disposition.split("''", 1)[1]) == "مقال الأسبوع.epub"
    later = client.post("/v1/exports", files={"file": (name, ARTICLE.read_bytes())},
                        data={"formats": "html"}, headers={"Prefer": "respond-async"})  # fmt: skip
    job = _wait(client, later.headers["location"])
    [file] = job["files"]
    assert file["name"] == "مقال الأسبوع.html"
    assert client.get(file["url"]).text.startswith("<!DOCTYPE html>")
    client.delete(later.headers["location"])
