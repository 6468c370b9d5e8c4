"""The referrals register: duty to refer, CRS, CAS3, supported housing, other.

Every save checks the referral against the rules (dates in order, council in the list, CAS3
only for sentenced women without NRPF) and the consent gate: a referral cannot be marked
submitted until her consent is recorded, unless an administrator records the legal basis for an
exception. Each save adds to the referral's history.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import referrals as rules
from app.domain.audit_actions import Action, RecordType
from app.domain.codes import ReferralEventAction, ReferralStatus, ReferralType, ScreeningStatus
from app.domain.referrals import ReferralContext, ReferralDraft
from app.domain.roles import Permission
from app.domain.timezone import now_utc, today_london
from app.errors import NotFound, PermissionDenied, StaleRecord, UserError, ValidationFailed
from app.services import consent
from app.services.workspace import Workspace
from app.store.models import Person, Referral, ReferralEvent, Screening

DRAFT_FIELDS = tuple(f.name for f in fields(ReferralDraft))
SUBMITTED_STATES = (ReferralStatus.SUBMITTED, ReferralStatus.ACCEPTED,
                    ReferralStatus.NOT_ACCEPTED, ReferralStatus.WITHDRAWN)


@dataclass(frozen=True)
class ReferralView:
    id: int
    person_id: int
    prison_number: str
    draft: ReferralDraft
    consent_recorded: bool
    consent_exception: str
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    version: int
    expires_on: date | None


@dataclass(frozen=True)
class ReferralEventView:
    at: datetime
    username: str
    action: str
    changes: dict[str, list[object]]


@dataclass(frozen=True)
class SaveResult:
    referral_id: int
    version: int
    warnings: tuple[str, ...]


def _draft(row: Referral) -> ReferralDraft:
    return ReferralDraft(**{name: getattr(row, name) for name in DRAFT_FIELDS})


def _nrpf(session: Session, person_id: int) -> bool:
    for answers in session.scalars(select(Screening.answers).where(
            Screening.person_id == person_id, Screening.status == ScreeningStatus.COMPLETED)):
        if json.loads(answers).get("NO_RECOURSE_TO_PUBLIC_FUNDS") == "YES":
            return True
    return False


def _context(session: Session, person: Person, referral_type: str, exception: bool,
             own_id: int | None) -> ReferralContext:
    given, withdrawn = consent.effective(session, person.id, referral_type)
    others = session.scalars(select(Referral).where(
        Referral.person_id == person.id, Referral.status.in_(SUBMITTED_STATES[:3]))).all()
    kinds = {r.type for r in others if r.id != own_id}
    return ReferralContext(
        custody_status=person.custody_status, nrpf=_nrpf(session, person.id),
        consent_given_on=given, consent_withdrawn_on=withdrawn, consent_exception=exception,
        today=today_london(), has_dtr_submitted=ReferralType.DUTY_TO_REFER in kinds,
        has_crs_submitted=ReferralType.CRS in kinds,
    )  # fmt: skip


def _view(session: Session, row: Referral, prison_number: str) -> ReferralView:
    given, withdrawn = consent.effective(session, row.person_id, row.type)
    expires = (rules.dtr_expires_on(row.submitted_on)
               if row.type == ReferralType.DUTY_TO_REFER and row.submitted_on else None)
    return ReferralView(
        row.id, row.person_id, prison_number, _draft(row),
        given is not None and withdrawn is None, row.consent_exception, row.created_at,
        row.created_by, row.updated_at, row.updated_by, row.version, expires,
    )  # fmt: skip


def save(ws: Workspace, person_id: int, draft: ReferralDraft, *, referral_id: int | None = None,
         expected_version: int | None = None, consent_exception: str = "") -> SaveResult:
    """Create or update a referral; refuse anything the rules or the consent gate forbid."""
    ws.require(Permission.EDIT_PEOPLE)
    exception = " ".join(consent_exception.split())
    if exception and not ws.can(Permission.MANAGE_USERS):
        raise PermissionDenied("Only an administrator can record a consent exception.")
    action = Action.REFERRAL_UPDATED if referral_id else Action.REFERRAL_CREATED
    with ws.operation(action, RecordType.PERSON, person_id) as (session, entry):
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("That record no longer exists.")
        row = session.get(Referral, referral_id) if referral_id else None
        if referral_id and (row is None or row.person_id != person_id):
            raise NotFound("That referral no longer exists.")
        if row is not None and row.version != expected_version:
            raise StaleRecord("Someone else saved this referral meanwhile; open it again.")
        keep_exception = exception or (row.consent_exception if row else "")
        ctx = _context(session, person, draft.type, bool(keep_exception), referral_id)
        problems = rules.problems(draft, ctx)
        if problems:
            raise ValidationFailed(problems)
        now = now_utc()
        before = asdict(_draft(row)) if row else {}
        if row is None:
            row = Referral(person_id=person_id, created_at=now, created_by=ws.user.username)
            session.add(row)
        for name in DRAFT_FIELDS:
            setattr(row, name, getattr(draft, name))
        row.consent_exception = keep_exception
        row.updated_at, row.updated_by = now, ws.user.username
        session.flush()
        after = asdict(draft)
        changes = {k: [str(before.get(k)) if before.get(k) is not None else None,
                       str(v) if v is not None else None]
                   for k, v in after.items() if before.get(k) != v}
        if exception:
            changes["consent_exception"] = [None, "recorded by an administrator"]
        session.add(ReferralEvent(referral_id=row.id, at=now, username=ws.user.username,
                                  action=(ReferralEventAction.UPDATED if referral_id
                                          else ReferralEventAction.CREATED),
                                  changes=json.dumps(changes)))
        entry.record_type, entry.record_id = RecordType.REFERRAL, str(row.id)
        entry.detail = f"type={draft.type};status={draft.status}"
        return SaveResult(row.id, row.version, tuple(rules.warnings(draft, ctx)))


def referrals_for(ws: Workspace, person_id: int) -> list[ReferralView]:
    ws.require(Permission.VIEW_PEOPLE)
    with ws.read() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("That record no longer exists.")
        rows = session.scalars(select(Referral).where(Referral.person_id == person_id)
                               .order_by(Referral.created_at, Referral.id))
        return [_view(session, r, person.prison_number) for r in rows]


def register(ws: Workspace, prison_number: str | None = None) -> list[ReferralView]:
    """Every referral (or one woman's), for the register and `resettle referrals`: audited."""
    ws.require(Permission.VIEW_PEOPLE)
    with ws.operation(Action.REFERRALS_LISTED, RecordType.REFERRAL) as (session, entry):
        query = select(Referral, Person.prison_number).join(Person,
                                                            Person.id == Referral.person_id)
        if prison_number:
            query = query.where(Person.prison_number == prison_number.strip().upper())
        rows = session.execute(query.order_by(Person.prison_number, Referral.id)).all()
        entry.detail = f"rows={len(rows)}"
        return [_view(session, row, number) for row, number in rows]


def history(ws: Workspace, referral_id: int) -> list[ReferralEventView]:
    ws.require(Permission.VIEW_PEOPLE)
    with ws.read() as session:
        events = session.scalars(select(ReferralEvent).where(
            ReferralEvent.referral_id == referral_id).order_by(ReferralEvent.at.desc(),
                                                              ReferralEvent.id.desc()))
        return [ReferralEventView(e.at, e.username, e.action, json.loads(e.changes))
                for e in events]


def require_type(value: str) -> str:
    try:
        return rules.ReferralType(value).value
    except ValueError:
        raise UserError(f"Unknown referral type {value!r}.") from None
