"""Block structure markdown-it leaves to us: images with captions (a paragraph that holds
nothing but an image becomes a ``<figure>`` whose ``<figcaption>`` is the image's
description, Pandoc's rule)."""

from __future__ import annotations

from markdown_it.token import Token


def _lone_image(inline: Token) -> Token | None:
    children = [
        c for c in inline.children or () if not (c.type == "text" and not c.content.strip())
    ]
    if len(children) == 1 and children[0].type == "image" and children[0].children:
        return children[0]
    return None


def make_figures(tokens: list[Token]) -> None:
    """Rewrite ``paragraph > image`` in place; the caption repeats the description as
    inline content, so emphasis and links in it survive."""
    index = 0
    while index + 2 < len(tokens):
        opening, inline, closing = tokens[index : index + 3]
        image = _lone_image(inline) if opening.type == "paragraph_open" else None
        if image is None or closing.type != "paragraph_close":
            index += 1
            continue
        opening.type, opening.tag = "figure_open", "figure"
        closing.type, closing.tag = "figure_close", "figure"
        caption = Token("inline", "", 0, children=list(image.children or ()), content=image.content)
        tokens[index + 2 : index + 2] = [
            Token("figcaption_open", "figcaption", 1, block=True),
            caption,
            Token("figcaption_close", "figcaption", -1, block=True),
        ]
        index += 6
