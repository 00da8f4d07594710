"""Hypothesis strategies for text nobody chose: paragraphs of Arabic, Persian and Urdu words
(harakat, shadda, tanwin, zero width non-joiners), their punctuation, digits of three
kinds with signs and percentages, Latin words and technical tokens, inside bold, italic,
inline code and links; an article of such paragraphs in Markdown."""

from __future__ import annotations

from hypothesis import strategies as st

ZWNJ = "\u200c"
HARAKAT = "\u064e\u064f\u0650\u0652"  # fatha, damma, kasra, sukun
TANWIN = "\u064b\u064c\u064d"
SHADDA = "\u0651"

ARABIC_WORDS = ["كتاب", "الكتاب", "مدرسة", "قال", "في", "من", "على", "العلم", "جزء", "السلام",
                "لأن", "إلى", "المؤتمر", "رئيس", "الاقتصاد", "مسؤول", "قرأ", "هذه"]  # fmt: skip
PERSIAN_WORDS = ["کتاب", "می" + ZWNJ + "گوید", "کتاب" + ZWNJ + "فروشی", "خانه" + ZWNJ + "ها",
                 "پژوهش", "گزارش", "چگونه", "آن" + ZWNJ + "ها", "نمی" + ZWNJ + "شود", "ژاله",
                 "یک", "است", "بزرگ" + ZWNJ + "ترین"]  # fmt: skip
URDU_WORDS = ["پاکستان", "ہے", "میں", "کے", "ٹیلی", "ڈاکٹر", "بڑا", "نہیں", "گھر", "ہوئے",
              "کتابیں", "اردو"]  # fmt: skip
LATIN_WORDS = ["Maria", "Lopez", "report", "Open", "Publishing", "data", "WeasyPrint"]
TECHNICAL_TOKENS = ["C++", "C#", ".NET", "OPEC+", "/usr/share/fonts/truetype", "C:\\Windows",
                    "https://example.com/docs/start", "info@example.com", "v2.4.1", "3.12.0",
                    "+20 10 1234 5678", "2026-11-20T09:30:00+02:00", "ISO 19005-3", "UTF-8",
                    "x86_64", "node.js"]  # fmt: skip

WESTERN, ARABIC_INDIC, PERSIAN = "0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹"

TRAILING = ["،", "؛", "؟", ".", ":", "!"]
ENCLOSING = [("«", "»"), ('"', '"'), ("'", "'"), ("(", ")"), ("[", "]")]


@st.composite
def vocalised(draw: st.DrawFn, word: str) -> str:
    """``word`` with some of its letters bearing a haraka, a shadda (with or without a
    haraka) or, on the last letter, a tanwin."""
    letters = []
    for number, letter in enumerate(word):
        if not "\u0621" <= letter <= "\u064a" or letter == "\u0627":
            letters.append(letter)
            continue
        last = number == len(word) - 1
        mark = draw(st.sampled_from(["", "", *HARAKAT, SHADDA, SHADDA + "\u064e",
                                     *(TANWIN if last else "")]))  # fmt: skip
        letters.append(letter + mark)
    return "".join(letters)


@st.composite
def number(draw: st.DrawFn) -> str:
    """A number in one of three kinds of digits: an integer, a decimal, with a sign, with a
    percent sign."""
    digits = draw(st.sampled_from([WESTERN, ARABIC_INDIC, PERSIAN]))
    whole = "".join(draw(st.lists(st.sampled_from(digits), min_size=1, max_size=4)))
    text = whole
    if draw(st.booleans()):
        separator = "." if digits == WESTERN else "٫"
        text += separator + draw(st.sampled_from(digits)) + draw(st.sampled_from(digits))
    shape = draw(st.sampled_from(["plain", "sign", "percent", "sign percent"]))
    if "sign" in shape:
        text = draw(st.sampled_from(["+", "-"])) + text
    if "percent" in shape:
        text += "%" if digits == WESTERN else "٪"
    return text


@st.composite
def rtl_word(draw: st.DrawFn, lang: str, vocalise: bool) -> str:
    """A word of the language; in Arabic, vocalised when ``vocalise`` (some words only)."""
    words = {"ar": ARABIC_WORDS, "fa": PERSIAN_WORDS, "ur": URDU_WORDS}[lang]
    word = draw(st.sampled_from(words))
    if lang == "ar" and vocalise and draw(st.integers(0, 3)) > 0:
        word = draw(vocalised(word))
    return word


# How often each kind of token comes, out of 16: a page of an Arabic-script article is
# mostly Arabic script (poppler takes a page whose letters are mostly Latin for a page of
# left-to-right text).
KINDS = ("word",) * 11 + ("number",) * 2 + ("latin", "technical", "technical")


@st.composite
def token(draw: st.DrawFn, lang: str, vocalise: bool, within_reach: bool) -> str:
    """One token of running text, with the punctuation that goes with it. Within reach of
    the text layer (``within_reach``), a word of the article's script: numbers, Latin words
    and technical tokens beside right-to-left text are not yet copied out whole by PDFium
    everywhere (tests/test_text_layer.py, ``SHORT_OF_TARGET``)."""
    kind = draw(st.sampled_from(("word",) if within_reach else KINDS))
    if kind == "number":
        text = draw(number())
    elif kind == "latin":
        text = draw(st.sampled_from(LATIN_WORDS))
    elif kind == "technical":
        text = draw(st.sampled_from(TECHNICAL_TOKENS))
    else:
        text = draw(rtl_word(lang, vocalise))
    if draw(st.integers(0, 4)) == 0:
        opening, closing = draw(st.sampled_from(ENCLOSING))
        text = opening + text + closing
    if draw(st.integers(0, 3)) == 0:
        text += draw(st.sampled_from(TRAILING))
    return text


def _marked_up(text: str, markup: str) -> str:
    if markup == "bold":
        return f"**{text}**"
    if markup == "italic":
        return f"*{text}*"
    if markup == "code":
        return f"`{text}`"
    if markup == "link":
        return f"[{text}](https://example.org/page)"
    return text


@st.composite
def paragraph(draw: st.DrawFn, lang: str, within_reach: bool = True) -> str:
    """A paragraph of 6 to 24 tokens, some marked up: markup goes around whole tokens,
    punctuation outside it, as a writer types it. Within reach of the text layer, a
    paragraph is either vocalised or marked up, never both (a raised haraka cuts PDFium's
    line, which then reads the boxes of bold, italic, code and links in the order drawn),
    and inline code holds no right-to-left text."""
    vocalise = lang == "ar" and draw(st.booleans())
    markups = ["none"] * 5 + ["bold", "italic", "code", "link"]
    if within_reach and vocalise:
        markups = ["none"]
    tokens = draw(st.lists(token(lang, vocalise, within_reach), min_size=6, max_size=24))
    pieces = []
    for text in tokens:
        markup = draw(st.sampled_from(markups))
        core, trailing = text, ""
        if markup != "code" and core[-1:] in TRAILING and len(core) > 1:
            core, trailing = core[:-1], core[-1]
        if markup in ("bold", "italic") and not core[:1].isalnum() and core[:1] not in "«(\"'[":
            markup = "none"  # emphasis that Markdown would not take as such
        if within_reach and markup == "code" and _right_to_left(core):
            markup = "none"
        pieces.append(_marked_up(core, markup) + trailing)
    return " ".join(pieces)


def _right_to_left(text: str) -> bool:
    return any("\u0600" <= char <= "\u06ff" for char in text)


@st.composite
def article(draw: st.DrawFn, within_reach: bool = True) -> str:
    """A Markdown article in Arabic, Persian or Urdu: front matter and 2 to 4 paragraphs,
    within reach of the text layer (``paragraph``) or not."""
    lang = draw(st.sampled_from(["ar", "fa", "ur"]))
    paragraphs = draw(st.lists(paragraph(lang, within_reach), min_size=2, max_size=4))
    front = f"---\ntitle: {draw(rtl_word(lang, False))}\nlang: {lang}\n---\n\n"
    return front + "\n\n".join(paragraphs) + "\n"
