"""Nothing a worker types reaches the disk in the clear: not the database, WAL or key file."""

from __future__ import annotations

import zipfile
from pathlib import Path

from app.paths import DB_FILENAME, KEYSLOTS_FILENAME
from app.services import backup, people, vault
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, make_draft

CANARY = "Zyxwvutcanary"
NOTE_CANARY = "Qwphtnotecanary"


def encodings(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]


def assert_absent(path: Path, *texts: str) -> None:
    data = path.read_bytes()
    for text in texts:
        for needle in encodings(text) + encodings(text.lower()) + encodings(text.upper()):
            assert needle not in data, f"{text!r} found in {path.name}"


def profile_files(data_dir: Path) -> list[Path]:
    names = (DB_FILENAME, f"{DB_FILENAME}-wal", f"{DB_FILENAME}-shm", KEYSLOTS_FILENAME)
    return [data_dir / n for n in names if (data_dir / n).exists()]


def test_a_stored_name_is_not_in_the_database_wal_or_key_file(data_dir, workspace):
    person_id = people.add_person(
        workspace, make_draft(family_name=CANARY, notes=f"Met {NOTE_CANARY} today.")
    )
    # While open, the new rows sit in the WAL.
    wal = data_dir / f"{DB_FILENAME}-wal"
    assert wal.exists() and wal.stat().st_size > 0
    for path in profile_files(data_dir):
        assert_absent(path, CANARY, NOTE_CANARY, "Z1234AB")

    workspace.lock()  # checkpoints the WAL into the database file
    assert (data_dir / DB_FILENAME).stat().st_size > 0
    for path in profile_files(data_dir):
        assert_absent(path, CANARY, NOTE_CANARY, "Z1234AB")

    # The name really was stored: it reads back after a fresh unlock.
    again = vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    try:
        assert people.get_person(again, person_id).draft.family_name == CANARY
    finally:
        again.lock()


def test_the_database_file_is_not_a_plain_sqlite_file(data_dir, workspace):
    header = (data_dir / DB_FILENAME).read_bytes()[:16]
    assert header != b"SQLite format 3\x00"


def test_the_key_file_holds_no_passphrase_or_recovery_key(data_dir, initialised):
    key_file = data_dir / KEYSLOTS_FILENAME
    assert_absent(key_file, ADMIN_PASSPHRASE, initialised, initialised.replace("-", ""))


def test_an_edited_name_leaves_no_trace_of_the_old_one(data_dir, workspace):
    person_id = people.add_person(workspace, make_draft(family_name=CANARY))
    record = people.get_person(workspace, person_id)
    record.draft.family_name = "Replacedname"
    people.update_person(workspace, person_id, record.draft, record.version)
    workspace.lock()
    for path in profile_files(data_dir):
        assert_absent(path, CANARY, "Replacedname")


def test_a_backup_archive_holds_no_readable_personal_data(data_dir, workspace, tmp_path):
    people.add_person(workspace, make_draft(family_name=CANARY))
    info = backup.create_backup(workspace, tmp_path / "backup.zip")
    assert_absent(info.path, CANARY)
    with zipfile.ZipFile(info.path) as archive:
        assert archive.read(DB_FILENAME)[:16] != b"SQLite format 3\x00"
