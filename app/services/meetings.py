"""The weekly EDIC list and the MAPPA list: on screen and as printable A4 PDFs (audited).

Showing a list is one audited action ("edic_listed", "mappa_listed"); printing one is another
("edic_printed", "mappa_printed"): the rows are read, the PDF made and saved, and the entry
recorded in one transaction, so a print is one audit entry, made only if the file was saved.
The rows are `MeetingRow`s (app.domain.meetings), the one shape the screen, the PDFs
and the CLI share.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import reference
from app.domain.audit_actions import Action, RecordType
from app.domain.codes import CustodyStatus
from app.domain.meetings import MeetingRow
from app.domain.referrals import TYPE_LABELS
from app.domain.release_risks import RISK_LABELS
from app.domain.release_risks import release_risks as day_risks
from app.domain.roles import Permission
from app.domain.timezone import now_utc
from app.services import settings
from app.services.workspace import Workspace
from app.store.models import Person, Plan, PlanTask, Referral, Transfer


def release_risks(release: date, at: time | None, accommodation_known: bool,
                  mappa_level: str, custody_status: str = CustodyStatus.SENTENCED
                  ) -> tuple[str, ...]:
    risks = [RISK_LABELS[r] for r in day_risks(release, at, custody_status)]
    if not accommodation_known:
        risks.append("No accommodation identified")
    if mappa_level:
        risks.append(f"MAPPA level {mappa_level}")
    return tuple(risks)


def _rows(session: Session, start: date, end: date, mappa_only: bool) -> list[MeetingRow]:
    """Women due out from `start` to `end` (only MAPPA cases if `mappa_only`), in release order;
    those transferred out are not listed."""
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
                         PlanTask.status.in_(("NOT_STARTED", "IN_PROGRESS")))
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
            person_id=person.id, prison_number=person.prison_number,
            name=f"{person.family_name.upper()}, {person.given_names}",
            release_date=person.release_date, release_time=person.release_time,
            release_type=reference.RELEASE_TYPES.get(person.release_type, ""),
            home_council=la.name if la else "", mappa_level=person.mappa_level,
            cpp_name=person.cpp_name, pom_name=person.pom_name,
            plan_status=f"Started {plan.started_on:%d/%m/%Y}" if plan else "No plan",
            accommodation_status=(
                plan.accommodation_summary.splitlines()[0] if plan and
                plan.accommodation_summary and not known else
                (f"Identified {plan.accommodation_identified_on:%d/%m/%Y}" if known and plan
                 else "Not identified")),
            risks=release_risks(person.release_date, person.release_time, known,
                                person.mappa_level, person.custody_status),
            open_tasks=tuple(tasks), referrals=summary,
        ))  # fmt: skip
    return result


def _listed(ws: Workspace, start: date, end: date, mappa_only: bool, action: str
            ) -> list[MeetingRow]:  # fmt: skip
    ws.require(Permission.VIEW_PEOPLE)
    with ws.operation(action, RecordType.CASELOAD) as (session, entry):
        result = _rows(session, start, end, mappa_only)
        entry.detail = f"rows={len(result)}"
        return result


def edic_rows(ws: Workspace, start: date, end: date) -> list[MeetingRow]:
    return _listed(ws, start, end, False, Action.EDIC_LISTED)


def mappa_rows(ws: Workspace, start: date, end: date) -> list[MeetingRow]:
    return _listed(ws, start, end, True, Action.MAPPA_LISTED)


def _print(ws: Workspace, out: Path, action: str, start: date, end: date, mappa_only: bool,
           render: Callable[[list[MeetingRow]], bytes], detail: str) -> int:
    """Read the rows, make the PDF and save it, with one audit entry, in one transaction."""
    ws.require(Permission.VIEW_PEOPLE)
    ws.require(Permission.EXPORT)
    with ws.operation_with_file(out, action, RecordType.CASELOAD) as (session, entry, save):
        rows = _rows(session, start, end, mappa_only)
        save(render(rows))
        entry.detail = f"rows={len(rows)};{detail}"
    return len(rows)


def write_edic(ws: Workspace, start: date, end: date, out: Path) -> int:
    """Save the EDIC list for the week to `out`; the number of women on it."""
    from app.documents.meeting_lists import render_edic

    establishment, by = settings.establishment(ws), ws.user.display_name
    return _print(ws, out, Action.EDIC_PRINTED, start, end, False, lambda rows: render_edic(
        establishment=establishment, week_start=start, week_end=end, rows=rows,
        generated_at=now_utc(), generated_by=by), f"week={start.isoformat()}")  # fmt: skip


def write_mappa(ws: Workspace, start: date, end: date, out: Path) -> int:
    """Save the MAPPA list for the period to `out`; the number of women on it."""
    from app.documents.meeting_lists import render_mappa

    establishment, by = settings.establishment(ws), ws.user.display_name
    return _print(ws, out, Action.MAPPA_PRINTED, start, end, True, lambda rows: render_mappa(
        establishment=establishment, start=start, end=end, rows=rows,
        generated_at=now_utc(), generated_by=by), f"from={start.isoformat()}")  # fmt: skip
