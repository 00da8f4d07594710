"""Parse Markdown into an ``Article``: the configured markdown-it-py parser and its plugins."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import replace

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .arabic import apply_text_layer
from .figures import figure_plugin
from .footnotes import install_call_renderer, split_footnotes
from .frontmatter import clean_text, read_metadata
from .limits import check_depth, check_footnotes
from .links import settle_links, unique_ids
from .model import Article, Heading, Source
from .options import DEPTH_CEILING, Options
from .resources import Resolver, resolve_images
from .sanitize import sanitize_html


@functools.cache
def markdown_parser() -> MarkdownIt:
    """CommonMark with tables, strikethrough, footnotes and `{#id .class}` attributes."""
    # Past maxNesting markdown-it silently drops the rest of the document; with the ceiling
    # above every allowed --max-depth, the depth check reports such input instead.
    md = MarkdownIt(
        "commonmark", {"html": True, "typographer": False, "maxNesting": DEPTH_CEILING + 10}
    )
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(attrs_plugin)
    md.use(figure_plugin)
    install_call_renderer(md)
    return md


def parse_article(source: Source, options: Options | None = None) -> Article:
    options = options or Options()
    md = markdown_parser()
    env: dict[str, object] = {}
    tokens = md.parse(source.body, env)
    check_footnotes(env, options.max_footnotes)
    headings = _assign_heading_ids(tokens)
    metadata = read_metadata(
        source,
        fallback_title=headings[0].text if headings else None,
        numerals=options.numerals,
    )
    env["numerals"], env["dir"] = metadata.numerals, metadata.dir
    body_tokens, notes = split_footnotes(md, tokens, env)
    resolver = Resolver(source, options)  # every image, in the body and in the notes

    def finish(html: str) -> str:
        # Depth first: the sanitiser's parser is quadratic on deep nesting. Sanitised
        # before the text layer reads it and after, so that what it adds is written out
        # the same canonical way as the rest; images resolved last, on the final HTML.
        check_depth(html, options.max_depth)
        layered = apply_text_layer(sanitize_html(html), lang=metadata.lang, direction=metadata.dir)
        return resolve_images(sanitize_html(layered), resolver)

    fragments = [finish(md.renderer.render(body_tokens, md.options, env))]
    fragments += [finish(note.html) for note in notes]
    # Links last: they can point into the notes, and at ids the notes define.
    fragments, ids = unique_ids(fragments, reserved=(note.id for note in notes))
    body_html, *note_htmls = (settle_links(fragment, ids, source) for fragment in fragments)
    return Article(
        source=source,
        metadata=metadata,
        body_html=body_html,
        headings=tuple(headings),
        footnotes=tuple(replace(n, html=h) for n, h in zip(notes, note_htmls, strict=True)),
        assets=resolver.assets,
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
