"""Reading the audit log (writing happens inside every operation, see Workspace.operation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.domain.roles import Permission
from app.services.workspace import Workspace
from app.store.models import AuditEntry

ACTIONS = (
    "initialise",
    "demo_created",
    "unlock",
    "unlock_failed",
    "lock",
    "recovery_key_used",
    "person_viewed",
    "person_created",
    "person_updated",
    "caseload_listed",
    "people_listed",
    "people_imported",
    "backup_created",
    "backup_restored",
    "user_created",
    "user_disabled",
    "user_enabled",
    "user_passphrase_reset",
    "user_role_changed",
    "own_passphrase_changed",
    "setting_changed",
    "audit_viewed",
    "information_sheets_given",
    "directory_service_added",
    "directory_service_changed",
    "directory_service_moved",
    "directory_service_removed",
)


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
    action: str | None = None,
    username: str | None = None,
    record_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 5000,
) -> list[AuditRow]:
    ws.require(Permission.VIEW_AUDIT)
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if action:
        query = query.where(AuditEntry.action == action)
    if username:
        query = query.where(AuditEntry.username == username)
    if record_id:
        query = query.where(AuditEntry.record_id == record_id)
    if since:
        query = query.where(AuditEntry.at >= since)
    if until:
        query = query.where(AuditEntry.at < until)
    with ws.operation("audit_viewed", "audit") as (session, _entry):
        return [
            AuditRow(e.id, e.at, e.username, e.action, e.record_type, e.record_id, e.detail)
            for e in session.scalars(query)
        ]


def actions_in_log(ws: Workspace) -> list[str]:
    """Every kind of action the log holds, for the audit viewer's filter: the list grows with
    the app (screenings, sheets, bundles...) without a table to keep in step."""
    ws.require(Permission.VIEW_AUDIT)
    with ws.read() as session:
        found = set(session.scalars(select(AuditEntry.action).distinct()))
    return sorted(found | set(ACTIONS))


def record(ws: Workspace, action: str, record_type: str = "", record_id: str = "") -> None:
    """An audit entry for an action with no data change (e.g. lock)."""
    with ws.operation(action, record_type, record_id):
        pass
