"""Consistent encrypted copies of the open database, checked before anyone relies on them.

`VACUUM INTO` writes a transactionally consistent copy that includes what is still in the WAL
and, under SQLCipher, is encrypted with the same key. Copying the `.db` file instead would lose
whatever had not been checkpointed; `sqlcipher_export` would drop `user_version`.
"""

from __future__ import annotations

from pathlib import Path

import sqlcipher3
from sqlalchemy import Engine

from app.errors import UserError
from app.store.engine import connect_raw
from app.store.private import new_private_file, private_folder


def vacuum_into(engine: Engine, dest: Path) -> None:
    private_folder(dest.parent)
    if dest.exists():
        dest.unlink()
    new_private_file(dest)  # owner-only from the start; VACUUM INTO fills an empty file
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("VACUUM INTO ?", (str(dest),))
        cursor.close()
    except sqlcipher3.OperationalError as exc:
        dest.unlink(missing_ok=True)
        raise UserError(
            f"Could not write the copy to {dest.parent}: {exc}. Nothing changed."
        ) from exc
    finally:
        raw.close()


def verify_copy(path: Path, db_key: bytes) -> None:
    """Every page authenticates under the key and the b-trees are sound, or UserError."""
    conn = connect_raw(path, db_key)
    try:
        bad = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        if bad:
            raise UserError(
                f"The copy {path.name} failed its encryption check "
                f"({len(bad)} page{'s' * (len(bad) != 1)})."
            )
        result = conn.execute("PRAGMA integrity_check").fetchone()
        if not result or result[0] != "ok":
            raise UserError(f"The copy {path.name} failed its integrity check.")
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
