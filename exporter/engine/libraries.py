"""Pango, HarfBuzz and fontconfig found quickly while WeasyPrint loads them.

WeasyPrint 70 tries several names for each C library it needs (the Windows, macOS and
Linux ones, text/ffi.py), and cffi hands every name it cannot open at once to
``ctypes.util.find_library``. On Linux that function reads the dynamic linker's cache
(``ldconfig -p``) and, for a name not in it, runs gcc and then ld to search further
(ctypes/util.py). Most of the names looked up exist on no Linux system, so each of them
costs a gcc and an ld run, in every export that makes a PDF.

While WeasyPrint is imported, the same lookup is answered from the linker's cache read
once: the first library in it named ``lib<name>.`` and built for this machine, exactly
what ``find_library`` returns from the cache. The gcc and ld searches add only libraries
outside the cache, found through ``LD_LIBRARY_PATH`` or a compiler's own paths; when
``LD_LIBRARY_PATH`` is set, or on another system than x86-64 Linux, nothing changes.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import functools
import os
import platform
import re
import subprocess
import sys
from collections.abc import Iterator
from types import ModuleType

# How ldconfig names x86-64 libraries (the key ctypes/util.py uses for this machine).
_ABI = "libc6,x86-64"


@functools.cache
def _linker_cache() -> str | None:
    """The output of ``/sbin/ldconfig -p`` (the program and the locale ctypes uses), or
    None where it cannot be had."""
    try:
        done = subprocess.run(
            ["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=True, timeout=10,
            env={"LC_ALL": "C", "LANG": "C"},
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout


def find_in_linker_cache(name: str) -> str | None:
    """The soname ``find_library`` takes from the linker's cache for ``name``, if any."""
    listing = _linker_cache() or ""
    match = re.search(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({re.escape(_ABI)}", listing)
    return match.group(1) if match else None


def usable() -> bool:
    return (
        sys.platform == "linux"
        and platform.machine() == "x86_64"
        and not os.environ.get("LD_LIBRARY_PATH")
        and _linker_cache() is not None
    )


@contextlib.contextmanager
def quick_library_lookup() -> Iterator[None]:
    """Within the block, ``ctypes.util.find_library`` answers from the linker's cache."""
    if not usable():
        yield
        return
    standard = ctypes.util.find_library
    ctypes.util.find_library = find_in_linker_cache
    try:
        yield
    finally:
        ctypes.util.find_library = standard


def load_weasyprint() -> ModuleType:
    """WeasyPrint, imported the first time with the quick lookup; every module of ours
    that uses WeasyPrint gets it here first."""
    with quick_library_lookup():
        import weasyprint
    return weasyprint
