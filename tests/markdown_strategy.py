"""Hypothesis strategies for Markdown articles, friendly and hostile: pieces of real
Markdown (headings, lists, quotes, tables, footnotes, images, links, attributes, code) and
raw HTML, in Arabic and Latin, glued together with runs of the characters that trouble
parsers and writers (brackets, emphasis marks, angle brackets, controls, bidi marks)."""

from __future__ import annotations

from hypothesis import strategies as st

WORDS = ["نص", "عربي", "الطاقة", "قوية", "WeasyPrint", "EPUB", "٣٤", "2024", "ف", "و",
         "لا", "مرحبًا", "Ünïcødé", "x"]  # fmt: skip
PIECES = [
    "\n\n", "\n", " ", "# ", "## ", "### ", "> ", "- ", "* ", "1. ", "    ", "```\n",
    "```python\n", "`", "**", "*", "_", "__", "~~", "[", "]", "(", ")", "![", "](", "!",
    "[^1]", "[^2]", "\n\n[^1]: ", "\n\n[^2]: ", "{#id}", "{.cls}", "{#x onclick=y}",
    "| a | b |\n|---|:-:|\n| ١ | ٢ |\n", "---\n", "***\n", "\\", "&amp;", "&#x202e;", "&",
    "<", ">", "<div>", "</div>", "<span dir=\"ltr\">", "</span>", "<b>", "</b>", "<p>",
    "<br>", "<img src=\"pic.png\" alt=\"ص\">", "<img src=\"../outside.png\">",
    "<script>alert(1)</script>", "<style>p{}</style>", "<a href=\"javascript:x\">j</a>",
    "<a href=\"#missing\">m</a>", "<!-- c -->", "<iframe src=x>", "<svg><circle/></svg>",
    "![ص](pic.png)", "![s](vector.svg)", "![x](missing.png)", "![y](http://example.invalid/a.png)",
    "[رابط](https://example.com/a?b=c&d=e)", "[r](#missing)", "[r](other.md)", "<https://a.b>",
    "\u202e", "\u2066", "\u2069", "\u200f", "\u200d", "\u0640", "\u064b", "\t", "\x07", "\u00a0",
]  # fmt: skip

FRONT_MATTER = st.sampled_from(
    ["", "---\ntitle: عنوان\n---\n", "---\ntitle: T\nlang: en\n---\n",
     "---\ntitle: عنوان\ndate: 2024-02-29\nauthor: [أ, ب]\nnumerals: persian\n---\n",
     "---\ntitle: [\n---\n", "---\ntitle: 3\nkeywords: 4\n---\n", "---\n---\n",
     "---\ntitle: 'عنوان'\nlang: fa\ndir: rtl\n---\n"]
)  # fmt: skip

_piece = st.one_of(
    st.sampled_from(PIECES),
    st.sampled_from(WORDS).map(lambda word: word + " "),
    st.text(alphabet="[]*_`<>!#()\\ ا ب", min_size=1, max_size=40),
)
markdown_bodies = st.lists(_piece, min_size=1, max_size=60).map("".join)
articles = st.tuples(FRONT_MATTER, markdown_bodies).map("".join)
