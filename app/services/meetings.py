"""The weekly EDIC list and the MAPPA list: on screen and as printable A4 PDFs (audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

from sqlalchemy import select

from app.domain import reference
from app.domain.audit_actions import Action, RecordType
from app.domain.codes import CustodyStatus, TaskStatus
from app.domain.referrals import TYPE_LABELS
from app.domain.release_risks import RISK_LABELS
from app.domain.release_risks import release_risks as day_risks
from app.domain.roles import Permission
from app.domain.timezone import now_utc
from app.services import settings
from app.services.workspace import Workspace
from app.store.models import Person, Plan, PlanTask, Referral, Transfer


@dataclass(frozen=True)
class MeetingRow:
    person_id: int
    prison_number: str
    name: str
    release_date: date
    release_time: time | None
    release_type: str
    home_council: str
    mappa_level: str
    cpp_name: str
    pom_name: str
    plan_status: str
    accommodation_status: str
    risks: tuple[str, ...]
    open_tasks: tuple[str, ...]
    referrals: str


def release_risks(release: date, at: time | None, accommodation_known: bool,
                  mappa_level: str, custody_status: str = CustodyStatus.SENTENCED
                  ) -> tuple[str, ...]:
    risks = [RISK_LABELS[r] for r in day_risks(release, at, custody_status)]
    if not accommodation_known:
        risks.append("No accommodation identified")
    if mappa_level:
        risks.append(f"MAPPA level {mappa_level}")
    return tuple(risks)


def _rows(ws: Workspace, start: date, end: date, mappa_only: bool, action: str
          ) -> list[MeetingRow]:
    ws.require(Permission.VIEW_PEOPLE)
    with ws.operation(action, RecordType.CASELOAD) as (session, entry):
        query = (select(Person, Plan).outerjoin(Plan, Plan.person_id == Person.id)
                 .where(Person.release_date >= start, Person.release_date <= end,
                        ~Person.id.in_(select(Transfer.person_id)))
                 .order_by(Person.release_date, Person.release_time, Person.family_name))
        if mappa_only:
            query = query.where(Person.mappa_level != "")
        result = []
        for person, plan in session.execute(query).all():
            tasks: list[str] = []
            if plan is not None:
                tasks = [f"{t.title}" + (f" (by {t.due_date:%d/%m})" if t.due_date else "")
                         for t in session.scalars(select(PlanTask).where(
                             PlanTask.plan_id == plan.id,
                             PlanTask.status.in_((TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)))
                             .order_by(PlanTask.due_date))]
            referrals = session.scalars(select(Referral).where(
                Referral.person_id == person.id).order_by(Referral.id)).all()
            summary = "; ".join(
                f"{TYPE_LABELS.get(r.type, r.type)}: {r.status.lower().replace('_', ' ')}"
                + (f" {r.submitted_on:%d/%m/%Y}" if r.submitted_on else "")
                for r in referrals) or "No referrals recorded"
            known = plan is not None and plan.accommodation_identified_on is not None
            la = reference.local_authorities().get(person.home_local_authority)
            result.append(MeetingRow(
                person.id, person.prison_number,
                f"{person.family_name.upper()}, {person.given_names}", person.release_date,
                person.release_time, reference.RELEASE_TYPES.get(person.release_type, ""),
                la.name if la else "", person.mappa_level, person.cpp_name, person.pom_name,
                f"Started {plan.started_on:%d/%m/%Y}" if plan else "No plan",
                (plan.accommodation_summary.splitlines()[0] if plan and
                 plan.accommodation_summary and not known else
                 (f"Identified {plan.accommodation_identified_on:%d/%m/%Y}" if known and plan
                  else "Not identified")),
                release_risks(person.release_date, person.release_time, known,
                              person.mappa_level, person.custody_status),
                tuple(tasks), summary,
            ))  # fmt: skip
        entry.detail = f"rows={len(result)}"
        return result


def edic_rows(ws: Workspace, start: date, end: date) -> list[MeetingRow]:
    return _rows(ws, start, end, False, Action.EDIC_LISTED)


def mappa_rows(ws: Workspace, start: date, end: date) -> list[MeetingRow]:
    return _rows(ws, start, end, True, Action.MAPPA_LISTED)


def write_edic(ws: Workspace, start: date, end: date, out: Path) -> int:
    from app.documents.meeting_lists import EdicRow, render_edic

    ws.require(Permission.EXPORT)
    rows = edic_rows(ws, start, end)
    render_edic(out, establishment=settings.establishment(ws), week_start=start, week_end=end,
                rows=[EdicRow(r.prison_number, r.name, r.release_date, r.release_time,
                              r.release_type, r.home_council, r.plan_status,
                              r.accommodation_status, r.risks, r.open_tasks, r.referrals)
                      for r in rows],
                generated_at=now_utc(), generated_by=ws.user.display_name)
    with ws.operation(Action.EDIC_PRINTED, RecordType.CASELOAD) as (_session, entry):
        entry.detail = f"rows={len(rows)};week={start.isoformat()}"
    return len(rows)


def write_mappa(ws: Workspace, start: date, end: date, out: Path) -> int:
    from app.documents.meeting_lists import MappaRow, render_mappa

    ws.require(Permission.EXPORT)
    rows = mappa_rows(ws, start, end)
    render_mappa(out, establishment=settings.establishment(ws), start=start, end=end,
                 rows=[MappaRow(r.prison_number, r.name, r.mappa_level, r.release_date,
                                r.release_type, r.home_council, r.cpp_name, r.pom_name,
                                r.plan_status, r.accommodation_status) for r in rows],
                 generated_at=now_utc(), generated_by=ws.user.display_name)
    with ws.operation(Action.MAPPA_PRINTED, RecordType.CASELOAD) as (_session, entry):
        entry.detail = f"rows={len(rows)};from={start.isoformat()}"
    return len(rows)
