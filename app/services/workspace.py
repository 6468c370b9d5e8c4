"""An unlocked workstation profile: the open engine, who is working, and what she may do.

Services take a Workspace as their first argument. Locking disposes the engine (closing every
pooled connection) and forgets the key, so nothing can read the database until the next unlock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.domain.audit_actions import Action, RecordType
from app.domain.roles import Permission, can
from app.domain.timezone import now_utc
from app.errors import PermissionDenied, UserError
from app.store.models import AuditEntry


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
        with self._sessions.begin() as session:
            yield session, entry
            session.add(entry)

    def lock(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        self._engine = None
        self._db_key = None
