"""Parse Markdown into an ``Article``: the configured markdown-it-py parser and its plugins."""

from __future__ import annotations

import functools
import re
import unicodedata
import warnings
from dataclasses import replace

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .arabic import apply_text_layer
from .errors import ExportWarning, ResourceError
from .footnotes import install_call_renderer, split_footnotes
from .frontmatter import clean_text, read_metadata
from .model import Article, Asset, Heading, Source
from .options import Options
from .resources import media_type_of, resolve_local
from .sanitize import sanitize_html


@functools.cache
def markdown_parser() -> MarkdownIt:
    """CommonMark with tables, strikethrough, footnotes and `{#id .class}` attributes."""
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(attrs_plugin)
    install_call_renderer(md)
    return md


def parse_article(source: Source, options: Options | None = None) -> Article:
    options = options or Options()
    md = markdown_parser()
    env: dict[str, object] = {}
    tokens = md.parse(source.body, env)
    headings = _assign_heading_ids(tokens)
    assets = _collect_images(tokens, source)
    metadata = read_metadata(
        source,
        fallback_title=headings[0].text if headings else None,
        numerals=options.numerals,
    )
    env["numerals"], env["dir"] = metadata.numerals, metadata.dir
    body_tokens, notes = split_footnotes(md, tokens, env)

    def finish(html: str) -> str:
        # Sanitised before the text layer reads it and after, so that what it adds is
        # written out the same canonical way as the rest.
        layered = apply_text_layer(sanitize_html(html), lang=metadata.lang, direction=metadata.dir)
        return sanitize_html(layered)

    return Article(
        source=source,
        metadata=metadata,
        body_html=finish(md.renderer.render(body_tokens, md.options, env)),
        headings=tuple(headings),
        footnotes=tuple(replace(note, html=finish(note.html)) for note in notes),
        assets=tuple(assets),
    )


def _inline_text(token: Token) -> str:
    return "".join(
        child.content for child in token.children or () if child.type in {"text", "code_inline"}
    )


def slugify(text: str) -> str:
    """A readable id for any script: letters and digits kept as they are (Arabic stays
    Arabic), diacritics and punctuation dropped, spaces turned into hyphens."""
    kept = []
    for char in unicodedata.normalize("NFC", clean_text(text)):
        category = unicodedata.category(char)
        if category[0] in "LN" or char in "-_":
            kept.append(char.lower())
        elif category == "Zs" or char in "\u200c":
            kept.append(" ")
    return re.sub(r"[\s-]+", "-", "".join(kept).strip()).strip("-")


def _assign_heading_ids(tokens: list[Token]) -> list[Heading]:
    headings: list[Heading] = []
    used: set[str] = {str(t.attrGet("id")) for t in tokens if t.attrGet("id")}
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        text = clean_text(_inline_text(tokens[index + 1]))
        given = token.attrGet("id")
        if given:
            heading_id = str(given)
        else:
            base = slugify(text) or f"section-{len(headings) + 1}"
            heading_id, counter = base, 1
            while heading_id in used:
                counter += 1
                heading_id = f"{base}-{counter}"
            used.add(heading_id)
            token.attrSet("id", heading_id)
        headings.append(Heading(level=int(token.tag[1]), text=text, id=heading_id))
    return headings


def _collect_images(tokens: list[Token], source: Source) -> list[Asset]:
    """Resolve every image; a refused one is replaced by its alt text and a warning."""
    assets: dict[str, Asset] = {}
    for block in tokens:
        for index, token in enumerate(block.children or ()):
            if token.type != "image":
                continue
            reference = str(token.attrGet("src") or "")
            line = source.body_first_line + block.map[0] if block.map else None
            try:
                path = resolve_local(reference, source.folder)
            except ResourceError as refused:
                warnings.warn(
                    ExportWarning(refused.problem, path=source.path, line=line), stacklevel=2
                )
                alt = Token("text", "", 0, content=token.content)
                block.children[index] = alt  # type: ignore[index]
                continue
            assets.setdefault(reference, Asset(reference, path, media_type_of(path)))
    return list(assets.values())
