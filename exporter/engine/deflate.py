"""The PDF's streams compressed on every core, before pydyf writes them.

pydyf compresses each stream (zlib, level 9) as it writes the file, one after the other:
slow for a book, whose page contents the ``/ActualText`` spans make large. zlib lets
other threads run while it compresses, so here every stream pydyf would compress is
compressed first, on a thread per core, to the same bytes, and handed to pydyf as
already compressed.
"""

from __future__ import annotations

import functools
import os
import zlib
from concurrent.futures import ThreadPoolExecutor
from typing import Any

# pydyf's own choice (pydyf.Stream.data); zlib.compress at the same level and defaults
# gives the same bytes as its compressobj.
_LEVEL = 9


def compress_streams(pdf: Any) -> None:
    """A ``write_pdf`` finisher's work: compress what ``pdf.write`` would, in parallel."""
    import pydyf

    streams = [
        item for item in pdf.objects
        if isinstance(item, pydyf.Stream) and item.compress and "Filter" not in item.extra
    ]  # fmt: skip
    # As pydyf.Stream.data joins a stream's items; _to_bytes is how it turns each to bytes.
    contents = [b"\n".join(pydyf._to_bytes(item) for item in stream.stream) for stream in streams]
    compress = functools.partial(zlib.compress, level=_LEVEL)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        compressed = list(pool.map(compress, contents))
    for stream, data in zip(streams, compressed, strict=True):
        stream.stream = [data]
        stream.compress = False
        stream.extra["Filter"] = "/FlateDecode"  # where pydyf would have put it
