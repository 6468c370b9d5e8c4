"""Swapping a restored backup in so that the next start sees the old profile or the new one.

A restore unpacks and checks the backup in a `.restore-…` folder inside the data folder, then
writes `restore.journal` (atomically: whole or absent) naming that folder, the folder the
replaced files go to (`backups/replaced-by-restore-…`) and the SHA-256 of each staged file. Only
then does it swap, one `os.replace` per file in a fixed order: the old database's `-wal`, `-shm`
and the database aside, the new database in; the old key slots aside, the new key slots in. The
journal goes last, then the staged folder.

`recover_interrupted_restore` runs before anything looks for the database (`is_initialised`,
so unlock, set-up and the start window all pass through it). With a journal present it finishes
the swap when every staged file still matches its checksum, and otherwise puts the replaced
files back; either way the journal and the staged folder are removed. Work folders left by a
killed backup or restore (`.backup-…`, `.restore-…`) are removed too, unless another process is
still using them (each is locked by its owner while in use).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from app.errors import UserError
from app.paths import DB_FILENAME, KEYSLOTS_FILENAME
from app.store.atomic import write_atomic
from app.store.private import private_folder

JOURNAL = "restore.journal"
RESTORE_PREFIX = ".restore-"
BACKUP_PREFIX = ".backup-"
_LOCK = ".in-use"
# The swap order: each new file comes in right after the old files it replaces went aside.
SWAP: tuple[tuple[str, tuple[str, ...]], ...] = (
    (DB_FILENAME, (f"{DB_FILENAME}-wal", f"{DB_FILENAME}-shm", DB_FILENAME)),
    (KEYSLOTS_FILENAME, (KEYSLOTS_FILENAME,)),
)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fsync_file(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows has no directory handles to flush; NTFS logs renames itself
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


# --- work folders in use ---------------------------------------------------------------------


def _try_lock(handle: int) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextlib.contextmanager
def in_use(folder: Path) -> Iterator[None]:
    """Mark a work folder as in use by this process until the block ends (or it dies)."""
    handle = os.open(folder / _LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if not _try_lock(handle):
            raise UserError("Another Resettle is using this profile's work folder. Try again.")
        yield
    finally:
        os.close(handle)


def _abandoned(folder: Path) -> bool:
    """True when no live process holds the folder (its owner finished or was killed)."""
    try:
        handle = os.open(folder / _LOCK, os.O_RDWR)
    except FileNotFoundError:
        return True  # its owner died before it could mark it
    except OSError:
        return False
    try:
        return _try_lock(handle)
    finally:
        os.close(handle)


# --- the journal -----------------------------------------------------------------------------


def write_journal(data_dir: Path, staged: Path, kept: Path, hashes: dict[str, str]) -> None:
    journal = {
        "staged": staged.name,
        "kept": kept.relative_to(data_dir).as_posix(),
        "sha256": hashes,
    }
    write_atomic(data_dir / JOURNAL, json.dumps(journal, indent=1).encode("utf-8"))
    _fsync_dir(data_dir)


def _read_journal(data_dir: Path) -> tuple[Path, Path, dict[str, str]]:
    path = data_dir / JOURNAL
    try:
        journal = json.loads(path.read_text("utf-8"))
        staged = data_dir / str(journal["staged"])
        kept = data_dir / str(journal["kept"])
        hashes = {str(k): str(v) for k, v in dict(journal["sha256"]).items()}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(
            f"An interrupted restore left {path} unreadable. The files it replaced are in "
            f"{data_dir / 'backups'}; restore the latest backup again."
        ) from exc
    if not staged.name.startswith(RESTORE_PREFIX) or set(hashes) != {n for n, _ in SWAP}:
        raise UserError(f"{path} is not a Resettle restore journal. Move it away and start again.")
    return staged, kept, hashes


def _finish(data_dir: Path, staged: Path, kept: Path) -> None:
    (data_dir / JOURNAL).unlink(missing_ok=True)
    _fsync_dir(data_dir)
    shutil.rmtree(staged, ignore_errors=True)
    with contextlib.suppress(OSError):  # nothing was replaced (a new workstation): no empty folder
        kept.rmdir()


def complete_swap(data_dir: Path) -> None:
    """Do (or finish) the swap the journal describes; idempotent, so safe to repeat."""
    staged, kept, _hashes = _read_journal(data_dir)
    for new, olds in SWAP:
        if not (staged / new).exists():
            continue  # already in place
        for old in olds:
            if (data_dir / old).exists():
                private_folder(kept)
                os.replace(data_dir / old, kept / old)
        os.replace(staged / new, data_dir / new)
    _fsync_dir(data_dir)
    _finish(data_dir, staged, kept)


def roll_back_swap(data_dir: Path) -> None:
    """Put the replaced files back and drop the staged ones; idempotent."""
    staged, kept, _hashes = _read_journal(data_dir)
    for new, _olds in reversed(SWAP):
        if not (staged / new).exists() and (data_dir / new).exists():
            os.replace(data_dir / new, staged / new)  # the new file had come in: take it out
    for _new, olds in reversed(SWAP):
        for old in olds:
            if (kept / old).exists() and not (data_dir / old).exists():
                os.replace(kept / old, data_dir / old)
    _fsync_dir(data_dir)
    _finish(data_dir, staged, kept)


def _staged_whole(data_dir: Path, staged: Path, hashes: dict[str, str]) -> bool:
    for new, _olds in SWAP:
        where = staged / new if (staged / new).exists() else data_dir / new
        if not where.is_file() or sha256(where) != hashes[new]:
            return False
    return True


def recover_interrupted_restore(data_dir: Path) -> str | None:
    """Finish or undo a restore that was interrupted; tidy work folders a crash left.

    Returns "completed" or "rolled back" when a journal was found, else None.
    """
    if not data_dir.is_dir():
        return None
    outcome: str | None = None
    if (data_dir / JOURNAL).exists():
        staged, _kept, hashes = _read_journal(data_dir)
        if staged.is_dir() and not _abandoned(staged):
            return None  # a restore is under way in another process right now
        try:
            if _staged_whole(data_dir, staged, hashes):
                complete_swap(data_dir)
                outcome = "completed"
            else:
                roll_back_swap(data_dir)
                outcome = "rolled back"
        except OSError as exc:
            raise UserError(
                f"An interrupted restore could not be finished in {data_dir}: "
                f"{exc.strerror or exc}. Nothing more was changed."
            ) from exc
    remove_leftovers(data_dir)
    return outcome


def remove_leftovers(data_dir: Path) -> None:
    if (data_dir / JOURNAL).exists():
        return  # its staged folder is still needed
    for folder in data_dir.iterdir():
        if not folder.name.startswith((RESTORE_PREFIX, BACKUP_PREFIX)):
            continue
        if folder.is_dir() and _abandoned(folder):
            shutil.rmtree(folder, ignore_errors=True)
    for part in data_dir.glob(f".{JOURNAL}.*.part"):  # a journal write cut short
        part.unlink(missing_ok=True)
