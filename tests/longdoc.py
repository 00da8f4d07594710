"""A long Arabic document made from article.md's own sentences, recombined in a fixed order
(a seeded generator): chapters, sections, quotations, lists and page footnotes, so the
print layout meets everything a book meets, with real Arabic text."""

from __future__ import annotations

import random
import re
from pathlib import Path

ARTICLE = Path(__file__).resolve().parents[1] / "article.md"


def _article_parts() -> tuple[list[str], list[str]]:
    """The article's sentences and its heading texts, front matter and markup left out."""
    body = ARTICLE.read_text(encoding="utf-8").split("---", 2)[2]
    headings, sentences = [], []
    for line in body.splitlines():
        line = line.strip()
        if line.startswith("#"):
            headings.append(line.lstrip("# "))
        elif line:
            text = line.lstrip("->* ").strip()
            sentences.extend(part.strip() for part in re.split(r"(?<=[.؟?!:])\s+", text))
    return [s for s in sentences if len(s.split()) > 3], headings


def note_marker(number: int) -> str:
    """A Latin tag in each note, so a test can find the note's text on a page: letters
    only (FNxABC for 28), since a reader may swap a run of letters and a run of digits."""
    letters = ""
    for _ in range(3):
        number, rest = divmod(number, 26)
        letters = chr(ord("A") + rest) + letters
    return f"FNx{letters}"


def long_document(*, chapters: int = 30, sections: int = 4, paragraphs: int = 5) -> str:
    """Markdown for about 300 A5 pages with the defaults."""
    sentences, headings = _article_parts()
    pick = random.Random(20261128)
    lines = ["---", "title: كتاب الأزمة الفنزويلية، قراءات متتابعة", "paper: A5",
             "author: هيئة التحرير", "date: 2026-11-28", "---", ""]  # fmt: skip
    notes: list[str] = []
    for chapter in range(1, chapters + 1):
        lines += [f"# {pick.choice(headings)} ({chapter})", ""]
        for section in range(1, sections + 1):
            lines += [f"## {pick.choice(headings)} ({chapter}.{section})", ""]
            for paragraph in range(paragraphs):
                text = " ".join(pick.sample(sentences, pick.randint(4, 9)))
                if paragraph % 2 == 1:  # a page note about every other page
                    notes.append(" ".join(pick.sample(sentences, pick.randint(1, 3))))
                    words = text.split()
                    at = pick.randint(3, len(words) - 1)
                    text = " ".join([*words[:at], f"[^{len(notes)}]", *words[at:]])
                    text = text.replace(f" [^{len(notes)}]", f"[^{len(notes)}]")
                lines += [text, ""]
            if section == 2:
                lines += [f"> {pick.choice(sentences)}", ""]
            if section == 3:
                lines += [f"- {item}" for item in pick.sample(sentences, 3)] + [""]
    lines += [f"[^{n}]: {text} {note_marker(n)}" for n, text in enumerate(notes, 1)]
    return "\n".join(lines) + "\n"
