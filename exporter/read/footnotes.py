"""Footnotes: taken out of the token stream so that each target places them its own way
(page footnotes in print, ``<aside>`` notes in the EPUB, endnotes on the web)."""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from ..model import NOTE_CALL_CLASS, NOTE_LINK_CLASS, NOTE_LINK_ROLE, Footnote
from ..numerals import to_digits


def note_id(index: int) -> str:
    return f"fn-{index + 1}"


def call_id(index: int, sub_id: int) -> str:
    return f"fnref-{index + 1}" + (f"-{sub_id + 1}" if sub_id > 0 else "")


def install_call_renderer(md: MarkdownIt) -> None:
    """Render a call as a link to its note, its number in the document's digits
    (``env["numerals"]``); no brackets, as Arabic typesetting sets a raised number. The
    call carries the document's direction (``env["dir"]``): it is an isolate, so it
    follows the word before it in the reading order even after a Latin word, and a print
    note put in its place keeps the direction of the text."""

    def render_call(
        renderer: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        meta = tokens[idx].meta
        index, sub_id = meta["id"], meta.get("subId", 0)
        number = to_digits(index + 1, env.get("numerals", "western"))
        return (
            f'<sup class="{NOTE_CALL_CLASS}" dir="{env.get("dir", "rtl")}">'
            f'<a class="{NOTE_LINK_CLASS}" href="#{note_id(index)}" '
            f'id="{call_id(index, sub_id)}" role="{NOTE_LINK_ROLE}">{number}</a></sup>'
        )

    md.add_render_rule("footnote_ref", render_call)


def split_footnotes(
    md: MarkdownIt, tokens: list[Token], env: EnvType
) -> tuple[list[Token], tuple[Footnote, ...]]:
    """The body's tokens without the footnote block, and each note rendered alone."""
    try:
        start = next(i for i, t in enumerate(tokens) if t.type == "footnote_block_open")
    except StopIteration:
        return tokens, ()
    body, block = tokens[:start], tokens[start:]
    notes: list[Footnote] = []
    current: list[Token] = []
    index = -1
    for token in block:
        if token.type == "footnote_open":
            index, current = token.meta["id"], []
        elif token.type == "footnote_close":
            html = md.renderer.render(current, md.options, env).strip()
            notes.append(Footnote(number=index + 1, id=note_id(index), html=html))
        elif token.type != "footnote_anchor" and index >= 0:
            current.append(token)
    return body, tuple(sorted(notes, key=lambda note: note.number))
