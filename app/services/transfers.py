"""Transferring a woman out: everything open goes with her, in a handover summary PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.domain.audit_actions import Action, RecordType
from app.domain.codes import NeedReview, NeedStatus
from app.domain.referrals import TYPE_LABELS
from app.domain.roles import Permission
from app.domain.timezone import now_utc, today_london
from app.errors import UserError, ValidationFailed
from app.services import needs, people, planning, referrals, screening, settings
from app.services.workspace import Workspace
from app.store.models import Transfer


def transfer_out(ws: Workspace, person_id: int, *, transferred_on: date, destination: str,
                 handover_pdf: Path) -> Path:
    """Record the transfer and write the handover summary of everything still open."""
    from app.documents.handover import HandoverItem, render_handover

    ws.require(Permission.EDIT_PEOPLE)
    ws.require(Permission.EXPORT)
    if not destination.strip():
        raise ValidationFailed({"destination": "Say where she is going (the receiving prison)."})
    if transferred_on > today_london():
        raise ValidationFailed({"transferred_on": "The transfer date is in the future."})
    record = people.get_person(ws, person_id)
    d = record.draft
    with ws.read() as session:
        if session.scalars(select(Transfer.id).where(Transfer.person_id == person_id)).first():
            raise UserError("She is already recorded as transferred.")
    states = screening.screenings_for(ws, person_id)
    screening_lines = tuple(
        f"{kind}: {state.status.replace('_', ' ').lower()}" for kind, state in states.items()
    )
    need_lines = tuple(
        f"{n.title} ({n.owner.lower()}, {n.status.replace('_', ' ').lower()})"
        for n in needs.needs_for(ws, person_id)
        if n.review != NeedReview.DECLINED and n.status != NeedStatus.MET
    )
    plan = planning.plan_for(ws, person_id)
    task_lines = tuple(
        f"{t.title}" + (f" — due {t.due_date:%d/%m/%Y}" if t.due_date else "")
        for t in (plan.tasks if plan else ()) if t.status in planning.OPEN_TASK
    )
    referral_lines = tuple(
        f"{TYPE_LABELS.get(r.draft.type, r.draft.type)}: {r.draft.status.lower()}"
        + (f", submitted {r.draft.submitted_on:%d/%m/%Y}" if r.draft.submitted_on else "")
        + ("" if r.consent_recorded else " — consent not recorded")
        for r in referrals.referrals_for(ws, person_id)
    )
    sections = [
        HandoverItem("Induction screening", screening_lines),
        HandoverItem("Open support needs", need_lines),
        HandoverItem("Open plan tasks", task_lines),
        HandoverItem("Referrals", referral_lines),
    ]
    assert d.date_of_birth is not None
    render_handover(
        handover_pdf, establishment=settings.establishment(ws), prison_number=d.prison_number,
        name=f"{d.family_name.upper()}, {d.given_names}", date_of_birth=d.date_of_birth,
        destination=destination.strip(), transferred_on=transferred_on, sections=sections,
        generated_at=now_utc(), generated_by=ws.user.display_name,
    )  # fmt: skip
    with ws.operation(Action.PERSON_TRANSFERRED, RecordType.PERSON, person_id) as (session, _entry):
        session.add(Transfer(person_id=person_id, transferred_on=transferred_on,
                             destination=destination.strip(), recorded_by=ws.user.username,
                             recorded_at=now_utc()))
    return handover_pdf
