"""Technical tokens in Latin script: strings a reader must see exactly as typed, with the
punctuation that belongs to them, even inside right-to-left text.

The Unicode bidi algorithm resolves a weak or neutral character at the edge of a
left-to-right word by its neighbours (UAX #9, W1-W7 and N1-N2). Inside an Arabic sentence
the "++" of "C++" (ES), the leading "." of ".NET" (CS), the "/" that opens a path and the
"+" of a phone number take the sentence's direction, and a run of digit groups after an
Arabic letter turns into Arabic numbers (W2) that the spaces between them cannot join:
"+20 10 1234 5678" comes out "5678 1234 10 20+". The bidi pass makes each token found
here a left-to-right isolate (HTML's ``dir`` attribute; UAX #9, X5a-X5c), so that it is
laid out on its own, as written, and counts as one neutral character to the text around it.

What belongs to a token:
- identifiers: a trailing ``+``, ``++`` or ``#`` (C++, C#, OPEC+, Notepad++), a leading ``.``
  (.NET, .gitignore), ``@`` (a handle) or ``#`` (a hashtag), an empty ``()`` (print());
- paths: every segment, a trailing separator included (/usr/share/, ~/docs, C:\\Users\\);
- URLs and e-mail addresses: their characters (RFC 3986), a ``)`` only when the URL opened
  it, and a trailing ``/``;
- version strings: ``v1.2``, three or more numbers with dots, or with a pre-release or build
  suffix (3.12.0-rc1, 1.0.0+build.5);
- phone numbers: the ``+``, every digit group and the spaces, hyphens and parentheses
  between them (7 to 15 digits, as E.164 allows);
- ISO 8601 date and time: ``2026-11-20T09:30:00+02:00``, the offset or ``Z`` included.

What does not: the punctuation of the sentence after a token (the period after a URL, a
comma, a closing quote or bracket it did not open), and anything outside ASCII, so an Arabic
comma or letter always ends a token. Plain numbers, dates without a time, percentages and
signed numbers are not tokens: they follow the bidi algorithm, as the README says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class TechnicalToken:
    start: int  # index of its first character in the text
    end: int  # index just past its last character
    kind: str  # "url", "email", "timestamp", "phone", "path", "version" or "identifier"


# A token starts where no word or token it could belong to goes on: not after a Latin
# letter, a digit or a character that joins the parts of a token.
_START = re.compile(r"(?<![A-Za-z0-9_./\\@+#%&=?~:-])[A-Za-z0-9.~/\\@#+]")
# Nor does it stop inside a Latin word or number.
_WORD_CHAR = re.compile(r"[A-Za-z0-9_]")

_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"  # RFC 3986, 2.2 and 2.3
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_DOMAIN = rf"(?:{_LABEL}\.)+[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?"  # its last label a name
_SEGMENT = r"[A-Za-z0-9._~+@%$-]"
_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"

# Tried in this order at each start; the first that fits wins.
_PATTERNS = (
    ("url", re.compile(rf"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.){_URL_CHARS}+")),
    ("url", re.compile(rf"{_DOMAIN}(?::[0-9]+)?/{_URL_CHARS}*")),
    ("email", re.compile(rf"(?:mailto:)?[A-Za-z0-9][A-Za-z0-9_.%+-]*@{_DOMAIN}")),
    (
        "timestamp",
        re.compile(
            r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?"
            r"(?:[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?"
        ),
    ),
    ("phone", re.compile(r"\+[0-9]{1,4}(?:[ -]?(?:\([0-9]{1,5}\)|[0-9]{1,5}))*")),
    ("path", re.compile(rf"[A-Za-z]:\\(?:{_SEGMENT}+\\?)*|\\\\{_SEGMENT}+(?:\\{_SEGMENT}*)+")),
    ("path", re.compile(rf"(?:~|\.{{1,2}})?/(?:{_SEGMENT}+/?)*")),
    (
        "version",
        re.compile(
            r"[vV]?[0-9]+(?:\.[0-9]+)+"
            r"(?:-[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?(?:\+[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?"
        ),
    ),
    (
        "identifier",
        re.compile(
            rf"\.[A-Za-z][A-Za-z0-9_]*(?:[.-][A-Za-z0-9_]+)*"  # .NET, .tar.gz
            rf"|[@#][A-Za-z][A-Za-z0-9_]*"  # @handle, #hashtag
            rf"|{_IDENT}(?:\.{_IDENT})*\(\)"  # print(), os.getcwd()
            rf"|[A-Za-z][A-Za-z0-9_]*(?:[.-][A-Za-z0-9_]+)*(?:\+\+[0-9]*|\+|#)"  # C++, C#, OPEC+
        ),
    ),
)
# The sentence's punctuation, never the end of a URL or a path.
_SENTENCE_END = ".,:;!?'\"*"
_PAIRS = {")": "(", "]": "["}
_PHONE_DIGITS = range(7, 16)  # ITU-T E.164: at most 15 digits; fewer than 7 is a number
_COMPACT_PHONE = 10  # digits that make a "+" number without separators a phone number


def find_tokens(text: str) -> list[TechnicalToken]:
    """Every technical token of ``text``, in order, none overlapping."""
    found: list[TechnicalToken] = []
    position = 0
    for start in _START.finditer(text):
        if start.start() < position:
            continue
        token = _token_at(text, start.start())
        if token:
            found.append(token)
            position = token.end
    return found


def _token_at(text: str, start: int) -> TechnicalToken | None:
    for kind, pattern in _PATTERNS:
        match = pattern.match(text, start)
        if not match:
            continue
        end = _trimmed_end(text, start, match.end(), kind)
        if end > start and _ends_cleanly(text, end) and _fits(kind, text[start:end]):
            return TechnicalToken(start, end, kind)
    return None


def _trimmed_end(text: str, start: int, end: int, kind: str) -> int:
    """Leave the sentence's punctuation out of a URL or a path, and a closing bracket the
    token did not open. A path that ends in ``..`` names the folder above, but a run of
    three dots after it is an ellipsis, and ``/srv/data/.`` ends a sentence."""
    if kind not in {"url", "path"}:
        return end
    while end > start and text[end - 1] != "." and _left_out(text[start:end]):
        end -= 1
    if kind == "path" and re.split(r"[/\\]", text[start:end])[-1] == "..":
        return end
    while end > start and _left_out(text[start:end]):
        end -= 1
    return end


def _left_out(token: str) -> bool:
    """Whether the token's last character belongs to the sentence rather than to it."""
    last, body = token[-1], token[:-1]
    if last in _PAIRS:
        return body.count(_PAIRS[last]) <= body.count(last)
    return last in _SENTENCE_END


def _ends_cleanly(text: str, end: int) -> bool:
    return end == len(text) or not _WORD_CHAR.match(text, end)


def _fits(kind: str, token: str) -> bool:
    if kind == "phone":
        digits = sum(char.isdigit() for char in token)
        separated = any(char in " -(" for char in token)
        return digits in _PHONE_DIGITS and (separated or digits >= _COMPACT_PHONE)
    if kind == "path":  # a slash between words or numbers is no path; ../ and ~/ are
        return any(char.isalpha() for char in token) or token[0] in ".~"
    if kind == "version":
        # 3.12 is a number, 3.12-4 a range; v3.12, 3.12.1 and 3.12-rc1 are versions.
        core, suffix = re.match(r"([^-+]*)(.*)", token).groups()  # type: ignore[union-attr]
        return core[0] in "vV" or core.count(".") >= 2 or any(c.isalpha() for c in suffix)
    return True
