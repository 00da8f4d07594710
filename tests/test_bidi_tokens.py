"""Technical tokens: what ``bidi/tokens.py`` finds in a sentence, with which punctuation,
and what the bidi pass makes of each (one left-to-right isolate around the whole token)."""

from __future__ import annotations

from html import escape as html_escape

import nh3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from exporter.bidi.markup import apply_bidi_pass
from exporter.bidi.tokens import find_tokens
from tests.token_strategy import sentences


def tokens_in(text: str) -> list[str]:
    return [text[token.start : token.end] for token in find_tokens(text)]


FOUND = [
    # Identifiers: the +, ++, # after the name and the . @ # before it are theirs.
    ("نكتب بلغة C++ كل يوم.", ["C++"]),
    ("نستخدم C#، وأحيانًا F#.", ["C#", "F#"]),
    ("منصة .NET مفتوحة.", [".NET"]),
    ("قرار OPEC+: رفع الإنتاج", ["OPEC+"]),
    ("حرّرنا بـNotepad++ وg++ وC++20.", ["Notepad++", "g++", "C++20"]),
    ("أضف .gitignore و.tar.gz", [".gitignore", ".tar.gz"]),
    ("تابعوا @Reuters و#OpenSource؟", ["@Reuters", "#OpenSource"]),
    ("الدالة print() ثم os.getcwd().", ["print()", "os.getcwd()"]),
    # Phone numbers: the + and every group, spaces, hyphens and brackets between them.
    ("الرقم +20 10 1234 5678 للتواصل.", ["+20 10 1234 5678"]),
    ("اتصل على +1 (202) 555-0143، أو +44 20 7946 0958.", ["+1 (202) 555-0143", "+44 20 7946 0958"]),
    ("الرقم +966501234567 صالح", ["+966501234567"]),
    # ISO 8601 date and time, its offset or Z included.
    ("الموعد 2026-11-20T09:30:00+02:00.", ["2026-11-20T09:30:00+02:00"]),
    ("بدأ 2025-03-09T14:05Z، وانتهى 2024-02-29T23:59:59.5-05:00.",
     ["2025-03-09T14:05Z", "2024-02-29T23:59:59.5-05:00"]),
    # Paths: a trailing separator is theirs, the sentence's period is not.
    ("الخطوط في /usr/share/fonts/truetype.", ["/usr/share/fonts/truetype"]),
    ("المجلد ~/projects/exporter/ و./build و../x:", ["~/projects/exporter/", "./build", "../x"]),
    # Found by the property below: a full stop after a separator ends the sentence; .. is
    # the folder above.
    ("حفظنا في /srv/data/. ثم في ../. وفي /usr/..", ["/srv/data/", "../", "/usr/.."]),
    ("راجع /var/log/... ثم /a/..، ثم", ["/var/log/", "/a/.."]),
    ("احفظ في C:\\Users\\Sara\\file.txt، أو \\\\server\\share.",
     ["C:\\Users\\Sara\\file.txt", "\\\\server\\share"]),
    # URLs: a ) the URL opened is its own, the sentence's punctuation never.
    ("زر https://example.com/docs/start. ثم", ["https://example.com/docs/start"]),
    ("(انظر https://en.example.org/wiki/Foo_(bar))", ["https://en.example.org/wiki/Foo_(bar)"]),
    ("الموقع www.example.net/path?q=1&lang=ar، و«example.org/a/»",
     ["www.example.net/path?q=1&lang=ar", "example.org/a/"]),
    ("الملفات على ftp://files.example.org/pub/!", ["ftp://files.example.org/pub/"]),
    # E-mail addresses.
    ("راسلونا على sara.ahmad+news@example.co.uk، وسنرد", ["sara.ahmad+news@example.co.uk"]),
    ("الرابط mailto:info@example.net.", ["mailto:info@example.net"]),
    # Versions: with a v, three numbers or more, or a suffix with a letter.
    ("صدر 3.12.0-rc1 وv2.4 و1.0.0+build.5 و10.15.7.",
     ["3.12.0-rc1", "v2.4", "1.0.0+build.5", "10.15.7"]),
]  # fmt: skip
NOT_FOUND = [
    # Numbers follow the bidi algorithm: plain, decimal, signed, percentages, dates, ranges.
    "ارتفع 2.8% و+182.4 و-5 و−3 في 2026-11-20 و20/11/2026 و1,234.5 و3.12 و3.12-4",
    "وبأرقام عربية ٣٫٥٪ و٢٠٢٦/١١/٢٠ و+٢٠",
    # Too few digits for a phone number, and a signed number without separators.
    "الفرق +5 و+20 10 و+1234567",
    # A + or / between words, a slash between Arabic words or numbers, a Latin word alone.
    "a+b و km/h و TCP/IP و و/أو و 2019/2021 و Apple و ASP.NET و UTF-8 و x86-64",
    # A slash with no letter after it, and a # before a number.
    "القسمة / ثم / 2021 والرقم #1",
]


@pytest.mark.parametrize(("text", "expected"), FOUND)
def test_tokens_found_with_their_punctuation(text: str, expected: list[str]) -> None:
    assert tokens_in(text) == expected


@pytest.mark.parametrize("text", NOT_FOUND)
def test_numbers_and_words_are_not_tokens(text: str) -> None:
    assert tokens_in(text) == []


@settings(max_examples=400, deadline=None)
@given(sentences())
def test_a_token_in_a_sentence_is_found_whole(parts: tuple[str, str, str]) -> None:
    """Whatever class, prefix, brackets and punctuation: the token, and only the token."""
    before, token, after = parts
    assert tokens_in(before + token + after) == [token]


def escape(text: str) -> str:
    return html_escape(text, quote=False)


MARKUP = [("", ""), ("<b>", "</b>"), ("<i>", "</i>"), ('<a href="u">', "</a>")]


@settings(max_examples=200, deadline=None)
@given(sentences(), st.sampled_from(MARKUP), st.integers(0, 3))
def test_the_pass_isolates_each_token_whole(
    parts: tuple[str, str, str], markup: tuple[str, str], cut: int
) -> None:
    """The pass puts the whole token, and nothing else, in one ``<span dir="ltr">``, even
    when an element starts or ends inside it; the text is kept and the HTML well formed."""
    before, token, after = parts
    opening, closing = markup
    cut = min(cut, len(token))  # the element ends this many characters into the token
    inside = f"{opening}{escape(before[-3:] + token[:cut])}{closing}{escape(token[cut:])}"
    fragment = nh3.clean(f"<p>{escape(before[:-3])}{inside}{escape(after)}</p>")
    tree = etree.fromstring(f"<div>{apply_bidi_pass(fragment, lang='ar', direction='rtl')}</div>")
    assert "".join(tree.itertext()) == before + token + after
    isolates = ["".join(span.itertext()) for span in tree.iter("span") if span.get("dir") == "ltr"]
    assert token in isolates
