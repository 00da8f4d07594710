"""Temporary files in the output folder, and the lock under which a run changes that folder.

Every output, and the manifest, is first written to a temporary file beside it, named
``.<name>.<8 random characters>.part`` and renamed into place only when complete. Its
writer holds an exclusive ``flock`` on it for as long as the file exists; the lock goes
when the writer's process ends, however it ends. So a run removes from its output folder
every temporary that nobody holds, the ones a killed run left behind, and never the ones a
run going on at the same time is writing.

The name never exceeds the longest the file system allows (``NAME_MAX``): the output's own
name is shortened inside it when needed, so any output whose own name is legal can be
written.

The folder lock (``folder_lock``) is an ``flock`` on the folder itself: two runs exporting
into one folder take turns to put outputs in place and to rewrite the manifest, so the
outputs of one input always come from one run, and the manifest is merged, never
overwritten with one run's view. No lock file is left behind. Where the file system does
not lock folders (NFS turns ``flock`` into POSIX locks, which a folder cannot take), the
lock is skipped and the writes stay atomic, but two runs at once may then lose each
other's manifest records (their inputs are then exported again); and where files take no
lock either, no temporary is removed as a left-over, since a live run's could not be told
from a dead one's.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

PART_SUFFIX = ".part"
_TOKEN_LENGTH = 8
_TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789_"
# What ``part_name`` makes: a dot, a name, a dot, the token, the suffix.
_PART_NAME = re.compile(rf"\A\..+\.[a-z0-9_]{{{_TOKEN_LENGTH}}}\.part\Z", re.S)
_DEFAULT_NAME_MAX = 255
# The temporaries this process holds, by path, each with the descriptor that holds its lock.
_HELD: dict[Path, int] = {}


def name_max(folder: Path) -> int:
    """The longest file name, in bytes, the folder's file system allows."""
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError):
        return _DEFAULT_NAME_MAX


def part_name(target_name: str, limit: int = _DEFAULT_NAME_MAX) -> str:
    """A fresh temporary's name for ``target_name``, at most ``limit`` bytes long."""
    token = "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(_TOKEN_LENGTH))
    tail = f".{token}{PART_SUFFIX}"
    room = limit - 1 - len(tail)
    encoded = os.fsencode(target_name)
    if len(encoded) > room:
        # Cut before the last character that may be partial: a name stays valid UTF-8.
        encoded = encoded[:room]
        while encoded and encoded[-1] & 0xC0 == 0x80:
            encoded = encoded[:-1]
        if encoded and encoded[-1] >= 0xC0:
            encoded = encoded[:-1]
    return f".{os.fsdecode(encoded) or 'x'}{tail}"


def is_part_name(name: str) -> bool:
    return _PART_NAME.match(name) is not None


def create_part(target: Path) -> Path:
    """A new, empty, locked temporary beside ``target``; released by ``release_part``."""
    folder = target.parent
    limit = name_max(folder)
    for _ in range(100):
        path = folder / part_name(target.name, limit)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        except FileExistsError:
            continue
        if _lock(fd, blocking=False) is not False and _same_file(fd, path):
            _HELD[path] = fd
            return path
        # A run sweeping the folder took it between its creation and our lock: another name.
        os.close(fd)
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))


def _lock(fd: int, *, blocking: bool) -> bool | None:
    """True once locked, False if another holds the lock, None where the file system
    takes no lock at all."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    except OSError as error:
        if error.errno in _NO_LOCKS:
            return None
        raise
    return True


# ``flock`` refused by the file system itself (not by another holder).
_NO_LOCKS = {errno.ENOLCK, errno.EOPNOTSUPP, errno.EBADF, errno.EINVAL}


def _same_file(fd: int, path: Path) -> bool:
    try:
        here = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    there = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def release_part(path: Path) -> None:
    """Let go of a temporary: removed if it is still there (not renamed into place)."""
    path.unlink(missing_ok=True)
    fd = _HELD.pop(path, None)
    if fd is not None:
        os.close(fd)


def put_in_place(path: Path, target: Path) -> None:
    """Rename a complete temporary onto its target, readable by all as outputs are."""
    os.chmod(path, 0o644)
    os.replace(path, target)
    fd = _HELD.pop(path, None)
    if fd is not None:
        os.close(fd)


def holds_parts() -> bool:
    """Whether this process holds a temporary now."""
    return bool(_HELD)


def release_all() -> None:
    """Remove every temporary this process holds: for an exit that cannot wait."""
    for path in list(_HELD):
        with contextlib.suppress(OSError):
            release_part(path)


def remove_leftovers(folder: Path) -> int:
    """Remove the temporaries in ``folder`` that no process holds; how many there were."""
    try:
        names = [entry.name for entry in os.scandir(folder) if is_part_name(entry.name)]
    except OSError:
        return 0
    removed = 0
    for name in names:
        path = folder / name
        if path in _HELD:
            continue
        with contextlib.suppress(OSError):
            # Opened for writing: NFS makes ``flock`` a POSIX write lock, which needs it.
            fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
            try:
                # Removed only when surely unheld: without locks, it may be a live run's.
                if _lock(fd, blocking=False) is True and _same_file(fd, path):
                    path.unlink()
                    removed += 1
            finally:
                os.close(fd)
    return removed


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the output folder for one step of changes (see the module's docstring)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        yield  # the folder cannot even be opened: the writes inside will say why
        return
    try:
        _lock(fd, blocking=True)
        yield
    finally:
        os.close(fd)  # the lock goes with the descriptor
