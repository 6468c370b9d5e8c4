"""Where things live: a workstation profile's data, and the files Resettle ships with.

Files shipped beside the code (`resources/`: fonts, questionnaires, rules, schemas, the
councils list; `translations/`) are found only through `bundle_root`, `resources_dir` and
`translations_dir`, so the source checkout and the frozen PyInstaller build
(packaging/resettle.spec puts them at the same relative paths under sys._MEIPASS) resolve them
one way. `RESETTLE_RESOURCES` replaces `resources/` (tests that need a broken or edited copy); it is
read on each call, so every folder is resolved when it is used, never cached at import.

For the data: `--data-dir` wins, then `RESETTLE_DATA_DIR` (tests, scripted installs), then
portable mode (a `portable.flag` beside the packaged executable), then the platform's per-user
data folder, which on a locked-down Windows workstation is writable without admin rights.
"""

import os
import sys
from pathlib import Path


def bundle_root() -> Path:
    """The folder holding resources/ and translations/: the PyInstaller bundle when frozen,
    else the source checkout (the folder above the `app` package)."""
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """resources/, or the folder `RESETTLE_RESOURCES` names (read on each call)."""
    env = os.environ.get("RESETTLE_RESOURCES")
    return Path(env) if env else bundle_root() / "resources"


def translations_dir() -> Path:
    """translations/: the gettext catalogues (.po, compiled .mo) and review.json."""
    return bundle_root() / "translations"


DB_FILENAME = "resettle.db"
KEYSLOTS_FILENAME = "keyslots.json"
BACKUP_DIRNAME = "backups"


def is_initialised(data_dir: Path) -> bool:
    """A profile exists when its database or its key slots do (one without the other, or an
    empty database, is a damaged profile, which unlock reports; never a reason to set up anew).
    A restore that was interrupted is finished or rolled back first, so this never sees a
    profile half swapped."""
    if data_dir.is_dir() and any(
        p.name == "restore.journal" or p.name.startswith((".restore-", ".backup-"))
        for p in data_dir.iterdir()
    ):
        from app.store.restore_journal import recover_interrupted_restore

        recover_interrupted_restore(data_dir)
    return (data_dir / DB_FILENAME).exists() or (data_dir / KEYSLOTS_FILENAME).exists()


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
