"""The PDF's copy-out text layer, as pure functions: the glyph runs WeasyPrint drew in, the
content-stream operations that give each word its ``/ActualText`` out. No WeasyPrint here."""
