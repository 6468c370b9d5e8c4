"""Backups: an encrypted, checked zip; restoring one checks everything before touching data."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from app.errors import PermissionDenied, UserError, WrongPassphrase
from app.paths import BACKUP_DIRNAME, DB_FILENAME, KEYSLOTS_FILENAME
from app.services import backup, people, users, vault
from app.services.backup import MANIFEST
from app.store.migrate import HEAD
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, make_draft
from tests.integration.conftest import TEMPORARY, actions


def family_names(ws) -> list[str]:
    return sorted(r.family_name for r in people.caseload(ws))


def digests(data_dir: Path) -> dict[str, str]:
    return {
        name: hashlib.sha256((data_dir / name).read_bytes()).hexdigest()
        for name in (DB_FILENAME, KEYSLOTS_FILENAME)
    }


@pytest.fixture
def backed_up(workspace, tmp_path) -> Path:
    """A backup holding Beforeperson, then Afterperson added to the live data."""
    people.add_person(workspace, make_draft(prison_number="Z0001AA", family_name="Beforeperson"))
    info = backup.create_backup(workspace, tmp_path / "backup.zip")
    people.add_person(workspace, make_draft(prison_number="Z0002AB", family_name="Afterperson"))
    workspace.lock()
    return info.path


def rewrite_member(archive: Path, name: str, change) -> None:  # noqa: ANN001
    """Rebuild the zip with one member changed (so the zip's own CRCs are valid)."""
    with zipfile.ZipFile(archive) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members[name] = change(members[name])
    with zipfile.ZipFile(archive, "w") as target:
        for member, data in members.items():
            target.writestr(member, data)


def test_a_backup_is_a_checked_zip_with_a_manifest(workspace, tmp_path):
    info = backup.create_backup(workspace, tmp_path / "backup.zip")
    assert info.path == (tmp_path / "backup.zip").resolve()
    assert info.schema == HEAD
    assert info.size_bytes == info.path.stat().st_size
    with zipfile.ZipFile(info.path) as archive:
        assert set(archive.namelist()) == {MANIFEST, DB_FILENAME, KEYSLOTS_FILENAME}
        manifest = json.loads(archive.read(MANIFEST))
        assert manifest["schema"] == HEAD
        assert manifest["created_by"] == ADMIN
        for name in (DB_FILENAME, KEYSLOTS_FILENAME):
            assert manifest["members"][name] == hashlib.sha256(archive.read(name)).hexdigest()
    assert not list(tmp_path.glob("*.partial"))
    assert "backup_created" in actions(workspace)


def test_a_folder_as_destination_gets_a_dated_file_name(workspace, tmp_path):
    info = backup.create_backup(workspace, tmp_path)
    assert info.path.parent == tmp_path.resolve()
    assert info.path.name.startswith("resettle-backup-") and info.path.suffix == ".zip"


def test_backup_and_restore_round_trip(data_dir, backed_up, open_as):
    kept = backup.restore_backup(data_dir, backed_up, ADMIN, ADMIN_PASSPHRASE)

    ws = open_as(ADMIN, ADMIN_PASSPHRASE)
    assert family_names(ws) == ["Beforeperson"]
    log = actions(ws)
    assert "backup_restored" in log
    # The data it replaced is kept aside, whole.
    assert kept is not None and kept.parent == data_dir / BACKUP_DIRNAME
    assert (kept / DB_FILENAME).exists() and (kept / KEYSLOTS_FILENAME).exists()
    assert not list(data_dir.glob(".restore-*"))


def test_the_replaced_data_can_be_put_back(data_dir, backed_up, open_as, tmp_path):
    kept = backup.restore_backup(data_dir, backed_up, ADMIN, ADMIN_PASSPHRASE)
    other = tmp_path / "kept-profile"
    other.mkdir()
    for name in (DB_FILENAME, KEYSLOTS_FILENAME):
        (other / name).write_bytes((kept / name).read_bytes())
    ws = vault.unlock(other, ADMIN, ADMIN_PASSPHRASE)
    try:
        assert family_names(ws) == ["Afterperson", "Beforeperson"]
    finally:
        ws.lock()


def test_restoring_onto_a_new_workstation(tmp_path, backed_up, open_as):
    fresh = tmp_path / "new-workstation"
    kept = backup.restore_backup(fresh, backed_up, ADMIN, ADMIN_PASSPHRASE)
    assert kept is None
    ws = vault.unlock(fresh, ADMIN, ADMIN_PASSPHRASE)
    try:
        assert family_names(ws) == ["Beforeperson"]
    finally:
        ws.lock()


def test_a_flipped_byte_in_the_database_member_is_refused(data_dir, backed_up, open_as):
    with zipfile.ZipFile(backed_up) as archive:
        offset = archive.getinfo(DB_FILENAME).header_offset
    raw = bytearray(backed_up.read_bytes())
    raw[offset + 4096] ^= 0xFF  # well inside the stored database bytes
    backed_up.write_bytes(bytes(raw))
    before = digests(data_dir)

    with pytest.raises(UserError, match="backup.zip is not a readable Resettle backup"):
        backup.restore_backup(data_dir, backed_up, ADMIN, ADMIN_PASSPHRASE)

    assert digests(data_dir) == before
    assert not (data_dir / BACKUP_DIRNAME).exists()
    ws = open_as(ADMIN, ADMIN_PASSPHRASE)
    assert family_names(ws) == ["Afterperson", "Beforeperson"]


def test_an_altered_database_member_fails_its_checksum(data_dir, backed_up):
    def flip(data: bytes) -> bytes:
        changed = bytearray(data)
        changed[5000] ^= 0x01
        return bytes(changed)

    rewrite_member(backed_up, DB_FILENAME, flip)
    before = digests(data_dir)
    with pytest.raises(UserError, match="damaged or was altered"):
        backup.restore_backup(data_dir, backed_up, ADMIN, ADMIN_PASSPHRASE)
    assert digests(data_dir) == before


def test_an_altered_database_with_a_forged_manifest_fails_the_encryption_check(
    data_dir, backed_up, open_as
):
    with zipfile.ZipFile(backed_up) as archive:
        db = bytearray(archive.read(DB_FILENAME))
    db[-100] ^= 0x01  # last page: the header still opens, the page does not authenticate
    rewrite_member(backed_up, DB_FILENAME, lambda _: bytes(db))

    def forge(data: bytes) -> bytes:
        manifest = json.loads(data)
        manifest["members"][DB_FILENAME] = hashlib.sha256(bytes(db)).hexdigest()
        return json.dumps(manifest).encode()

    rewrite_member(backed_up, MANIFEST, forge)
    before = digests(data_dir)
    with pytest.raises(UserError, match="failed its encryption check"):
        backup.restore_backup(data_dir, backed_up, ADMIN, ADMIN_PASSPHRASE)
    assert digests(data_dir) == before
    assert family_names(open_as(ADMIN, ADMIN_PASSPHRASE)) == ["Afterperson", "Beforeperson"]


def test_a_backup_claiming_a_newer_schema_is_refused(data_dir, backed_up):
    def newer(data: bytes) -> bytes:
        manifest = json.loads(data)
        manifest["schema"] = "9999"
        return json.dumps(manifest).encode()

    rewrite_member(backed_up, MANIFEST, newer)
    before = digests(data_dir)
    with pytest.raises(UserError, match="newer version"):
        backup.restore_backup(data_dir, backed_up, ADMIN, ADMIN_PASSPHRASE)
    assert digests(data_dir) == before


@pytest.mark.parametrize(
    "content", [b"", b"not a zip at all", b"PK\x03\x04 truncated"], ids=["empty", "text", "cut"]
)
def test_a_file_that_is_not_a_backup_is_refused(data_dir, initialised, tmp_path, content):
    bogus = tmp_path / "bogus.zip"
    bogus.write_bytes(content)
    before = digests(data_dir)
    with pytest.raises(UserError, match="bogus.zip"):
        backup.restore_backup(data_dir, bogus, ADMIN, ADMIN_PASSPHRASE)
    assert digests(data_dir) == before


def test_a_zip_without_the_members_is_refused(data_dir, initialised, tmp_path):
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr(MANIFEST, json.dumps({"format": "resettle-backup/1", "members": {}}))
    with pytest.raises(UserError, match="incomplete"):
        backup.restore_backup(data_dir, other, ADMIN, ADMIN_PASSPHRASE)


def test_a_missing_backup_file_is_a_user_error(data_dir, initialised, tmp_path):
    with pytest.raises(UserError, match="There is no file"):
        backup.restore_backup(data_dir, tmp_path / "nowhere.zip", ADMIN, ADMIN_PASSPHRASE)


def test_restoring_with_a_wrong_passphrase_changes_nothing(data_dir, backed_up):
    before = digests(data_dir)
    with pytest.raises(WrongPassphrase):
        backup.restore_backup(data_dir, backed_up, ADMIN, "not the passphrase at all")
    with pytest.raises(UserError, match="no user called"):
        backup.restore_backup(data_dir, backed_up, "nobody", ADMIN_PASSPHRASE)
    # The database is untouched; the key file only counts the wrong try (throttled like unlock).
    assert digests(data_dir)[DB_FILENAME] == before[DB_FILENAME]


def test_the_backup_uses_the_passphrases_of_its_own_time(data_dir, workspace, tmp_path, open_as):
    info = backup.create_backup(workspace, tmp_path / "backup.zip")
    users.change_own_passphrase(workspace, ADMIN_PASSPHRASE, "a newer passphrase now")
    workspace.lock()
    with pytest.raises(WrongPassphrase):
        backup.restore_backup(data_dir, info.path, ADMIN, "a newer passphrase now")
    backup.restore_backup(data_dir, info.path, ADMIN, ADMIN_PASSPHRASE)
    open_as(ADMIN, ADMIN_PASSPHRASE)


def test_only_administrators_make_backups(make_user, tmp_path):
    worker = make_user("rworker", "resettlement_worker")
    with pytest.raises(PermissionDenied):
        backup.create_backup(worker, tmp_path / "backup.zip")
    assert not (tmp_path / "backup.zip").exists()


def test_a_backup_to_an_unwritable_place_is_a_user_error(workspace, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(UserError, match="Could not write the backup"):
        backup.create_backup(workspace, blocker / "backup.zip")


def test_a_user_added_after_the_backup_is_not_in_it(data_dir, workspace, tmp_path):
    info = backup.create_backup(workspace, tmp_path / "backup.zip")
    users.add_user(workspace, "latecomer", "Late Comer", "viewer", TEMPORARY)
    workspace.lock()
    with pytest.raises(UserError, match="no user called latecomer"):
        backup.restore_backup(data_dir, info.path, "latecomer", TEMPORARY)
