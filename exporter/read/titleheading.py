"""The heading that is the article's title.

An article written without front matter opens with its title as a heading, and the title
is then that heading's text (``read_metadata``'s fallback); many articles with front matter
open with their title as a heading too. The templates set the title in the title block, so
such a heading would print the title twice, and, as a ``#`` chapter, open a new page after
it in print. A body that opens with a heading whose text is the title has that heading taken
out: the title block stands for it, and takes its id, so that links to it still lead there.
"""

from __future__ import annotations

from markdown_it.token import Token

from ..model import Heading


def lift_title_heading(tokens: list[Token], headings: list[Heading], title: str) -> Heading | None:
    """Remove the heading that opens the body when its text is ``title``, from the tokens and
    from ``headings``; return it, or None when the body opens otherwise."""
    if len(tokens) < 3 or tokens[0].type != "heading_open" or not headings:
        return None
    heading = headings[0]  # the headings are listed in the order of the tokens
    if " ".join(heading.text.split()) != " ".join(title.split()):
        return None
    # A footnote called in the heading keeps its call in the text: the heading stays.
    if any(child.type == "footnote_ref" for child in tokens[1].children or ()):
        return None
    del tokens[:3]  # heading_open, inline, heading_close
    del headings[0]
    return heading
