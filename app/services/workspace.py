"""An unlocked workstation profile: the open engine, who is working, and what she may do.

Services take a Workspace as their first argument. Locking disposes the engine (closing every
pooled connection) and forgets the key, so nothing can read the database until the next unlock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.audit_actions import Action, RecordType
from app.domain.roles import Permission, can
from app.domain.timezone import now_utc
from app.errors import PermissionDenied, UserError
from app.services import changes as change_events
from app.services.changes import ChangeCollector, Changes
from app.store.atomic import write_atomic
from app.store.engine import WRITE_TRANSACTION
from app.store.models import AuditEntry

ChangeListener = Callable[[Changes], None]


@dataclass(frozen=True)
class CurrentUser:
    id: int
    username: str
    display_name: str
    role: str
    must_change_passphrase: bool


class Workspace:
    def __init__(self, data_dir: Path, engine: Engine, db_key: bytes, user: CurrentUser) -> None:
        self.data_dir = data_dir
        self._engine: Engine | None = engine
        self._db_key: bytes | None = db_key
        self.user = user
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        change_events.install(self._sessions)
        self._listeners: list[ChangeListener] = []
        self._own_audit_ids: set[int] = set()
        self._seen_audit_id = 0

    @property
    def locked(self) -> bool:
        return self._engine is None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise UserError("Resettle is locked. Unlock it to go on.")
        return self._engine

    @property
    def db_key(self) -> bytes:
        if self._db_key is None:
            raise UserError("Resettle is locked. Unlock it to go on.")
        return self._db_key

    def can(self, permission: Permission) -> bool:
        return can(self.user.role, permission)

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(
                f"Your role ({self.user.role.replace('_', ' ')}) cannot do this. "
                "Ask an administrator if you need it."
            )

    def read(self) -> Session:
        """A session for reading; nothing it changes is committed."""
        self.engine  # noqa: B018 - raises if locked
        return self._sessions()

    @contextmanager
    def operation(
        self, action: Action, record_type: RecordType | str = "", record_id: str | int = ""
    ) -> Iterator[tuple[Session, AuditEntry]]:
        """One user action: one transaction with its audit entry, committed together or not at all.

        The caller may fill `entry.record_id` or `entry.detail` (never personal data) before
        the block ends.
        """
        self.engine  # noqa: B018 - raises if locked
        entry = AuditEntry(
            at=now_utc(),
            user_id=self.user.id,
            username=self.user.username,
            action=action,
            record_type=record_type,
            record_id=str(record_id),
            detail="",
        )
        found = ChangeCollector()
        with self._sessions.begin() as session:
            session.connection(execution_options={WRITE_TRANSACTION: True})  # BEGIN IMMEDIATE
            session.info["changes"] = found
            yield session, entry
            session.add(entry)
        if entry.id is not None:
            self._own_audit_ids.add(entry.id)
        self.publish(found.result())

    @contextmanager
    def audited_read(
        self, action: Action, record_type: RecordType | str = "", record_id: str | int = ""
    ) -> Iterator[tuple[Session, AuditEntry]]:
        """A look at records that the audit log must show, without holding the write lock.

        The block reads in a read transaction (so another Resettle's writes go on meanwhile and
        a long list never makes them wait); its audit entry (the caller may fill `record_id` and
        `detail`) is then committed in a short write transaction of its own. The block's result
        reaches the caller only after the entry is committed: nothing is seen unrecorded.
        """
        draft = AuditEntry(record_id=str(record_id), detail="")
        with self.read() as session:
            yield session, draft
        with self.operation(action, record_type, draft.record_id) as (_session, entry):
            entry.detail = draft.detail

    # --- change events ---------------------------------------------------------------------
    def subscribe(self, listener: ChangeListener) -> Callable[[], None]:
        """Call `listener` with what changed after every commit; returns an unsubscribe."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def publish(self, found: Changes) -> None:
        """Tell every listener; also used for changes found made elsewhere (the CLI, a sync)."""
        if found.empty:
            return
        for listener in list(self._listeners):
            listener(found)

    def mark_seen(self) -> None:
        """Start watching the audit log for other processes' changes from its newest entry."""
        with self.read() as session:
            newest = session.scalar(select(func.max(AuditEntry.id)))
        self._seen_audit_id = max(self._seen_audit_id, int(newest or 0))

    def check_external_changes(self) -> Changes:
        """Publish what other processes committed since we last looked (at window focus)."""
        with self.read() as session:
            found, newest = change_events.external_changes(
                session, self._seen_audit_id, self._own_audit_ids)
        self._own_audit_ids = {i for i in self._own_audit_ids if i > newest}
        self._seen_audit_id = newest
        self.publish(found)
        return found

    @contextmanager
    def operation_with_file(
        self, out: Path, action: str, record_type: str = "", record_id: str | int = ""
    ) -> Iterator[tuple[Session, AuditEntry, Callable[[bytes], None]]]:
        """One user action that also saves a file: the record and the file agree.

        Like `operation`, plus `save(data)`, which the block calls once, last: it flushes the
        block's changes (so a broken rule fails before any file exists), then writes `out`
        whole (app.store.atomic). If the file cannot be written, the transaction is rolled
        back (a UserError says why); if the commit fails after it was written, the file is
        removed. So no record says a file was made that is not there, and no file exists that
        the audit log does not show being made.
        """
        out = Path(out)
        written = False
        try:
            with self.operation(action, record_type, record_id) as (session, entry):

                def save(data: bytes) -> None:
                    nonlocal written
                    session.flush()
                    write_atomic(out, data)
                    written = True

                yield session, entry, save
                if not written:
                    raise RuntimeError(f"{action}: the operation ended without saving {out.name}")
        except BaseException:
            if written:
                out.unlink(missing_ok=True)
            raise

    def lock(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        self._engine = None
        self._listeners.clear()
        self._db_key = None
