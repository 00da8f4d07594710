"""Check that article.md keeps every word of the seed text, in order.

The article is the Markdown form of an Arabic seed text. Markup may be added
(headings, lists, a blockquote) but no word may be dropped, added or moved.
The body is parsed with markdown-it so the comparison is made on what a
reader sees, not on the raw Markdown source.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

REPO_ROOT = Path(__file__).resolve().parents[1]
ARTICLE = REPO_ROOT / "article.md"
DEFAULT_SEED = REPO_ROOT.parent / "shared" / "seed" / "000_6eb3fb2bf440bece.txt"

# Arabic tatweel is a letter modifier (Lm) in Unicode, but the seed uses it
# alone as a dash ("ـ وفق تقارير أمريكية ـ"), so it counts as punctuation.
EXTRA_PUNCTUATION = frozenset("ـ")


def seed_path() -> Path:
    """Seed location; EXPORTER_SEED overrides the default shared path."""
    override = os.environ.get("EXPORTER_SEED")
    return Path(override) if override else DEFAULT_SEED


def is_punctuation_only(token: str) -> bool:
    """True for tokens such as "-", "–", "…" or "ـ" that carry no word."""
    return all(ch in EXTRA_PUNCTUATION or unicodedata.category(ch)[0] in "PS" for ch in token)


def words(text: str) -> list[str]:
    """Whitespace-split words, without punctuation-only tokens."""
    return [w for w in text.split() if not is_punctuation_only(w)]


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    """Return the YAML front matter and the Markdown body after it."""
    assert text.startswith("---\n"), "article.md must start with YAML front matter"
    end = text.find("\n---\n", 4)
    assert end != -1, "front matter is not closed by a '---' line"
    meta = yaml.safe_load(text[4:end])
    assert isinstance(meta, dict), "front matter must be a YAML mapping"
    return meta, text[end + len("\n---\n") :]


def inline_text(token: Token) -> str:
    """Visible text of one inline token; line breaks become spaces."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


@pytest.fixture(scope="module")
def seed_text() -> str:
    path = seed_path()
    if not path.is_file():
        pytest.skip(f"seed file not found: {path}")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def article_raw() -> bytes:
    return ARTICLE.read_bytes()


@pytest.fixture(scope="module")
def article() -> tuple[dict[str, object], list[Token]]:
    meta, body = split_front_matter(ARTICLE.read_text(encoding="utf-8"))
    return meta, MarkdownIt("commonmark").parse(body)


def test_file_encoding(article_raw: bytes) -> None:
    # UTF-8 without BOM, LF only, exactly one trailing newline.
    assert not article_raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in article_raw
    assert article_raw.endswith(b"\n")
    assert not article_raw.endswith(b"\n\n")
    article_raw.decode("utf-8")


def test_front_matter(article: tuple[dict[str, object], list[Token]], seed_text: str) -> None:
    meta, _ = article
    assert meta == {
        "title": seed_text.splitlines()[0],
        "lang": "ar",
        "dir": "rtl",
    }


def test_words_match_seed(article: tuple[dict[str, object], list[Token]], seed_text: str) -> None:
    meta, tokens = article
    body = " ".join(inline_text(t) for t in tokens if t.type == "inline")
    got = words(str(meta["title"])) + words(body)
    assert got == words(seed_text)


def test_structure(article: tuple[dict[str, object], list[Token]]) -> None:
    _, tokens = article
    heading_tags = [t.tag for t in tokens if t.type == "heading_open"]
    assert "h1" not in heading_tags, "title comes from front matter only"
    assert heading_tags.count("h2") >= 1
    assert heading_tags.count("h3") >= 1
    assert sum(t.type == "bullet_list_open" for t in tokens) == 2
    # Anything indented into a code block would hide text from readers.
    assert not [t for t in tokens if t.type in ("code_block", "fence", "html_block")]


def test_blockquote_is_kremlin_statement(
    article: tuple[dict[str, object], list[Token]],
) -> None:
    _, tokens = article
    quotes: list[str] = []
    depth = 0
    for t in tokens:
        if t.type == "blockquote_open":
            if depth == 0:
                quotes.append("")
            depth += 1
        elif t.type == "blockquote_close":
            depth -= 1
        elif depth and t.type == "inline":
            quotes[-1] += inline_text(t) + " "
    assert len(quotes) == 1
    assert "بوتين" in quotes[0].split()
