"""The EPUB: an ``Article`` in, an EPUB 3.3 file out (chapters, navigation, cover, fonts,
metadata), written with ebooklib and repacked."""
