"""The one way Resettle saves a file: whole or not at all, with a plain reason when it cannot.

Every file Resettle writes (PDFs, CSV reports, certificates, bundles, the key slots) goes
through `write_atomic`: the bytes go to a temporary file beside the target, are fsynced, then
renamed over it, so a crash, a full disk or a pulled drive leaves the old file or the new one,
never half of one, and no temporary file behind. A failure is a UserError in words a
resettlement worker can act on ("choose another folder"), never an OSError traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from app.errors import UserError

_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _failure(out: Path, err: OSError, replacing: bool) -> str:
    """A plain sentence for why `out` could not be written (`replacing`: the last step failed)."""
    folder = out.parent
    if isinstance(err, IsADirectoryError) or out.is_dir():
        return f"{out} is a folder. Choose a file name."
    if isinstance(err, FileNotFoundError | NotADirectoryError):
        return f"The folder {folder} does not exist. Choose another folder."
    if err.errno in _DISK_FULL:
        return (f"There is not enough space to save {out.name} in {folder}. Free some space "
                "or choose another folder.")  # fmt: skip
    if replacing and isinstance(err, PermissionError):  # Windows: the old file is open
        return (f"Resettle cannot replace {out}. Close it if it is open in another program, "
                "or choose another folder.")  # fmt: skip
    if isinstance(err, PermissionError) or err.errno == errno.EROFS:
        return f"Resettle is not allowed to save in {folder}. Choose another folder."
    reason = err.strerror or str(err) or type(err).__name__
    return f"Resettle could not save {out.name} in {folder}: {reason}."


def write_atomic(path: Path, data: bytes, *, make_folder: bool = False) -> None:
    """`path` gets all of `data` or stays as it was; UserError (plain words) when it cannot.

    `make_folder` creates missing parent folders first: right for Resettle's own files in its
    data folder, wrong for a file a user chose (a mistyped folder should be said, not made).
    """
    path = Path(path)
    temp: Path | None = None
    replacing = False
    try:
        if make_folder:
            path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        temp = Path(name)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        replacing = True
        os.replace(temp, path)
        temp = None
    except OSError as err:
        raise UserError(_failure(path, err, replacing)) from err
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                temp.unlink()
