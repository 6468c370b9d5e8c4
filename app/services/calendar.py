"""The team's working calendar: bank holidays come with Resettle, closure days are the team's."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.domain.audit_actions import Action, RecordType
from app.domain.roles import Permission
from app.domain.working_days import WorkingCalendar
from app.errors import UserError
from app.services.workspace import Workspace
from app.store.models import ClosureDay


def working_calendar(ws: Workspace) -> WorkingCalendar:
    with ws.read() as session:
        return WorkingCalendar(session.scalars(select(ClosureDay.day)))


def closures(ws: Workspace) -> list[tuple[date, str]]:
    with ws.read() as session:
        rows = session.scalars(select(ClosureDay).order_by(ClosureDay.day))
        return [(row.day, row.reason) for row in rows]


def add_closure(ws: Workspace, day: date, reason: str) -> None:
    ws.require(Permission.CHANGE_SETTINGS)
    with ws.operation(Action.CLOSURE_DAY_ADDED, RecordType.CLOSURE_DAY, day.isoformat()) as (
            session, _entry):
        if session.get(ClosureDay, day) is not None:
            raise UserError(f"{day:%d/%m/%Y} is already a closure day.")
        session.add(ClosureDay(day=day, reason=" ".join(reason.split())[:200]))


def remove_closure(ws: Workspace, day: date) -> None:
    ws.require(Permission.CHANGE_SETTINGS)
    with ws.operation(Action.CLOSURE_DAY_REMOVED, RecordType.CLOSURE_DAY, day.isoformat()) as (
            session, _entry):
        row = session.get(ClosureDay, day)
        if row is None:
            raise UserError(f"{day:%d/%m/%Y} is not a closure day.")
        session.delete(row)
