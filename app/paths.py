"""Where a workstation profile lives, resolved once.

`--data-dir` wins, then `RESETTLE_DATA_DIR` (tests, portable installs on a USB stick), then the
platform's per-user data folder, which on a locked-down Windows workstation is writable without
admin rights.
"""

import os
from pathlib import Path

DB_FILENAME = "resettle.db"
KEYSLOTS_FILENAME = "keyslots.json"
BACKUP_DIRNAME = "backups"


def is_initialised(data_dir: Path) -> bool:
    """A profile exists when both its database and its key slots do (cheap: no imports)."""
    return (data_dir / DB_FILENAME).exists() and (data_dir / KEYSLOTS_FILENAME).exists()


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get("RESETTLE_DATA_DIR")
    if env:
        return Path(env).expanduser().resolve()
    from platformdirs import user_data_dir

    return Path(user_data_dir("Resettle", "Resettle", roaming=False))
