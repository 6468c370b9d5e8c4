"""Transferring a woman out: everything open goes with her, in a handover summary PDF.

The handover summary is built here and only here (`handover_summary`): transfer_out saves it
beside the record of her transfer, and a transfer bundle (app.services.transfer_bundles)
carries the same bytes. Recording the transfer is one user action: the record, the saved PDF
and one audit entry ("person_transferred") commit together or not at all.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.audit_actions import Action, RecordType
from app.domain.codes import NeedReview, NeedStatus
from app.domain.referrals import TYPE_LABELS
from app.domain.roles import Permission
from app.domain.timezone import now_utc, today_london
from app.errors import NotFound, UserError, ValidationFailed
from app.services import consent, settings
from app.services.planning import OPEN_TASK
from app.services.screening import KINDS
from app.services.workspace import Workspace
from app.store.models import Person, Plan, PlanTask, Referral, Screening, SupportNeed, Transfer

if TYPE_CHECKING:  # ReportLab is imported only when a PDF is made
    from app.documents.handover import HandoverItem


def handover_sections(session: Session, person_id: int) -> list[HandoverItem]:
    """What is still open for her, in plain words: screenings, needs, plan tasks, referrals."""
    from app.documents.handover import HandoverItem

    statuses = {s.kind: s.status for s in session.scalars(
        select(Screening).where(Screening.person_id == person_id))}  # fmt: skip
    screening_lines = tuple(
        f"{kind}: {statuses.get(kind, 'NOT_STARTED').replace('_', ' ').lower()}" for kind in KINDS)
    need_lines = tuple(
        f"{n.title} ({n.owner.lower()}, {n.status.replace('_', ' ').lower()})"
        for n in session.scalars(select(SupportNeed).where(SupportNeed.person_id == person_id)
                                 .order_by(SupportNeed.id))
        if n.review != NeedReview.DECLINED and n.status != NeedStatus.MET
    )  # fmt: skip
    task_lines = tuple(
        t.title + (f" — due {t.due_date:%d/%m/%Y}" if t.due_date else "")
        for t in session.scalars(
            select(PlanTask).join(Plan, Plan.id == PlanTask.plan_id)
            .where(Plan.person_id == person_id, PlanTask.status.in_(OPEN_TASK))
            .order_by(PlanTask.due_date.is_(None), PlanTask.due_date, PlanTask.id))
    )  # fmt: skip
    referral_lines = []
    for r in session.scalars(select(Referral).where(Referral.person_id == person_id)
                             .order_by(Referral.created_at, Referral.id)):  # fmt: skip
        given, withdrawn = consent.effective(session, person_id, r.type)
        referral_lines.append(
            f"{TYPE_LABELS.get(r.type, r.type)}: {r.status.lower()}"
            + (f", submitted {r.submitted_on:%d/%m/%Y}" if r.submitted_on else "")
            + ("" if given is not None and withdrawn is None else " — consent not recorded"))
    return [HandoverItem("Induction screening", screening_lines),
            HandoverItem("Open support needs", need_lines),
            HandoverItem("Open plan tasks", task_lines),
            HandoverItem("Referrals", tuple(referral_lines))]  # fmt: skip


def handover_summary(session: Session, person: Person, *, establishment: str, destination: str,
                     transferred_on: date, generated_at: datetime, generated_by: str,
                     ) -> bytes:  # fmt: skip
    """Her handover summary PDF, read in `session` (bytes: a bundle carries it without a file,
    so it never passes through the system temp folder)."""
    from app.documents.handover import render_handover

    return render_handover(
        establishment=establishment, prison_number=person.prison_number,
        name=f"{person.family_name.upper()}, {person.given_names}",
        date_of_birth=person.date_of_birth, destination=destination,
        transferred_on=transferred_on, sections=handover_sections(session, person.id),
        generated_at=generated_at, generated_by=generated_by,
    )  # fmt: skip


def transfer_out(ws: Workspace, person_id: int, *, transferred_on: date, destination: str,
                 handover_pdf: Path) -> Path:
    """Record the transfer and save the handover summary of everything still open.

    One transaction and one audit entry: if the PDF cannot be saved (a UserError says why),
    she is not recorded as transferred; if the record cannot be committed, the PDF is removed.
    """
    ws.require(Permission.EDIT_PEOPLE)
    ws.require(Permission.EXPORT)
    destination = destination.strip()
    if not destination:
        raise ValidationFailed({"destination": "Say where she is going (the receiving prison)."})
    if transferred_on > today_london():
        raise ValidationFailed({"transferred_on": "The transfer date is in the future."})
    establishment = settings.establishment(ws)
    with ws.operation_with_file(handover_pdf, Action.PERSON_TRANSFERRED, RecordType.PERSON,
                                person_id) as (session, _entry, save):
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("That record no longer exists.")
        if session.scalars(select(Transfer.id).where(Transfer.person_id == person_id)).first():
            raise UserError("She is already recorded as transferred.")
        now = now_utc()
        session.add(Transfer(person_id=person_id, transferred_on=transferred_on,
                             destination=destination, recorded_by=ws.user.username,
                             recorded_at=now))
        save(handover_summary(session, person, establishment=establishment,
                              destination=destination, transferred_on=transferred_on,
                              generated_at=now, generated_by=ws.user.display_name))
    return handover_pdf
