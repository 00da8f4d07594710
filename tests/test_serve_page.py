"""The page at ``/`` in Debian's Chromium, driven by Playwright (pointed at
/usr/bin/chromium; no browser is downloaded): Arabic and right to left, nothing loaded
from another site, a Markdown file and its image picked, the formats and the paper
chosen, the PDF's first page shown and each output offered for download."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.browser import FLAGS
from tests.conftest import CORPUS
from tests.ebook_readers import chromium
from tests.servers import RunningServer, serving, start_server

playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    yield from serving("--workers", "1")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    flags = [flag for flag in FLAGS if flag not in ("--headless", "--remote-debugging-pipe")]
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=chromium(), args=flags, headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def page(browser: object) -> object:
    context = browser.new_context(viewport={"width": 900, "height": 1400},  # type: ignore[attr-defined]
                                  accept_downloads=True)  # fmt: skip
    return context.new_page()


def test_the_page_is_arabic_and_strict(server: RunningServer) -> None:
    response = httpx.get(server.url + "/")
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert '<html lang="ar" dir="rtl">' in response.text
    assert "<script>" not in response.text  # no inline script: the labels are data


def test_an_article_exported_from_the_page(
    server: RunningServer, page: object, tmp_path: Path
) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)  # type: ignore[attr-defined]
    page.goto(server.url + "/")  # type: ignore[attr-defined]
    assert page.evaluate("document.documentElement.dir") == "rtl"  # type: ignore[attr-defined]
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"  # type: ignore[attr-defined]
    assert page.evaluate(  # type: ignore[attr-defined]
        "document.fonts.check('16px Amiri') && [...document.fonts].some(f => f.status === 'loaded')"
    )
    page.set_input_files("#file", str(CORPUS / "structure.md"))  # type: ignore[attr-defined]
    page.set_input_files("#images", str(CORPUS / "images" / "diagram.png"))  # type: ignore[attr-defined]
    page.uncheck("input[name=format][value=epub]")  # type: ignore[attr-defined]
    page.select_option("#paper", "A5")  # type: ignore[attr-defined]
    page.click("#export")  # type: ignore[attr-defined]
    image = page.wait_for_selector("#preview:not([hidden]) img", timeout=60_000)  # type: ignore[attr-defined]
    page.wait_for_function("document.querySelector('#preview img').naturalWidth > 0")  # type: ignore[attr-defined]
    width, height = page.evaluate(  # type: ignore[attr-defined]
        "[document.querySelector('#preview img').naturalWidth,"
        " document.querySelector('#preview img').naturalHeight]"
    )
    assert abs(width / height - 148 / 210) < 0.01  # an A5 page
    status = page.text_content("#status")  # type: ignore[attr-defined]
    assert status == "تمّ التصدير"
    links = page.eval_on_selector_all("#downloads a", "as => as.map(a => a.download)")  # type: ignore[attr-defined]
    assert links == ["structure.pdf", "structure.html"]
    # The warnings, if any, are the export's own, each naming the article.
    shown = page.eval_on_selector_all("#warnings li", "lis => lis.map(li => li.textContent)")  # type: ignore[attr-defined]
    assert all(line.startswith("structure.md") for line in shown)
    assert page.is_hidden("#warnings") == (not shown)  # type: ignore[attr-defined]
    with page.expect_download() as download:  # type: ignore[attr-defined]
        page.click("#downloads a >> nth=1")  # type: ignore[attr-defined]
    saved = tmp_path / "structure.html"
    download.value.save_as(saved)
    assert "data:image/png;base64," in saved.read_text(encoding="utf-8")
    image.screenshot(path=str(tmp_path / "preview.png"))
    page.screenshot(path=str(tmp_path / "page.png"), full_page=True)  # type: ignore[attr-defined]
    assert all(url.startswith((server.url, "blob:")) for url in requests), requests
    assert errors == []


def test_a_failed_export_is_shown_in_one_line(server: RunningServer, page: object,
                                              tmp_path: Path) -> None:  # fmt: skip
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: [1, 2\n---\n\nنص\n", encoding="utf-8")
    page.goto(server.url + "/")  # type: ignore[attr-defined]
    page.set_input_files("#file", str(bad))  # type: ignore[attr-defined]
    page.click("#export")  # type: ignore[attr-defined]
    page.wait_for_selector("#status.failed", timeout=60_000)  # type: ignore[attr-defined]
    status = page.text_content("#status")  # type: ignore[attr-defined]
    assert status.startswith("تعذّر التصدير: bad.md:")


def test_files_dropped_on_the_page_are_taken(server: RunningServer, page: object) -> None:
    import base64

    page.goto(server.url + "/")  # type: ignore[attr-defined]
    markdown = (CORPUS / "structure.md").read_text(encoding="utf-8")
    png = base64.b64encode((CORPUS / "images" / "diagram.png").read_bytes()).decode()
    taken = page.evaluate(  # type: ignore[attr-defined]
        """([markdown, png]) => {
            const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
            const dropped = new DataTransfer();
            dropped.items.add(new File([bytes], "diagram.png", { type: "image/png" }));
            dropped.items.add(new File([markdown], "structure.md", { type: "text/markdown" }));
            const zone = document.getElementById("drop");
            zone.dispatchEvent(new DragEvent("drop", { dataTransfer: dropped, bubbles: true }));
            return [Array.from(document.getElementById("file").files, (f) => f.name),
                    Array.from(document.getElementById("images").files, (f) => f.name)];
        }""",
        [markdown, png],
    )
    assert taken == [["structure.md"], ["diagram.png"]]
    page.click("#export")  # type: ignore[attr-defined]
    page.wait_for_selector("#preview:not([hidden]) img", timeout=60_000)  # type: ignore[attr-defined]
    names = page.eval_on_selector_all("#downloads a", "as => as.map(a => a.download)")  # type: ignore[attr-defined]
    assert names == ["structure.pdf", "structure.epub", "structure.html"]


def test_off_loopback_the_browser_asks_for_the_token_once(browser: object) -> None:
    """Bound off loopback, the page too needs the token: the browser, answered with a Basic
    challenge, sends the credentials its user gives (any name, the token as the password)
    with the page's own calls as well, and the export goes through."""
    token = "s3cret-token-of-the-newsroom"
    server = start_server("--host", "0.0.0.0", "--workers", "1", env={"EXPORTER_TOKEN": token})
    address = "http://127.0.0.1:" + server.url.rsplit(":", 1)[1]
    try:
        refused = httpx.get(address + "/")
        assert refused.status_code == 401
        assert "Basic" in refused.headers.get_list("www-authenticate")[-1]
        context = browser.new_context(http_credentials={"username": "editor",  # type: ignore[attr-defined]
                                                        "password": token})  # fmt: skip
        page = context.new_page()
        assert page.goto(address + "/").status == 200
        page.set_input_files("#file", str(CORPUS / "mixed-latin.md"))
        page.uncheck("input[name=format][value=epub]")
        page.uncheck("input[name=format][value=pdf]")
        page.click("#export")
        page.wait_for_selector("#downloads a", timeout=60_000)
        assert page.text_content("#status") == "تمّ التصدير"
        context.close()
    finally:
        assert server.stop() == 0
