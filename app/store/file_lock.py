"""An operating-system lock on a small file, so two Resettles never change the same thing at once.

Two processes (the window and a `resettle` command, or two commands) can both want to rewrite
the key-slot file, or both find an old schema to migrate. Each such change takes an exclusive
lock on a lock file beside what it changes (`keyslots.json.lock`, …) for its whole
read-modify-write, so the second waits and then reads what the first wrote. The lock is the
operating system's (`flock` on POSIX, `msvcrt.locking` on Windows): it is released when the
holder closes the file or dies, so a crashed Resettle never leaves a stale lock behind. Threads
of one process exclude each other too (each opens the file itself).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from app.errors import Busy, UserError

LOCK_TIMEOUT_SECONDS = 20.0

if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # byte 0; beyond the end is allowed
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def exclusive(path: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the lock on `path` (made if missing) for the block; wait up to `timeout` seconds
    for another holder, then raise Busy in plain words."""
    limit = LOCK_TIMEOUT_SECONDS if timeout is None else timeout
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise UserError(
            f"Resettle cannot use its folder {path.parent}: {exc.strerror or exc}."
        ) from exc
    try:
        deadline = time.monotonic() + limit
        pause = 0.005
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise Busy
            time.sleep(pause)  # the OS offers no portable blocking wait with a limit
            pause = min(pause * 2, 0.1)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)
