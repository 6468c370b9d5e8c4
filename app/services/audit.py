"""Reading the audit log (writing happens inside every operation, see Workspace.operation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.domain.audit_actions import Action, RecordType
from app.domain.roles import Permission
from app.errors import UserError
from app.services.workspace import Workspace
from app.store.models import AuditEntry

# Every action there is, for the audit viewer's filter (the enum is the one list to keep).
ACTIONS: tuple[Action, ...] = tuple(Action)


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    username: str
    action: str
    record_type: str
    record_id: str
    detail: str


def entries(
    ws: Workspace,
    *,
    action: Action | str | None = None,
    username: str | None = None,
    record_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 5000,
) -> list[AuditRow]:
    ws.require(Permission.VIEW_AUDIT)
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if action:
        if action not in Action._value2member_map_:
            raise UserError(f"There is no audit action {action!r} (for example: "
                            f"{Action.PERSON_VIEWED}, {Action.BUNDLE_EXPORTED}).")
        query = query.where(AuditEntry.action == Action(action))
    if username:
        query = query.where(AuditEntry.username == username)
    if record_id:
        query = query.where(AuditEntry.record_id == record_id)
    if since:
        query = query.where(AuditEntry.at >= since)
    if until:
        query = query.where(AuditEntry.at < until)
    with ws.operation(Action.AUDIT_VIEWED, RecordType.AUDIT) as (session, _entry):
        return [
            AuditRow(e.id, e.at, e.username, e.action, e.record_type, e.record_id, e.detail)
            for e in session.scalars(query)
        ]


def actions_in_log(ws: Workspace) -> list[Action]:
    """Every kind of action the log holds, for the audit viewer's filter: the list grows with
    the app (screenings, sheets, bundles...) without a table to keep in step."""
    ws.require(Permission.VIEW_AUDIT)
    with ws.read() as session:
        found = set(session.scalars(select(AuditEntry.action).distinct()))
    return sorted(found | set(ACTIONS))


def record(ws: Workspace, action: Action, record_type: RecordType | str = "",
           record_id: str = "") -> None:
    """An audit entry for an action with no data change (e.g. lock)."""
    with ws.operation(action, record_type, record_id):
        pass
