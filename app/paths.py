"""Where a workstation profile lives, resolved once.

`--data-dir` wins, then `RESETTLE_DATA_DIR` (tests, scripted installs), then portable mode
(a `portable.flag` beside the packaged executable), then the platform's per-user data folder,
which on a locked-down Windows workstation is writable without admin rights.
"""

import os
import sys
from pathlib import Path

DB_FILENAME = "resettle.db"
KEYSLOTS_FILENAME = "keyslots.json"
BACKUP_DIRNAME = "backups"


def is_initialised(data_dir: Path) -> bool:
    """A profile exists when both its database and its key slots do (cheap: no imports)."""
    return (data_dir / DB_FILENAME).exists() and (data_dir / KEYSLOTS_FILENAME).exists()


PORTABLE_FLAG = "portable.flag"
PORTABLE_DATA = "data"


def portable_data_dir(executable: str | None = None) -> Path | None:
    """Portable mode: a `portable.flag` file beside the packaged executable keeps the data
    folder beside it too (`data/`), for teams that run Resettle from an encrypted drive."""
    if executable is None:
        if not getattr(sys, "frozen", False):
            return None
        executable = sys.executable
    folder = Path(executable).resolve().parent
    return folder / PORTABLE_DATA if (folder / PORTABLE_FLAG).is_file() else None


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get("RESETTLE_DATA_DIR")
    if env:
        return Path(env).expanduser().resolve()
    portable = portable_data_dir()
    if portable is not None:
        return portable
    from platformdirs import user_data_dir

    return Path(user_data_dir("Resettle", "Resettle", roaming=False))
