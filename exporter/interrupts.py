"""SIGINT and SIGTERM, and the processes the exporter starts.

In the command's process, the first signal raises ``Interrupted`` in the main thread: the
run stops its workers, removes its temporaries, keeps the manifest records of what
finished, prints its summary and exits 128 + the signal's number (130, 143). A second
signal ends the process at once: the workers are killed, the temporaries removed, and
nothing else is waited for.

Every process the exporter starts calls ``as_child`` first. On Linux it asks the kernel
to kill it when its parent dies (``PR_SET_PDEATHSIG``, prctl(2)), however the parent dies:
``kill -9`` included, which no handler sees. It ignores SIGINT, which a terminal sends to
the whole process group: its parent decides when it stops. A pool worker that gets SIGTERM
(its parent stopping it) removes its temporaries and exits.

A step that changes the output folder (outputs renamed into place and their manifest
record) runs ``deferred``: a signal waits until the step is whole.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from . import staging

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class Interrupted(BaseException):
    """A signal asked the run to stop. Derives from ``BaseException`` so that no ``except
    Exception`` on the way swallows it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def status(self) -> int:
        return 128 + self.signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


class _State:
    def __init__(self) -> None:
        self.stopping: int | None = None  # the first signal, once one came
        self.deferring = 0
        self.pending: int | None = None
        self.folders: list[Path] = []  # output folders to clear of temporaries at once
        self.in_child = False
        self.announce: bytes | None = None  # the line a second signal prints


_STATE = _State()


@contextlib.contextmanager
def stop_on_signals(announce: str) -> Iterator[None]:
    """The command's handling of SIGINT and SIGTERM (see the module's docstring); in the
    main thread only, where Python runs signal handlers. ``announce`` is the line a second
    signal prints, ``{signal}`` standing for its name."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _on_signal) for signum in _SIGNALS}
    _STATE.__init__()  # type: ignore[misc]
    _STATE.announce = announce.encode("utf-8", "replace")
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _STATE.__init__()  # type: ignore[misc]


def clear_on_exit(folder: Path) -> None:
    """A folder whose unheld temporaries a sudden exit removes (the workers' ones)."""
    _STATE.folders.append(folder)


def _on_signal(signum: int, frame: object) -> None:
    if _STATE.stopping is not None:
        end_now(signum)
    _STATE.stopping = signum
    if _STATE.deferring:
        _STATE.pending = signum
        return
    if _STATE.in_child and not staging.holds_parts():
        os._exit(128 + signum)  # a worker between exports: nothing to clean up
    raise Interrupted(signum)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Run the block whole: a signal that comes meanwhile is acted on when it ends."""
    _STATE.deferring += 1
    try:
        yield
    finally:
        _STATE.deferring -= 1
        if not _STATE.deferring and _STATE.pending is not None:
            signum, _STATE.pending = _STATE.pending, None
            raise Interrupted(signum)


def end_now(signum: int) -> None:
    """Out at once: children killed, temporaries removed, exit 128 + ``signum``."""
    multiprocessing = sys.modules.get("multiprocessing")
    children = multiprocessing.active_children() if multiprocessing else []
    for child in children:
        with contextlib.suppress(OSError):
            child.kill()
    for child in children:
        child.join(2)
    staging.release_all()
    for folder in _STATE.folders:
        staging.remove_leftovers(folder)
    if _STATE.announce and not _STATE.in_child:
        line = _STATE.announce.replace(b"{signal}", signal.Signals(signum).name.encode())
        with contextlib.suppress(OSError):
            os.write(2, line + b"\n")
    os._exit(128 + signum)


@contextlib.contextmanager
def children_start_quietly() -> Iterator[None]:
    """Start child processes inside this block: they inherit SIGINT and SIGTERM blocked,
    so that neither interrupts them before ``as_child`` has set what each does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def as_child(parent: int, *, clean_up_on_term: bool) -> None:
    """The first thing a child process does (see the module's docstring). ``parent`` is
    the process id of the process that started it."""
    _die_with(parent)
    _STATE.__init__()  # type: ignore[misc]  (a forked child has its parent's)
    _STATE.in_child = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_signal if clean_up_on_term else signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)


def _die_with(parent: int) -> None:
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def in_child() -> bool:
    return _STATE.in_child
