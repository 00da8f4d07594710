"""Hypothesis strategies for technical tokens of every class the bidi pass isolates, and for
Arabic sentences that hold one, with the sentence's punctuation and brackets around it."""

from __future__ import annotations

from hypothesis import strategies as st

ARABIC_WORDS = ["نكتب", "الملف", "في", "على", "الموقع", "صدر", "الإصدار", "مرحبا", "سارة",
                "كتابٌ", "الجديدُ", "تُطبع", "قال", "ثم", "إصلاح"]  # fmt: skip
# Glued to the token's start, as Arabic writes و, ب, ل before a Latin name.
PREFIXES = ["", "", "", "و", "ب", "لـ"]
# The sentence's punctuation after a token, and the pairs around it: never the token's.
AFTER = ["", "", ".", "،", ",", ":", "؛", "!", "؟", ";", "..."]
AROUND = [("", ""), ("", ""), ("(", ")"), ("«", "»"), ('"', '"'), ("'", "'"), ("[", "]")]
# A Latin word or a number next to the token, across a space: a phrase it may belong to.
NEIGHBOURS = ["", "", "", "Python ", "macOS ", "2020 ", "٣٤ ", "۱۴۰۲ "]

_name = st.from_regex(r"[A-Za-z][a-z0-9]{0,6}", fullmatch=True)
_segment = st.from_regex(r"[a-z0-9]{1,6}(?:[.-][a-z0-9]{1,4})?", fullmatch=True)
_label = st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True)
_host = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(_label, min_size=1, max_size=3),
    st.from_regex(r"[a-z]{2,6}", fullmatch=True),
)
_digits = st.integers(0, 9999).map(str)

identifiers = st.one_of(
    st.builds(lambda n, s: n + s, _name, st.sampled_from(["++", "+", "#"])),
    st.builds(lambda n: "." + n, _name),
    st.builds(lambda mark, n: mark + n[0].upper() + n[1:], st.sampled_from("@#"), _name),
    st.builds(lambda n: n + "()", _name),
)
phones = st.builds(
    lambda cc, groups, sep: "+" + str(cc) + "".join(sep + g for g in groups),
    st.integers(1, 999),
    st.lists(st.from_regex(r"[0-9]{3,4}", fullmatch=True), min_size=2, max_size=3),
    st.sampled_from([" ", "-"]),
).filter(lambda phone: 7 <= sum(c.isdigit() for c in phone) <= 15)
timestamps = st.builds(
    lambda y, mo, d, h, mi, s, zone: f"{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}{s}{zone}",
    st.integers(1900, 2099), st.integers(1, 12), st.integers(1, 28), st.integers(0, 23),
    st.integers(0, 59), st.sampled_from(["", ":00", ":59", ":30.250"]),
    st.sampled_from(["", "Z", "+02:00", "-05:00", "+0530"]),
)  # fmt: skip
unix_paths = st.builds(
    lambda start, segments, end: start + "/" + "/".join(segments) + end,
    st.sampled_from(["", "~", ".", ".."]),
    st.lists(_segment, min_size=1, max_size=4),
    st.sampled_from(["", "/"]),
).filter(lambda path: any(c.isalpha() for c in path))
windows_paths = st.builds(
    lambda drive, segments: drive + ":\\" + "\\".join(segments),
    st.sampled_from("CDE"),
    st.lists(st.from_regex(r"[A-Za-z][a-z0-9]{0,6}", fullmatch=True), min_size=1, max_size=3),
)
urls = st.builds(
    lambda scheme, host, path, query: scheme + host + path + query,
    st.sampled_from(["https://", "http://", "ftp://", "www."]),
    _host,
    st.lists(_segment, max_size=3).map(lambda parts: "".join("/" + p for p in parts)),
    st.sampled_from(["", "/", "?q=1", "?a=b&lang=ar", "#part"]),
)
emails = st.builds(
    lambda user, extra, host: user + extra + "@" + host,
    _name,
    st.sampled_from(["", ".ali", "+news", "_2"]),
    _host,
)
versions = st.builds(
    lambda v, parts, suffix: v + ".".join(parts) + suffix,
    st.sampled_from(["", "v"]),
    st.lists(_digits, min_size=3, max_size=4),
    st.sampled_from(["", "-rc1", "-beta.2", "+build.5", "-alpha"]),
)
technical_tokens = st.one_of(
    identifiers, phones, timestamps, unix_paths, windows_paths, urls, emails, versions
)
arabic_phrases = st.lists(st.sampled_from(ARABIC_WORDS), min_size=1, max_size=3).map(" ".join)


@st.composite
def sentences(draw: st.DrawFn, tokens: st.SearchStrategy[str] = technical_tokens) -> tuple:
    """``(before, token, after)``: an Arabic sentence around one token, split at its edges."""
    token = draw(tokens)
    opening, closing = draw(st.sampled_from(AROUND))
    neighbour = draw(st.sampled_from(NEIGHBOURS))
    before = f"{draw(arabic_phrases)} {neighbour}{draw(st.sampled_from(PREFIXES))}{opening}"
    latin_after = draw(st.sampled_from(["", "", " Pro", " Linux"]))
    after = f"{closing}{draw(st.sampled_from(AFTER))}{latin_after} {draw(arabic_phrases)}"
    return before, token, after


# Inline code: Latin and Arabic words, operators and quotes, as a command or a line of code.
_CODE_PIECES = ["x", "=", "a", "+", "b", "name", "print('مرحبا')", '"سارة"', "git", "-m",
                "ls", "-la", "/tmp", "1", "2.5", "f(x)", "مرحبا", '"عالم"', ":", ",", ";", "[0]",
                "C++", "+20"]  # fmt: skip
code_texts = st.lists(st.sampled_from(_CODE_PIECES), min_size=1, max_size=6).map(" ".join)
