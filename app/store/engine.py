"""Open the SQLCipher 4 database with a raw 256-bit key.

The key is passed as a raw hex key (`x'…'`) so SQLCipher skips its own PBKDF2: the slow,
tunable step is Argon2id in the key slot, done once per unlock rather than once per connection.
SQLAlchemy gets the connections from our own `creator`, because the `sqlite+pysqlcipher` URL with
a creator sends an empty key that SQLCipher 4.7+ rejects.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from app.errors import Busy, UserError, WrongPassphrase

_PRAGMAS = (
    "PRAGMA cipher_memory_security = ON",
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA synchronous = FULL",
)

# How long a connection waits for another Resettle (the window, a `resettle` command, a backup)
# to finish its write before giving up with `Busy`. Write transactions are short (a caseload
# read takes no write lock), so a wait this long means something is wrong, not merely busy.
BUSY_TIMEOUT_MS = 20_000
_BUSY_MESSAGES = ("database is locked", "database is busy")


WRITE_TRANSACTION = "resettle_write"  # execution option: begin with the write lock


def is_busy(exc: BaseException) -> bool:
    """SQLite's "locked"/"busy": another connection kept the write lock past BUSY_TIMEOUT_MS."""
    return isinstance(exc, sqlcipher3.OperationalError) and str(exc) in _BUSY_MESSAGES


def key_pragma(db_key: bytes) -> str:
    return f"PRAGMA key = \"x'{db_key.hex()}'\""


def connect_raw(path: Path, db_key: bytes) -> sqlcipher3.Connection:
    """One keyed, configured DB-API connection; raises WrongPassphrase if the key does not fit."""
    conn = sqlcipher3.connect(
        str(path), check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
    )
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(key_pragma(db_key))
        # The first read proves the key: with a wrong key the header does not decrypt.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        if is_busy(exc):
            raise Busy from exc
        if "not a database" in str(exc):
            raise WrongPassphrase("The database could not be opened with this key.") from exc
        raise UserError(f"The database could not be opened: {exc}") from exc
    try:
        for pragma in _PRAGMAS:
            conn.execute(pragma)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
    except sqlcipher3.OperationalError as exc:
        conn.close()
        if is_busy(exc):
            raise Busy from exc
        raise
    conn.isolation_level = ""  # back to DB-API transactions for SQLAlchemy
    return conn


def make_engine(path: Path, db_key: bytes) -> Engine:
    creator: Callable[[], Any] = lambda: connect_raw(path, db_key)  # noqa: E731
    engine = create_engine(
        "sqlite://",
        module=sqlcipher3.dbapi2,
        creator=creator,
        hide_parameters=True,  # error messages must never quote personal data
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=2,
    )

    # pysqlite's own transaction handling defers BEGIN; emit it ourselves so each service
    # call is one real transaction (see SQLAlchemy's "Serializable isolation / Savepoints" notes).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A write takes the write lock as it begins. In WAL mode a deferred transaction that
        # read first and writes later fails at once ("database is locked", busy_timeout does
        # not apply) if another connection committed in between, which a worker thread of the
        # window now can; begun IMMEDIATE, it waits its turn instead.
        immediate = conn.get_execution_options().get(WRITE_TRANSACTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> BaseException | None:
        # Waited BUSY_TIMEOUT_MS for another process's write: say so in words, in the window
        # and the CLI alike, instead of an OperationalError traceback (exit 3).
        if is_busy(context.original_exception):
            return Busy()
        return None

    return engine


def write_engine(engine: Engine) -> Engine:
    """The same engine whose every `begin()` takes the write lock first (BEGIN IMMEDIATE)."""
    return engine.execution_options(**{WRITE_TRANSACTION: True})
