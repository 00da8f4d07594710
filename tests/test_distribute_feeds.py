"""The catalog's shape past 50 and 100 articles: navigation feeds by author, language and
month, and pages (RFC 5005). The folder's manifest is filled with records as exports write
them (``manifest.commit``), for many small outputs made here, so no export runs."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import feedparser
import pytest
from PIL import Image
from webpub_manifest_parser.opds2 import OPDS2FeedParserFactory

from exporter.distribute.files import NAVIGATION_AFTER, PAGE_SIZE
from exporter.distribute.publish import write_catalog
from exporter.manifest import Record, commit, file_digest

AUTHORS = ("سلمى يوسف", "Omar Haddad", "مريم الخطيب")
LANGUAGES = ("ar", "fa")
MOMENT = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def fill(folder: Path, count: int) -> Path:
    """A folder of ``count`` exported articles (an HTML output and a cover image each);
    the output folder."""
    sources, out = folder / "articles", folder / "out"
    sources.mkdir()
    out.mkdir()
    cover = sources / "cover.png"
    Image.new("RGB", (160, 256), (40, 90, 120)).save(cover)
    for number in range(count):
        html = out / f"a{number:03}.html"
        html.write_text(f"<p>{number}</p>", encoding="utf-8")
        about = {
            "title": f"مقالة رقم {number}",
            "authors": [AUTHORS[number % len(AUTHORS)]],
            "lang": LANGUAGES[number % 2],
            "dir": "rtl",
            "date": f"2026-{1 + number % 12:02}-{1 + number % 28:02}",
            "summary": f"ملخص المقالة {number}.",
            "keywords": ["تجربة"],
            "identifier": f"urn:uuid:00000000-0000-5000-8000-{number:012}",
            "source": "0" * 64,
            "cover": str(cover),
        }
        record = Record(
            key=f"{number:064x}",
            outputs={"html": (html.name, file_digest(html))},
            assets={str(cover): file_digest(cover)},
            about=about,
        )
        commit(out, [], (str(sources / f"a{number:03}.md"), record))
    write_catalog(out, base_url="https://example.org/library/", moment=MOMENT)
    return out


def atom(path: Path) -> feedparser.FeedParserDict:
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, (path, feed.get("bozo_exception"))
    return feed


def links(feed: feedparser.FeedParserDict, rel: str) -> list[str]:
    return [link.href for link in feed.feed.links if link.rel == rel]


def every_feed_is_sound(out: Path) -> int:
    """Each Atom feed parses and each of its relative links leads to a file; each JSON feed
    is valid OPDS 2.0. How many feeds there are."""
    feeds = [out / "catalog.xml", *sorted((out / "opds").glob("*.xml"))]
    for path in feeds:
        feed = atom(path)
        # Atom wants an author for every entry, its own or the feed's (RFC 4287, 4.1.1).
        assert "author_detail" in feed.feed or all("author" in e for e in feed.entries), path
        hrefs = [link.href for link in feed.feed.links if link.rel != "self"]
        hrefs += [link.href for entry in feed.entries for link in entry.links]
        for href in hrefs:
            assert (path.parent / href).is_file(), (path, href)
        document = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        parsed = OPDS2FeedParserFactory().create().parse_stream(io.StringIO(json.dumps(document)))
        assert parsed.errors == [], path
    return len(feeds)


def test_a_folder_without_articles_has_an_empty_catalog_written_once(tmp_path: Path) -> None:
    out = fill(tmp_path, 0)
    assert atom(out / "catalog.xml").entries == []
    assert every_feed_is_sound(out) == 1
    later = MOMENT + dt.timedelta(days=1)
    assert write_catalog(out, base_url="https://example.org/library/", moment=later) == []


def test_up_to_50_articles_make_one_feed(tmp_path: Path) -> None:
    out = fill(tmp_path, NAVIGATION_AFTER)
    feed = atom(out / "catalog.xml")
    assert len(feed.entries) == NAVIGATION_AFTER
    assert not links(feed, "subsection") and not links(feed, "next")
    assert every_feed_is_sound(out) == 1


def test_past_50_articles_navigation_feeds_by_author_language_and_month(tmp_path: Path) -> None:
    count = NAVIGATION_AFTER + 1
    out = fill(tmp_path, count)
    root = atom(out / "catalog.xml")
    sections = links(root, "subsection")
    assert sections == ["opds/by-author.xml", "opds/by-language.xml", "opds/by-month.xml"]
    expected = {"by-author": set(AUTHORS), "by-language": set(LANGUAGES), "by-month": None}
    for href in sections:
        navigation = atom(out / href)
        titles = {entry.title for entry in navigation.entries}
        if expected[Path(href).stem] is not None:
            assert titles == expected[Path(href).stem]
        listed = 0
        for entry in navigation.entries:
            [target] = [link.href for link in entry.links if link.rel == "subsection"]
            group = atom(out / "opds" / target)
            assert group.feed.title == entry.title
            listed += len(group.entries)
        assert listed == count  # every article under one author, language and month
    assert titles == {f"2026-{month:02}" for month in range(1, 13)}
    assert every_feed_is_sound(out) > 1


def test_past_100_articles_pages(tmp_path: Path) -> None:
    count = PAGE_SIZE + 20
    out = fill(tmp_path, count)
    first = atom(out / "catalog.xml")
    assert len(first.entries) == PAGE_SIZE
    assert links(first, "next") == links(first, "last") == ["opds/all-2.xml"]
    assert links(first, "first") == ["catalog.xml"] and not links(first, "previous")
    second = atom(out / "opds" / "all-2.xml")
    assert len(second.entries) == count - PAGE_SIZE
    assert links(second, "previous") == links(second, "first") == ["../catalog.xml"]
    dates = [entry.published for entry in [*first.entries, *second.entries]]
    assert dates == sorted(dates, reverse=True)  # newest first, across the pages
    assert len({entry.id for entry in [*first.entries, *second.entries]}) == count
    document = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    assert document["metadata"]["numberOfItems"] == count
    assert document["metadata"]["currentPage"] == 1
    assert len(document["publications"]) == PAGE_SIZE
    assert every_feed_is_sound(out) > 2


@pytest.mark.parametrize("count", [PAGE_SIZE + 1])
def test_a_second_catalog_of_the_same_folder_rewrites_nothing(tmp_path: Path, count: int) -> None:
    out = fill(tmp_path, count)
    files = sorted(p for p in out.rglob("*") if p.is_file())
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in files}
    later = MOMENT + dt.timedelta(days=3)
    assert write_catalog(out, base_url="https://example.org/library/", moment=later) == []
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in files} == before
