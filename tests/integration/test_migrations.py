"""Schema migrations at unlock: an older database is backed up, then upgraded; a newer refused."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import text

from app.errors import SchemaTooNew
from app.paths import BACKUP_DIRNAME, DB_FILENAME, KEYSLOTS_FILENAME
from app.services import people, vault
from app.store import migrate
from app.store.engine import connect_raw, make_engine
from app.store.keyslots import USER, Slot, SlotFile, new_database_key
from app.store.models import Base
from app.store.snapshot import verify_copy
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, FAST_KDF
from tests.integration.conftest import database_key

OLD_PERSON = {
    "prison_number": "Z0001AA",
    "family_name": "Oldschema",
    "given_names": "Fictiona",
    "aliases": "",
    "date_of_birth": "1988-02-29",
    "nationality": "GB",
    "first_language": "en",
    "interpreter_needed": 0,
    "custody_status": "SENTENCED",
    "reception_at": "2025-11-03 10:15:00.000000",
    "release_date": "2026-09-30",
    "release_time": None,
    "release_type": "",
    "home_local_authority": "E09000033",
    "mappa_level": "",
    "pom_name": "",
    "cpp_name": "",
    "key_worker_name": "",
    "notes": "Written by schema 0001.",
    "created_at": "2025-11-03 10:20:00.000000",
    "updated_at": "2025-11-03 10:20:00.000000",
    "version": 1,
}


def make_profile_at_0001(data_dir: Path) -> bytes:
    """What an early Resettle left on disk: a 0001 database with data, and its key slot."""
    data_dir.mkdir(parents=True)
    db_key = new_database_key()
    engine = make_engine(data_dir / DB_FILENAME, db_key)
    try:
        migrate.upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO settings VALUES ('establishment', 'HMP Oldtown')"))
            conn.execute(
                text(
                    "INSERT INTO users (username, display_name, role, active,"
                    " must_change_passphrase, created_at)"
                    " VALUES (:u, 'Admin', 'administrator', 1, 0, '2025-11-01 09:00:00.000000')"
                ),
                {"u": ADMIN},
            )
            columns = ", ".join(OLD_PERSON)
            values = ", ".join(f":{name}" for name in OLD_PERSON)
            conn.execute(text(f"INSERT INTO people ({columns}) VALUES ({values})"), OLD_PERSON)
            conn.execute(
                text(
                    "INSERT INTO audit_log (at, user_id, username, action, record_type,"
                    " record_id, detail) VALUES ('2025-11-03 10:20:00.000000', 1, :u,"
                    " 'person_created', 'person', '1', '')"
                ),
                {"u": ADMIN},
            )
        assert migrate.current_revision(engine) == "0001"
    finally:
        engine.dispose()
    slots = SlotFile(data_dir / KEYSLOTS_FILENAME)
    slots.put(Slot.seal(USER, ADMIN, ADMIN_PASSPHRASE.encode(), db_key, FAST_KDF))
    slots.save()
    return db_key


def columns_of(conn, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def test_head_is_the_newest_migration_script():
    assert migrate.HEAD == migrate.script_head()
    assert migrate.known_revisions() == {"0001", "0002", "0003", "0004", "0005", "0006", "0007",
                                         "0008"}


def test_a_0001_database_is_backed_up_then_upgraded_at_unlock(data_dir, open_as):
    db_key = make_profile_at_0001(data_dir)
    ws = open_as(ADMIN, ADMIN_PASSPHRASE)

    assert migrate.current_revision(ws.engine) == migrate.HEAD
    person_id = people.find_id(ws, "Z0001AA")
    assert person_id is not None
    record = people.get_person(ws, person_id)
    assert record.draft.family_name == "Oldschema"
    assert record.draft.notes == "Written by schema 0001."
    assert record.draft.release_date.isoformat() == "2026-09-30"
    with ws.engine.connect() as conn:
        assert "last_unlock_at" in columns_of(conn.connection, "users")
        indexes = {row[1] for row in conn.connection.execute("PRAGMA index_list(people)")}
        assert "ix_people_family_name" in indexes
        assert conn.execute(text("SELECT last_unlock_at FROM users")).scalar() is not None

    pattern = f"before-migration-0001-to-{migrate.HEAD}-*.db"
    backups = list((data_dir / BACKUP_DIRNAME).glob(pattern))
    assert len(backups) == 1
    verify_copy(backups[0], db_key)  # raises if it is not a sound, encrypted copy
    old = connect_raw(backups[0], db_key)
    try:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert old.execute("SELECT family_name FROM people").fetchall() == [("Oldschema",)]
        assert "last_unlock_at" not in columns_of(old, "users")
    finally:
        old.close()
    assert backups[0].read_bytes()[:16] != b"SQLite format 3\x00"


def test_a_current_database_is_not_backed_up_again(data_dir, open_as):
    make_profile_at_0001(data_dir)
    open_as(ADMIN, ADMIN_PASSPHRASE).lock()
    open_as(ADMIN, ADMIN_PASSPHRASE).lock()
    assert len(list((data_dir / BACKUP_DIRNAME).iterdir())) == 1


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_database_from_a_newer_version_is_refused_and_left_unchanged(data_dir, workspace):
    with workspace.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    workspace.lock()
    db = data_dir / DB_FILENAME
    before = file_digest(db)

    with pytest.raises(SchemaTooNew, match="newer version") as refused:
        vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    assert "nothing was changed" in str(refused.value)

    assert file_digest(db) == before
    assert not (data_dir / BACKUP_DIRNAME).exists()
    conn = connect_raw(db, database_key(data_dir))
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("9999",)
        unlocks = conn.execute("SELECT count(*) FROM audit_log WHERE action = 'unlock'")
        assert unlocks.fetchone() == (1,)  # only the fixture's own unlock
    finally:
        conn.close()


def test_the_migrated_schema_matches_the_models(workspace):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with workspace.engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert compare_metadata(context, Base.metadata) == []


def downgrade(engine, revision: str) -> None:
    from alembic import command

    cfg = migrate._alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def test_every_migration_downgrades_and_upgrades_again_on_a_database_with_data(data_dir, workspace):
    # The fixture's database already has a user and audit entries that refer to her.
    people_count = "SELECT count(*) FROM people"
    with workspace.engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM audit_log")).scalar()
    downgrade(workspace.engine, "0001")
    assert migrate.current_revision(workspace.engine) == "0001"
    with workspace.engine.connect() as conn:
        assert "last_unlock_at" not in columns_of(conn.connection, "users")
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == before
        assert conn.execute(text(people_count)).scalar() == 0
    migrate.upgrade(workspace.engine)
    assert migrate.current_revision(workspace.engine) == migrate.HEAD
    with workspace.engine.connect() as conn:
        assert "last_unlock_at" in columns_of(conn.connection, "users")
        assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
