"""The profile and its backups are owner-only whatever the umask (POSIX modes; on Windows the
user's profile ACLs apply and nothing is checked here)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.paths import BACKUP_DIRNAME, DB_FILENAME, KEYSLOTS_FILENAME
from app.services import backup, people, vault
from app.store.snapshot import vacuum_into
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, ESTABLISHMENT, make_draft

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


@pytest.fixture(autouse=True)
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def loose(data_dir: Path) -> list[str]:
    """Everything in the profile that is not owner-only, with its mode."""
    found = [] if mode(data_dir) == 0o700 else [f". {oct(mode(data_dir))}"]
    for path in sorted(data_dir.rglob("*")):
        want = 0o700 if path.is_dir() else 0o600
        if mode(path) != want:
            found.append(f"{path.relative_to(data_dir)} {oct(mode(path))}")
    return found


def test_a_new_profile_in_use_is_owner_only(data_dir):
    vault.initialise(data_dir, ESTABLISHMENT, ADMIN, ADMIN_PASSPHRASE)
    ws = vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    try:
        people.add_person(ws, make_draft())
        assert (data_dir / f"{DB_FILENAME}-wal").exists()  # SQLCipher made its companions
        assert (data_dir / f"{DB_FILENAME}-shm").exists()
        assert loose(data_dir) == []
        vacuum_into(ws.engine, data_dir / BACKUP_DIRNAME / "before-migration.db")
        assert loose(data_dir) == []
    finally:
        ws.lock()


def test_backups_and_a_restored_profile_are_owner_only(data_dir, workspace, tmp_path):
    people.add_person(workspace, make_draft())
    info = backup.create_backup(workspace, tmp_path / "backup.zip")
    assert mode(info.path) == 0o600
    workspace.lock()
    assert mode(data_dir / KEYSLOTS_FILENAME) == 0o600
    kept = backup.restore_backup(data_dir, info.path, ADMIN, ADMIN_PASSPHRASE)
    assert kept is not None and (kept / DB_FILENAME).exists()
    assert mode(data_dir / KEYSLOTS_FILENAME) == 0o600  # was 0644 after a restore
    assert loose(data_dir) == []
    fresh = tmp_path / "new-workstation"
    backup.restore_backup(fresh, info.path, ADMIN, ADMIN_PASSPHRASE)
    assert loose(fresh) == []


def test_a_profile_left_open_by_an_older_version_is_closed_at_unlock(data_dir, initialised):
    data_dir.chmod(0o755)
    for name in (DB_FILENAME, KEYSLOTS_FILENAME):
        (data_dir / name).chmod(0o644)
    vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE).lock()
    assert loose(data_dir) == []
