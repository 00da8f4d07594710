"""The heading that is the article's title.

An article written without front matter names its title in a heading, and the title is then
that heading's text (``read_metadata``'s fallback); many articles with front matter repeat
their title as a heading too. The templates set the title in the title block, so such a
heading would print the title twice, and, as a ``#`` chapter, open a new page after it in
print. The heading that stands for the title is the one the body opens with, or else the
body's only top-level ``#`` heading (an epigraph or a standfirst may come before it; with
several ``#`` chapters, none of them is the title). When its text is the title it is taken
out: the title block stands for it, and takes its id, so that links to it still lead there.
"""

from __future__ import annotations

from markdown_it.token import Token

from ..model import Heading


def _heading_starts(tokens: list[Token]) -> list[int]:
    """The index of each heading's opening token, in the order ``headings`` lists them."""
    return [index for index, token in enumerate(tokens) if token.type == "heading_open"]


def title_heading_of(tokens: list[Token], headings: list[Heading]) -> Heading | None:
    """The heading that stands for the title: the body's opening one, else its only
    top-level ``#`` heading; None when there is neither."""
    starts = _heading_starts(tokens)
    if not starts:
        return None
    if starts[0] == 0:
        return headings[0]
    chapters = [
        number
        for number, start in enumerate(starts)
        if tokens[start].tag == "h1" and tokens[start].level == 0
    ]
    return headings[chapters[0]] if len(chapters) == 1 else None


def lift_title_heading(tokens: list[Token], headings: list[Heading], title: str) -> Heading | None:
    """Remove the heading that stands for the title when its text is ``title``, from the
    tokens and from ``headings``; return it, or None when none does."""
    heading = title_heading_of(tokens, headings)
    if heading is None or " ".join(heading.text.split()) != " ".join(title.split()):
        return None
    number = headings.index(heading)
    start = _heading_starts(tokens)[number]
    # A footnote called in the heading keeps its call in the text: the heading stays.
    if any(child.type == "footnote_ref" for child in tokens[start + 1].children or ()):
        return None
    del tokens[start : start + 3]  # heading_open, inline, heading_close
    del headings[number]
    return heading
