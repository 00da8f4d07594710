"""The patches shared by the renders a process runs at once, on several threads.

A patch replaces a name of WeasyPrint's or pydyf's modules, which every thread sees. Were
each render to apply and restore the patches itself, a render ending first would restore
the names under another still running, and a render starting meanwhile would take the
patched names for the originals and put them back at its end, for good. So the first
patched render to start applies them, the last to end restores them; and a render that
wants WeasyPrint unpatched waits until no patched render is running (and the other way
round), since it would otherwise run with the patches of another.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack

Patches = Callable[[], list[AbstractContextManager[object]]]


class SharedPatches:
    """Renders in progress, all patched or all unpatched, and the patches while applied."""

    def __init__(self, patches: Patches) -> None:
        self._patches = patches
        self._changed = threading.Condition()
        self._patched = False  # what the renders in progress want
        self._renders = 0
        self._applied: ExitStack | None = None

    @contextlib.contextmanager
    def render(self, *, patched: bool) -> Iterator[None]:
        """One render, patched or not; the patches applied before it if it is the first,
        restored after it if it is the last, even when a patch or the render fails."""
        with self._changed:
            self._changed.wait_for(lambda: self._renders == 0 or self._patched == patched)
            if self._renders == 0 and patched:
                self._applied = _applied(self._patches())
            self._patched = patched
            self._renders += 1
        try:
            yield
        finally:
            with self._changed:
                self._renders -= 1
                if self._renders == 0:
                    applied, self._applied = self._applied, None
                    try:
                        if applied is not None:
                            applied.close()
                    finally:
                        self._changed.notify_all()


def _applied(patches: list[AbstractContextManager[object]]) -> ExitStack:
    """Every patch entered, or, if one fails, none left applied."""
    with ExitStack() as stack:
        for patch in patches:
            stack.enter_context(patch)
        return stack.pop_all()
