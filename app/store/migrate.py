"""Schema checks at unlock: compare to head cheaply, back up, then let Alembic upgrade.

The fast path (schema already current) reads one row and never imports Alembic, so an everyday
unlock stays quick. A database from a newer Resettle is refused rather than damaged.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, text

from app.errors import SchemaTooNew, UserError
from app.store.engine import WRITE_TRANSACTION
from app.store.file_lock import exclusive
from app.store.snapshot import vacuum_into, verify_copy

HEAD = "0008"
MIGRATION_LOCK = ".migration.lock"  # in the profile folder (the backups folder's parent)
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _alembic_config():  # noqa: ANN202 - alembic is imported lazily on purpose
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def script_head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
        ).first()
        if not exists:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    cfg = _alembic_config()
    # SQLite cannot rebuild a table that others reference while foreign keys are enforced,
    # and the pragma only changes outside a transaction: switch it off around the migration,
    # then check the result before switching it back on.
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection  # no SQLAlchemy autobegin for the pragma
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            # The write lock first: a second Resettle unlocking at the same moment waits, then
            # finds the schema already at `revision` and Alembic does nothing.
            conn.execution_options(**{WRITE_TRANSACTION: True})
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left {len(broken)} broken references")
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def ensure_current(engine: Engine, db_key: bytes, backup_dir: Path) -> Path | None:
    """Bring the schema to HEAD; return the verified pre-migration backup if one was made."""
    current = current_revision(engine)
    if current == HEAD:
        return None
    if current is None:  # an empty or foreign file: never build a new schema in its place
        raise UserError(
            "The database holds no Resettle data: this profile is damaged. Nothing was changed. "
            f"Restore the latest backup; copies made before upgrades are in {backup_dir}."
        )
    if current is not None and current not in known_revisions():
        raise SchemaTooNew(
            "This database was saved by a newer version of Resettle "
            f"(schema {current}). Install the newer version to open it; nothing was changed."
        )
    # Two Resettles unlocking an old database at once: the second waits here, then finds the
    # schema current and neither backs up nor migrates again.
    with exclusive(backup_dir.parent / MIGRATION_LOCK):
        current = current_revision(engine)
        if current == HEAD:
            return None
        backup: Path | None = None
        if current is not None:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            backup = backup_dir / f"before-migration-{current}-to-{HEAD}-{stamp}.db"
            vacuum_into(engine, backup)
            verify_copy(backup, db_key)
        upgrade(engine)
        return backup
