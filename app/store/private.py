"""The profile is owner-only, whatever the umask: folders 0700, files 0600.

On POSIX every folder Resettle makes in the data folder is created 0700 (and the data folder
itself is set to 0700, also when an older version left it 0755), and every file it writes there
is created 0600. SQLite gives a database's `-wal` and `-shm` files the mode of the database
itself, so a database created 0600 keeps its companions 0600 too.

On Windows nothing is changed or checked here: the data folder is under the user's own profile
(%LOCALAPPDATA%), whose inherited ACL already admits only that user, SYSTEM and Administrators;
a portable data folder has the ACLs of the drive it is on.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600
POSIX = os.name == "posix"


def private_folder(path: Path) -> Path:
    """Make `path` (and any missing parents) and leave `path` itself 0700."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    if POSIX:
        path.chmod(FOLDER_MODE)
    return path


def new_private_file(path: Path) -> None:
    """Create `path` empty and 0600; it must not exist yet (FileExistsError otherwise)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))


def open_private(path: Path, mode: str = "wb"):  # noqa: ANN201 - a binary file object
    """Open `path` for writing (truncating), created 0600; an existing file is set to 0600."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    if POSIX:
        os.fchmod(handle, FILE_MODE)
    return os.fdopen(handle, mode)


def make_private(path: Path) -> None:
    """Set an existing file to 0600 (best effort: a file that has just gone is no fault)."""
    if POSIX:
        with contextlib.suppress(FileNotFoundError):
            path.chmod(FILE_MODE)


def make_profile_private(data_dir: Path) -> None:
    """Set the data folder 0700 and its database, -wal, -shm and key file 0600 (POSIX)."""
    if not POSIX:
        return
    from app.paths import BACKUP_DIRNAME, DB_FILENAME, KEYSLOTS_FILENAME

    with contextlib.suppress(OSError):  # not ours to change (e.g. a shared portable drive)
        data_dir.chmod(FOLDER_MODE)
        if (data_dir / BACKUP_DIRNAME).is_dir():
            (data_dir / BACKUP_DIRNAME).chmod(FOLDER_MODE)
        for name in (DB_FILENAME, f"{DB_FILENAME}-wal", f"{DB_FILENAME}-shm", KEYSLOTS_FILENAME):
            make_private(data_dir / name)
