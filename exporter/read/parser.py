"""Parse Markdown into an ``Article``: the configured markdown-it-py parser and its plugins."""

from __future__ import annotations

import functools
from dataclasses import replace

from lxml import etree
from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin

from ..bidi.markup import apply_bidi_pass
from ..fragment import parse_fragment, serialize_fragment
from ..model import Article, Source
from ..options import DEPTH_CEILING, Options
from .anchors import assign_heading_ids, point_internal_links
from .display import shown_headings, title_block
from .figures import make_figures
from .footnotes import install_call_renderer, split_footnotes
from .frontmatter import read_metadata
from .limits import check_depth, check_footnotes
from .links import settle_links, unique_ids
from .resolver import Resolver, resolve_images
from .sanitize import sanitize_html
from .titleheading import lift_title_heading, title_heading_of


@functools.cache
def markdown_parser() -> MarkdownIt:
    """CommonMark with tables, strikethrough, footnotes and `{#id .class}` attributes."""
    # Past maxNesting markdown-it silently drops the rest of the document; with the ceiling
    # above every allowed --max-depth, the depth check reports such input instead.
    md = MarkdownIt(
        "commonmark", {"html": True, "typographer": False, "maxNesting": DEPTH_CEILING + 10}
    )
    # A table column's `:--`, `:-:` and `--:` come out as markdown-it writes them, the
    # physical left, centre and right, as GFM and every other Markdown reader sets them, in
    # Arabic too: `--:` is how a column of numbers is aligned on its units. A column
    # without one starts where its cells' lines do (the right in Arabic).
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
    check_footnotes(env, options.max_footnotes)
    headings = assign_heading_ids(tokens)
    point_internal_links(tokens, {heading.id for heading in headings})
    make_figures(tokens)
    opening = title_heading_of(tokens, headings)
    metadata = read_metadata(
        source,
        fallback_title=opening.text if opening else None,
        numerals=options.numerals,
    )
    title_heading = lift_title_heading(tokens, headings, metadata.title)
    title_ids = [title_heading.id] if title_heading else []
    env["numerals"], env["dir"] = metadata.numerals, metadata.dir
    body_tokens, notes = split_footnotes(md, tokens, env)
    resolver = Resolver(source, options)  # every image, in the body and in the notes

    def finish(html: str) -> etree._Element:
        # Depth first: the sanitiser's parser is quadratic on deep nesting. Sanitised
        # before the bidi pass reads it and after, so that what it adds is written out
        # the same canonical way as the rest; then parsed once, and its images resolved.
        check_depth(html, options.max_depth)
        isolated = apply_bidi_pass(sanitize_html(html), lang=metadata.lang, direction=metadata.dir)
        fragment = parse_fragment(sanitize_html(isolated))
        resolve_images(fragment, resolver)
        return fragment

    fragments = [finish(md.renderer.render(body_tokens, md.options, env))]
    fragments += [finish(note.html) for note in notes]
    # Links last: they can point into the notes, and at ids the notes define.
    ids = unique_ids(fragments, reserved=[*title_ids, *(note.id for note in notes)])
    for fragment in fragments:
        settle_links(fragment, ids, source)
    body_html, *note_htmls = map(serialize_fragment, fragments)
    body_images = resolver.assets
    # After the body's images: the cover is an asset of its own, not one the body shows.
    cover = resolver.image(metadata.cover) if metadata.cover else None
    article = Article(
        source=source,
        metadata=metadata,
        body_html=body_html,
        headings=shown_headings(headings, metadata),
        footnotes=tuple(replace(n, html=h) for n, h in zip(notes, note_htmls, strict=True)),
        assets=body_images,
        title_block=title_block(metadata),
        cover=cover,
        title_id=title_heading.id if title_heading else None,
    )
    return article
