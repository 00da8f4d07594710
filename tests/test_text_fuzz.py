"""The PDF's copied text on text nobody chose (tests/text_strategy.py): each generated
article is exported to PDF and read back by poppler and PDFium, and every token of it
(punctuation, quotes, brackets and zero width non-joiners included) must come back in
order, every letter with it.

The articles are those within the text layer's reach: Arabic, Persian and Urdu words with
harakat, shadda, tanwin and ZWNJ, every punctuation mark around them, bold, italic and
links. Urdu is set in Nastaliq, whose glyphs go up and down the line: PDFium reads each
height as a line of its own, so Urdu is held to the target with poppler only.
``TEXT_FUZZ_REACH=all`` adds what PDFium does not yet copy out whole everywhere (numbers
with their signs and percent signs, Latin words and technical tokens beside punctuation,
inline code, harakat beside bold and italic), to measure it.

``make test`` runs a few examples; ``make fuzz-text`` runs many more
(``TEXT_FUZZ_EXAMPLES``). A failure found is kept as a case in tests/corpus/, which
tests/test_text_layer.py reads back like every other article there.
"""

from __future__ import annotations

import itertools
import os
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from exporter.options import make_options
from exporter.pdf.printhtml import render_print_html
from exporter.pdf.readback import logical_text
from exporter.pdf.writer import write_pdf
from exporter.read.parser import parse_article
from exporter.read.source import read_source
from tests.text_strategy import article
from tests.textscore import READERS, score

pytestmark = pytest.mark.slow  # each example is a PDF export

EXAMPLES = int(os.environ.get("TEXT_FUZZ_EXAMPLES", "10"))
WITHIN_REACH = os.environ.get("TEXT_FUZZ_REACH", "") != "all"
_numbers = itertools.count()


def export_pdf(text: str, folder: Path) -> tuple[Path, object]:
    """``text`` as an article exported to PDF in this process, and its logical text."""
    source = folder / f"article-{next(_numbers)}.md"
    source.write_text(text, encoding="utf-8")
    options = make_options()
    parsed = parse_article(read_source(source, max_size=options.max_size), options)
    html = render_print_html(parsed, options)
    pdf = source.with_suffix(".pdf")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the export's own check: the assertions below say more
        write_pdf(parsed, pdf, options, print_html=html)
    return pdf, logical_text(html)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=article(within_reach=WITHIN_REACH))
def test_every_token_of_any_article_copies_out_in_order(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    pdf, reference = export_pdf(text, tmp_path_factory.mktemp("fuzz"))
    readers = ("poppler",) if "\nlang: ur\n" in text and WITHIN_REACH else ("poppler", "pdfium")
    for reader in readers:
        found = score(reference, READERS[reader](pdf))
        assert found.tokens >= 0.99 and found.letters == 1.0, (reader, found, text)
        assert not found.presentation_forms, (reader, found.presentation_forms)
