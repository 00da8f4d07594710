"""Figures: an image alone in its paragraph becomes a ``<figure>`` captioned with its
description, as Pandoc's implicit figures do, so every target can keep the image and its
caption together and number-free."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token


def _lone_image(inline: Token) -> Token | None:
    children = [c for c in inline.children or () if c.type != "softbreak"]
    if len(children) == 1 and children[0].type == "image":
        return children[0]
    return None


def _caption(image: Token, level: int) -> list[Token]:
    text = image.content.strip()
    if not text:
        return []
    inline = Token("inline", "", 0, content=text, level=level + 1)
    inline.children = [Token("text", "", 0, content=text)]
    return [
        Token("figcaption_open", "figcaption", 1, level=level),
        inline,
        Token("figcaption_close", "figcaption", -1, level=level),
    ]


def make_figures(state: StateCore) -> None:
    tokens = state.tokens
    index = 0
    while index + 2 < len(tokens):
        opening, inline, closing = tokens[index : index + 3]
        image = _lone_image(inline) if opening.type == "paragraph_open" else None
        if image is None or closing.type != "paragraph_close":
            index += 1
            continue
        opening.type, opening.tag = "figure_open", "figure"
        closing.type, closing.tag = "figure_close", "figure"
        caption = _caption(image, inline.level)
        tokens[index + 2 : index + 2] = caption
        index += 3 + len(caption)


def figure_plugin(md: MarkdownIt) -> None:
    # After inline parsing, so the paragraph's children (the image) are known.
    md.core.ruler.push("figures", make_figures)
