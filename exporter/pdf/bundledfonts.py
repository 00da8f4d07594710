"""WeasyPrint draws with the bundled fonts only, never with one the machine happens to have.

WeasyPrint's ``FontConfiguration`` loads fontconfig's configuration (``FcInitLoadConfigAndFonts``),
which reads the file named by ``FONTCONFIG_FILE`` at that moment, then adds each
``@font-face`` of the document to it. Created while that variable names
``fonts/fonts.conf``, a configuration with no font folder, it holds the declared faces and
nothing else: a character none of them draws comes out as a missing glyph (which the
glyph-coverage check reports before rendering) rather than from a system font, and the
same input gives the same PDF on every machine. The variable is set only while the
configuration is created and restored at once: a program that embeds the exporter keeps
its own fontconfig setting for everything else.
"""

from __future__ import annotations

import os
import threading

from ..bundle import FONTS_DIR

FONTCONFIG_FILE = FONTS_DIR / "fonts.conf"
# os.environ is one for the whole process: renders on several threads take turns.
_ENVIRONMENT = threading.Lock()


def bundled_font_config() -> object:
    """A WeasyPrint ``FontConfiguration`` that knows the document's declared faces only."""
    from weasyprint.text.fonts import FontConfiguration

    with _ENVIRONMENT:
        before = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)
        try:
            return FontConfiguration()
        finally:
            if before is None:
                del os.environ["FONTCONFIG_FILE"]
            else:
                os.environ["FONTCONFIG_FILE"] = before
