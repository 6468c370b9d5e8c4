"""Consent to share her data: recorded before any referral that shares it, withdrawable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.audit_actions import Action, RecordType
from app.domain.codes import ConsentScope
from app.domain.referrals import CONSENT_METHODS, CONSENT_SCOPES
from app.domain.roles import Permission
from app.domain.timezone import now_utc, today_london
from app.errors import NotFound, ValidationFailed
from app.services.workspace import Workspace
from app.store.models import Consent

ALL_REFERRALS = ConsentScope.ALL
SCOPES = CONSENT_SCOPES


@dataclass(frozen=True)
class ConsentView:
    id: int
    scope: str
    shared_with: str
    given_on: date
    method: str
    recorded_by: str
    withdrawn_on: date | None
    notes: str


def consents_for(ws: Workspace, person_id: int) -> list[ConsentView]:
    ws.require(Permission.VIEW_PEOPLE)
    with ws.read() as session:
        rows = session.scalars(select(Consent).where(Consent.person_id == person_id)
                               .order_by(Consent.given_on, Consent.id))
        return [ConsentView(c.id, c.scope, c.shared_with, c.given_on, c.method, c.recorded_by,
                            c.withdrawn_on, c.notes) for c in rows]


def record(ws: Workspace, person_id: int, *, scope: str, shared_with: str, given_on: date,
           method: str, notes: str = "") -> int:
    ws.require(Permission.EDIT_PEOPLE)
    problems = {}
    if scope not in SCOPES:
        problems["scope"] = "Choose what she consented to."
    if not shared_with.strip():
        problems["shared_with"] = "Say with whom her data may be shared (e.g. the council)."
    if given_on > today_london():
        problems["given_on"] = "The consent date is in the future."
    if method not in CONSENT_METHODS:
        problems["method"] = "Choose how consent was obtained."
    if problems:
        raise ValidationFailed(problems)
    with ws.operation(Action.CONSENT_RECORDED, RecordType.PERSON, person_id) as (session, entry):
        consent = Consent(person_id=person_id, scope=scope, shared_with=shared_with.strip(),
                          given_on=given_on, method=method, recorded_by=ws.user.username,
                          recorded_at=now_utc(), notes=notes.strip())
        session.add(consent)
        session.flush()
        entry.detail = f"scope={scope}"
        return consent.id


def withdraw(ws: Workspace, consent_id: int, withdrawn_on: date) -> None:
    ws.require(Permission.EDIT_PEOPLE)
    with ws.operation(Action.CONSENT_WITHDRAWN, RecordType.CONSENT, consent_id) as (session,
                      _entry):
        consent = session.get(Consent, consent_id)
        if consent is None:
            raise NotFound("That consent record no longer exists.")
        if withdrawn_on < consent.given_on or withdrawn_on > today_london():
            raise ValidationFailed({"withdrawn_on": "The withdrawal date must be between the "
                                    "consent date and today."})
        consent.withdrawn_on, consent.withdrawn_by = withdrawn_on, ws.user.username


def effective(session: Session, person_id: int, referral_type: str
              ) -> tuple[date | None, date | None]:
    """(given, withdrawn) of the consent that covers this type of referral, if any.

    A type that is not a referral type (a draft the rules will refuse) is covered only by
    consent to any referral.
    """
    scopes = [ConsentScope.ALL]
    if referral_type in ConsentScope.__members__ and referral_type != ConsentScope.ALL:
        scopes.append(ConsentScope(referral_type))
    rows = session.scalars(
        select(Consent).where(Consent.person_id == person_id, Consent.scope.in_(scopes))
        .order_by(Consent.given_on.desc())
    ).all()
    live = [c for c in rows if c.withdrawn_on is None]
    if live:
        return live[-1].given_on, None
    if rows:
        return rows[0].given_on, rows[0].withdrawn_on
    return None, None
