"""Stop an export that runs past ``--timeout``.

WeasyPrint offers no way to cancel a rendering, so the clock is a POSIX interval timer:
when it fires, the signal handler raises in the main thread at the next Python
instruction, wherever the export is (parsing, layout, writing). The exception derives
from ``BaseException`` so that no ``except Exception`` inside a library swallows it, and
it leaves ``build.export_one`` through its cleanup, so no partial file stays behind. This
works in the command line and in each worker of a process pool, since both run exports
in their main thread; called from another thread, the export runs without a time limit.
A single call into C (one Pango layout, one regular expression) is not interrupted, and
the limits in ``read/limits.py`` keep those calls short.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

from .errors import LimitError


class _Expired(BaseException):
    pass


def _expire(signum: int, frame: object) -> None:
    raise _Expired


@contextlib.contextmanager
def time_limit(seconds: float, path: Path | None = None) -> Iterator[None]:
    """Run the block for at most ``seconds`` (0: no limit), else ``LimitError``."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if seconds <= 0 or not usable:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Expired:
        raise LimitError(
            f"the export took longer than {seconds:g} s and was stopped (raise --timeout)",
            path=path,
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
