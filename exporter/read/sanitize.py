"""Sanitise the body HTML: raw HTML in Markdown is untrusted, so only an allow-list of
elements and attributes survives (no script, style, frames, forms or event handlers)."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
     "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1",
     "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
     "pre", "q", "s", "samp", "section", "small", "span", "strong", "sub", "sup", "table",
     "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr", "aside"}
)  # fmt: skip
# Elements removed with everything inside them: their content is code, a document of its
# own or a form control, never text of the article. Other elements outside the allow-list
# (font, center, form...) are unwrapped: their text stays.
REMOVED_WITH_CONTENT = frozenset(
    {"script", "style", "template", "noscript", "iframe", "frame", "frameset", "noframes",
     "object", "embed", "applet", "svg", "math", "head", "title", "textarea", "select",
     "button", "xmp", "plaintext", "noembed"}
)  # fmt: skip
GLOBAL_ATTRIBUTES = {"id", "class", "dir", "lang", "title"}
# No `rel` anywhere: WeasyPrint embeds the target of `<a rel="attachment">` in the PDF.
# No `style` but on table cells, and there only text-align (markdown-it's column alignment).
ALLOWED_ATTRIBUTES = {
    "*": GLOBAL_ATTRIBUTES,
    "a": {"href", "role"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
ALLOWED_STYLE_PROPERTIES = {"text-align"}
# Relative URLs stay (resolved later); of the absolute ones only these schemes: no
# javascript:, vbscript:, data: (data:text/html is a document) or file:.
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        filter_style_properties=ALLOWED_STYLE_PROPERTIES,
        strip_comments=True,
        link_rel=None,
    )
