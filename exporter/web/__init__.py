"""The web page: an ``Article`` in, one self-contained right-to-left HTML file out."""
