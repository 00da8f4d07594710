"""The PDF: an ``Article`` in, a PDF/A file with its copy-out text layer out, made by
WeasyPrint (patched only through ``exporter.engine``) and read back before it is kept."""
