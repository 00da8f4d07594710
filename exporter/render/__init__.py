"""Rendering: an ``Article`` and a target (print, ebook, web) in, HTML out, through the
Jinja2 templates, with the fonts each target declares."""
