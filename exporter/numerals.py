"""The numeral profile: which digits the numbers the tool generates are written in.

Folios, footnote calls, list markers, table-of-contents page numbers and dates follow the
profile; digits the author typed stay as typed.
"""

from __future__ import annotations

from .model import base_language

PROFILES = ("arabic-indic", "persian", "western")
_DIGITS = {
    "arabic-indic": "٠١٢٣٤٥٦٧٨٩",
    "persian": "۰۱۲۳۴۵۶۷۸۹",
    "western": "0123456789",
}
# The CSS counter style that writes each profile (CSS Counter Styles 3, section 6.1).
COUNTER_STYLES = {"arabic-indic": "arabic-indic", "persian": "persian", "western": "decimal"}


def default_profile(lang: str) -> str:
    language = base_language(lang)
    if language == "ar":
        return "arabic-indic"
    if language in {"fa", "ur"}:
        return "persian"
    return "western"


def to_digits(value: int | str, profile: str) -> str:
    """``value`` with its western digits written in the profile's digits."""
    return str(value).translate(str.maketrans("0123456789", _DIGITS[profile]))
