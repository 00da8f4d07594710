"""The archival side of the PDF: the variant, the identifier, and complete XMP metadata.

The default is PDF/A-3u. Level "u" promises that every glyph maps to Unicode; WeasyPrint
alone leaves some ToUnicode entries empty (a second glyph in a shaping cluster maps to
nothing), and ``actualtext.py`` fills them, besides giving each word its exact text. Part
3 is the part that may carry the Markdown source as an embedded file (ISO 19005-3, 6.8).
Level "a" would claim a logical structure fit for every reader; WeasyPrint's tags are not
checked against it here (no validator is reachable), so we do not claim it.
"""

from __future__ import annotations

import io

from .model import Article

DEFAULT_VARIANT = "pdf/a-3u"
NO_VARIANT = "none"
# WeasyPrint 70's variants (weasyprint.pdf.VARIANTS), named here so that validating an
# option does not import WeasyPrint.
VARIANTS = (
    "pdf/a-1b", "pdf/a-2b", "pdf/a-3b", "pdf/a-2u", "pdf/a-3u", "pdf/a-4u",
    "pdf/a-1a", "pdf/a-2a", "pdf/a-3a", "pdf/a-4e", "pdf/a-4f",
    "pdf/ua-1", "pdf/ua-2", "pdf/x-1a", "pdf/x-3", "pdf/x-4", "pdf/x-5g",
    NO_VARIANT,
)  # fmt: skip


def weasyprint_variant(variant: str) -> str | None:
    return None if variant == NO_VARIANT else variant


def pdf_identifier(identifier: str) -> bytes:
    """The first half of the trailer's ``/ID`` (ISO 32000-1, 14.4): the article's own
    identifier, so that it is the same on every build."""
    return identifier.encode("utf-8")


def complete_metadata(pdf_bytes: bytes, article: Article, identifier: str) -> bytes:
    """Add to the XMP packet what WeasyPrint leaves out: the language, the identifier and
    the keywords as subjects. The document information dictionary is left as WeasyPrint
    wrote it (it matches the XMP, as PDF/A asks: ISO 19005-3, 6.6.2.3)."""
    import pikepdf

    meta = article.metadata
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        # Not as editor: pikepdf would stamp its name and the clock's time.
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["dc:language"] = [meta.lang]
            xmp["dc:identifier"] = identifier
            xmp["xmpMM:DocumentID"] = identifier
            if meta.keywords:
                xmp["dc:subject"] = list(meta.keywords)
            if meta.publisher:
                xmp["dc:publisher"] = [meta.publisher]
            if meta.rights:
                xmp["dc:rights"] = meta.rights
        _list_each_file_once(pdf)
        out = io.BytesIO()
        # The first /ID is kept; the second is computed from the content, not the clock.
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def _list_each_file_once(pdf: object) -> None:
    """WeasyPrint 70 lists each attachment twice in the catalog's ``/AF`` (once from the
    name tree, once from its file specifications); one entry per file is meant."""
    import pikepdf

    files = pdf.Root.get("/AF")  # type: ignore[attr-defined]
    if files is None:
        return
    seen: set[tuple[int, int]] = set()
    unique = []
    for spec in files:
        if spec.objgen not in seen:
            seen.add(spec.objgen)
            unique.append(spec)
    pdf.Root.AF = pikepdf.Array(unique)  # type: ignore[attr-defined]
