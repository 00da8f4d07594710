"""``python -m exporter``: the same command line as ``exporter``."""

import sys

from .cli import main

sys.exit(main())
