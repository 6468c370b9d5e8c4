"""A missing or empty database beside key slots is a damaged profile: said, never rebuilt."""

from __future__ import annotations

import sys

import pytest

from app.errors import AlreadyInitialised, UserError
from app.paths import DB_FILENAME, KEYSLOTS_FILENAME, is_initialised
from app.services import vault
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, ESTABLISHMENT


def test_a_zero_byte_database_is_reported_not_rebuilt(data_dir, initialised):
    db = data_dir / DB_FILENAME
    db.write_bytes(b"")
    for name in (f"{DB_FILENAME}-wal", f"{DB_FILENAME}-shm"):
        (data_dir / name).unlink(missing_ok=True)
    with pytest.raises(UserError, match=r"damaged: its database resettle.db is empty") as caught:
        vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    assert "Restore the latest backup" in str(caught.value)
    assert "disabled" not in str(caught.value)
    assert db.stat().st_size == 0  # no schema was written into it
    assert not (data_dir / f"{DB_FILENAME}-wal").exists()
    assert is_initialised(data_dir)  # the start window offers unlock, not a new set-up
    with pytest.raises(AlreadyInitialised):
        vault.initialise(data_dir, ESTABLISHMENT, ADMIN, ADMIN_PASSPHRASE)


def test_a_missing_database_beside_key_slots_is_reported(data_dir, initialised):
    (data_dir / DB_FILENAME).unlink()
    with pytest.raises(UserError, match="damaged: its database resettle.db is missing"):
        vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    assert not (data_dir / DB_FILENAME).exists()
    assert is_initialised(data_dir)


def test_a_missing_key_file_is_reported(data_dir, initialised):
    (data_dir / KEYSLOTS_FILENAME).unlink()
    with pytest.raises(UserError, match="damaged: its key file keyslots.json is missing"):
        vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    with pytest.raises(UserError, match="damaged"):
        vault.recover(data_dir, "A" * 40, ADMIN, "a recovered passphrase")


def test_a_database_with_no_schema_is_not_given_one(data_dir, initialised):
    """Not empty, but holding no Resettle tables (e.g. a new SQLCipher file under this key)."""
    from app.store.engine import connect_raw
    from tests.integration.conftest import database_key

    key = database_key(data_dir)
    db = data_dir / DB_FILENAME
    db.unlink()
    conn = connect_raw(db, key)
    conn.execute("CREATE TABLE unrelated (x)")
    conn.commit()
    conn.close()
    with pytest.raises(UserError, match="holds no Resettle data"):
        vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    conn = connect_raw(db, key)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()
    assert tables == {"unrelated"}


def test_the_cli_says_so_in_one_line(data_dir, initialised, tmp_path):
    import subprocess

    from tests.paths import ROOT

    (data_dir / DB_FILENAME).write_bytes(b"")
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "people", "--data-dir", str(data_dir), "--user", ADMIN,
         "--passphrase-stdin"],
        input=ADMIN_PASSPHRASE, capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "damaged" in done.stderr
    assert (data_dir / DB_FILENAME).stat().st_size == 0
