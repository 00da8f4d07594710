"""The Jinja2 environment and the context every template receives.

Templates hold every visible string (labels.json holds the ones in several languages);
Python passes values only.
"""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Literal, TypedDict

import jinja2
from markupsafe import Markup

from ..bundle import TEMPLATES_DIR
from ..model import Article, Heading, Metadata, TitleBlock, base_language
from ..numerals import COUNTER_STYLES, to_digits
from .linebreaks import unbroken_end
from .notes import BodyPart
from .pagesetup import PageSetup
from .runningheads import plain_isolated

if TYPE_CHECKING:
    from .typeset import Typeset

Target = Literal["print", "ebook", "web"]


class FontFaceRule(TypedDict):
    family: str
    weight: int
    style: str
    url: str
    format: str


class TemplateContext(TypedDict):
    target: Target
    meta: Metadata
    title_block: TitleBlock  # the title, subtitle and authors as shown (read/display.py)
    labels: dict[str, object]
    headings: tuple[Heading, ...]
    title_id: str | None  # the id of the heading the title block stands for, if any
    # The body (sanitised in parse, never raw input), cut into chapters on the web, each
    # part with the notes set after it (none in print, where they are in the body).
    parts: tuple[BodyPart, ...]
    toc: bool  # a table of contents after the title block (print and web)
    counter_style: str  # the CSS counter style that writes the numeral profile
    font_faces: list[FontFaceRule]
    typeset: Typeset  # the families and line heights the stylesheet sets
    stylesheet: Markup  # the target's CSS, rendered; empty when linked instead
    page: PageSetup | None  # paper, contents, bleed and marks: the print target only


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(["html", "xhtml", "j2"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["digits"] = to_digits
    env.filters["html"] = Markup  # for fragments the parser already sanitised
    env.filters["unbroken_end"] = unbroken_end  # a title's last two words kept together
    env.filters["plain_isolated"] = plain_isolated  # running heads and the drawn cover
    return env


@functools.cache
def all_labels() -> dict[str, dict[str, object]]:
    return json.loads((TEMPLATES_DIR / "labels.json").read_text(encoding="utf-8"))


def labels_for(lang: str) -> dict[str, object]:
    """The visible strings in the document's language, English when it has none."""
    table = all_labels()
    return table.get(base_language(lang), table["en"])


def make_context(
    article: Article,
    target: Target,
    *,
    parts: tuple[BodyPart, ...],
    font_faces: list[FontFaceRule],
    typeset: Typeset,
    page: PageSetup | None = None,
    toc: bool = False,
) -> TemplateContext:
    context = TemplateContext(
        target=target,
        meta=article.metadata,
        title_block=article.title_block,
        labels=labels_for(article.metadata.lang),
        headings=article.headings,
        title_id=article.title_id,
        parts=parts,
        toc=toc,
        counter_style=COUNTER_STYLES[article.metadata.numerals],
        font_faces=font_faces,
        typeset=typeset,
        stylesheet=Markup(""),
        page=page,
    )
    context["stylesheet"] = Markup(render_template(f"css/{target}.css.j2", context))
    return context


def render_template(name: str, context: TemplateContext) -> str:
    return environment().get_template(name).render(**context)
