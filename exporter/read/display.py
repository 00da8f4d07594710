"""The article's words that are shown outside its body: the title block's title, subtitle,
authors and standfirst, and the headings as the table of contents lists them.

They are plain text in the metadata, and a template would set them as they are: in a
right-to-left line, WeasyPrint, browsers and reading systems then order a Latin token by the
Unicode bidi algorithm alone, and "C++" is drawn "++C", ".NET" "NET.". Here each is given
the body's bidi pass, so that it is shown as the same words are in the body.
"""

from __future__ import annotations

from dataclasses import replace
from html import escape

from ..bidi.markup import apply_bidi_pass
from ..model import Heading, Metadata, TitleBlock


def shown(text: str, metadata: Metadata) -> str:
    """``text`` as escaped HTML, its runs against the article's direction isolated."""
    return apply_bidi_pass(escape(text, quote=False), lang=metadata.lang, direction=metadata.dir)


def title_block(metadata: Metadata) -> TitleBlock:
    subtitle, description = metadata.subtitle, metadata.description
    return TitleBlock(
        title=shown(metadata.title, metadata),
        subtitle=shown(subtitle, metadata) if subtitle else None,
        authors=tuple(shown(author, metadata) for author in metadata.authors),
        standfirst=shown(description, metadata) if description else None,
    )


def shown_headings(headings: list[Heading], metadata: Metadata) -> tuple[Heading, ...]:
    return tuple(replace(heading, html=shown(heading.text, metadata)) for heading in headings)
