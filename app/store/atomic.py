"""Write a file so that a crash or a full disk never leaves half of it behind."""

import os
import tempfile
from pathlib import Path

from app.errors import UserError


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside the target, fsync, then rename over it: readers see old or new, never part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UserError(
            f"Could not save {path.name}: {exc.strerror or exc}. Nothing was changed."
        ) from exc
