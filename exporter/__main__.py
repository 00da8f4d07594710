"""``python -m exporter``: the same command line as ``exporter``."""

from .cli import run

run()
