"""BCST1 and BCST2: drafts saved as staff go, completion with a check, amendments with history.

A screening keeps the questionnaire version it was started with, so a later version of the
question set never makes old answers unreadable. Completing or amending proposes support needs
(app.services.needs) in the same transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import needs_rules, questionnaire
from app.domain.audit_actions import Action, RecordType
from app.domain.codes import ScreeningChangeAction, ScreeningKind, ScreeningStatus
from app.domain.questionnaire import Answers, Questionnaire
from app.domain.roles import Permission
from app.domain.timezone import now_utc, to_london
from app.errors import NotFound, StaleRecord, UserError, ValidationFailed
from app.services import needs
from app.services.calendar import working_calendar
from app.services.workspace import Workspace
from app.store.models import Person, Screening, ScreeningChange

KINDS: tuple[ScreeningKind, ...] = tuple(ScreeningKind)
# Kept under their old names for callers; the values are ScreeningStatus's.
NOT_STARTED, DRAFT, COMPLETED, SKIPPED = (ScreeningStatus.NOT_STARTED, ScreeningStatus.DRAFT,
                                          ScreeningStatus.COMPLETED, ScreeningStatus.SKIPPED)
CLOSED = (COMPLETED, SKIPPED)


@dataclass(frozen=True)
class ScreeningState:
    person_id: int
    kind: str
    status: str
    questionnaire_version: int
    answers: Answers
    completed_at: datetime | None
    completed_by: str | None
    updated_at: datetime | None
    updated_by: str | None
    row_version: int | None  # None until the first draft is saved
    skip_reason: str = ""

    @property
    def form(self) -> Questionnaire:
        return questionnaire.load(self.kind, self.questionnaire_version)


@dataclass(frozen=True)
class ChangeEntry:
    at: datetime
    username: str
    action: str
    changes: dict[str, tuple[object, object]]


def _kind(kind: str) -> ScreeningKind:
    if kind not in KINDS:
        raise UserError(f"Unknown screening {kind!r}: use BCST1 or BCST2.")
    return ScreeningKind(kind)


def _state(person_id: int, kind: str, row: Screening | None) -> ScreeningState:
    if row is None:
        latest = questionnaire.load(kind)
        return ScreeningState(person_id, kind, NOT_STARTED, latest.version, {}, None, None,
                              None, None, None)
    return ScreeningState(
        person_id, kind, row.status, row.questionnaire_version, json.loads(row.answers),
        row.completed_at, row.completed_by, row.updated_at, row.updated_by, row.version,
        row.skip_reason,
    )  # fmt: skip


def _row(session: Session, person_id: int, kind: str) -> Screening | None:
    return session.scalars(
        select(Screening).where(Screening.person_id == person_id, Screening.kind == kind)
    ).first()


def screenings_for(ws: Workspace, person_id: int) -> dict[str, ScreeningState]:
    ws.require(Permission.VIEW_PEOPLE)
    with ws.read() as session:
        rows = {
            r.kind: r
            for r in session.scalars(select(Screening).where(Screening.person_id == person_id))
        }
        return {kind: _state(person_id, kind, rows.get(kind)) for kind in KINDS}


def _check_version(row: Screening | None, expected: int | None) -> None:
    current = row.version if row is not None else None
    if current != expected:
        raise StaleRecord(
            "Someone else saved this screening while you were working on it. Close it and "
            "open it again; your last change was not saved."
        )


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("That record no longer exists.")
    return person


def save_draft(ws: Workspace, person_id: int, kind: str, answers: Answers,
               expected_version: int | None) -> ScreeningState:
    """Keep what she has typed so far; nothing is checked except the shape of each answer."""
    ws.require(Permission.EDIT_PEOPLE)
    kind = _kind(kind)
    with ws.operation(Action.SCREENING_DRAFT_SAVED, RecordType.PERSON, person_id) as (session,
                      entry):
        _person(session, person_id)
        row = _row(session, person_id, kind)
        _check_version(row, expected_version)
        if row is not None and row.status in CLOSED:
            raise UserError(f"{kind} is already closed; use Amend to change a completed one.")
        form = questionnaire.load(kind, row.questionnaire_version if row else None)
        problems = form.problems(answers, complete=False)
        if problems:
            raise ValidationFailed(problems)
        at = now_utc()
        if row is None:
            row = Screening(person_id=person_id, kind=kind, questionnaire_version=form.version,
                            status=DRAFT, started_at=at, started_by=ws.user.username)
            session.add(row)
        row.answers = json.dumps(answers, sort_keys=True)
        row.updated_at, row.updated_by = at, ws.user.username
        session.flush()
        entry.detail = f"kind={kind}"
        return _state(person_id, kind, row)


def _diff(before: Answers, after: Answers) -> dict[str, list[object]]:
    return {
        qid: [before.get(qid), after.get(qid)]
        for qid in sorted(set(before) | set(after))
        if before.get(qid) != after.get(qid)
    }


def _propose_needs(ws: Workspace, session: Session, person: Person) -> list[str]:
    merged: Answers = {}
    for kind in KINDS:
        row = _row(session, person.id, kind)
        if row is not None and row.status == COMPLETED:
            merged.update(json.loads(row.answers))
    facts = {
        "custody_status": person.custody_status,
        "nationality": person.nationality,
        "interpreter_needed": "true" if person.interpreter_needed else "false",
        "mappa_level": person.mappa_level,
        "release_date_known": "true" if person.release_date else "false",
    }
    templates = needs_rules.derive(merged, facts)
    return needs.propose(session, person.id, templates, working_calendar(ws), ws.user.username)


def complete(ws: Workspace, person_id: int, kind: str, answers: Answers,
             expected_version: int | None, completed_at: datetime | None = None
             ) -> ScreeningState:
    """Check every required answer, then complete; the time may be set back (paper first)."""
    ws.require(Permission.EDIT_PEOPLE)
    kind = _kind(kind)
    now = now_utc()
    completed_at = completed_at or now
    with ws.operation(Action.SCREENING_COMPLETED, RecordType.PERSON, person_id) as (session, entry):
        person = _person(session, person_id)
        row = _row(session, person_id, kind)
        _check_version(row, expected_version)
        if row is not None and row.status in CLOSED:
            raise UserError(f"{kind} is already closed; use Amend to change a completed one.")
        form = questionnaire.load(kind, row.questionnaire_version if row else None)
        clean = form.clean(answers)
        problems = form.problems(clean, complete=True)
        if completed_at > now + timedelta(minutes=5):
            problems["completed_at"] = "The completion time is in the future."
        elif completed_at < person.reception_at:
            received = to_london(person.reception_at).strftime("%d/%m/%Y %H:%M")
            problems["completed_at"] = (
                f"The completion time is before her reception ({received})."
            )
        if problems:
            raise ValidationFailed(problems)
        if row is None:
            row = Screening(person_id=person_id, kind=kind, questionnaire_version=form.version,
                            started_at=now, started_by=ws.user.username)
            session.add(row)
        previous: Answers = json.loads(row.answers) if row.answers else {}
        row.status = COMPLETED
        row.answers = json.dumps(clean, sort_keys=True)
        row.completed_at, row.completed_by = completed_at, ws.user.username
        row.updated_at, row.updated_by = now, ws.user.username
        session.flush()
        session.add(ScreeningChange(screening_id=row.id, at=now, username=ws.user.username,
                                    action=ScreeningChangeAction.COMPLETED,
                                    changes=json.dumps(_diff(previous, clean))))
        added = _propose_needs(ws, session, person)
        entry.detail = f"kind={kind};needs_proposed={len(added)}"
        return _state(person_id, kind, row)


def amend(ws: Workspace, person_id: int, kind: str, answers: Answers, expected_version: int
          ) -> ScreeningState:
    """Change a completed screening; the answers it replaces stay in its history."""
    ws.require(Permission.EDIT_PEOPLE)
    kind = _kind(kind)
    with ws.operation(Action.SCREENING_AMENDED, RecordType.PERSON, person_id) as (session, entry):
        person = _person(session, person_id)
        row = _row(session, person_id, kind)
        _check_version(row, expected_version)
        if row is None or row.status != COMPLETED:
            raise UserError(f"{kind} is not completed yet; complete it first.")
        form = questionnaire.load(kind, row.questionnaire_version)
        clean = form.clean(answers)
        problems = form.problems(clean, complete=True)
        if problems:
            raise ValidationFailed(problems)
        before = json.loads(row.answers)
        changes = _diff(before, clean)
        if not changes:
            raise UserError("Nothing was changed.")
        now = now_utc()
        row.answers = json.dumps(clean, sort_keys=True)
        row.updated_at, row.updated_by = now, ws.user.username
        session.flush()
        session.add(ScreeningChange(screening_id=row.id, at=now, username=ws.user.username,
                                    action=ScreeningChangeAction.AMENDED,
                                    changes=json.dumps(changes)))
        added = _propose_needs(ws, session, person)
        entry.detail = f"kind={kind};questions={len(changes)};needs_proposed={len(added)}"
        return _state(person_id, kind, row)


def history(ws: Workspace, person_id: int, kind: str) -> list[ChangeEntry]:
    ws.require(Permission.VIEW_PEOPLE)
    with ws.read() as session:
        row = _row(session, person_id, _kind(kind))
        if row is None:
            return []
        changes = session.scalars(
            select(ScreeningChange)
            .where(ScreeningChange.screening_id == row.id)
            .order_by(ScreeningChange.at.desc(), ScreeningChange.id.desc())
        )
        return [
            ChangeEntry(c.at, c.username, c.action,
                        {k: (v[0], v[1]) for k, v in json.loads(c.changes).items()})
            for c in changes
        ]


def export(ws: Workspace, person_id: int) -> dict[str, object]:
    """Her completed screenings with question ids and answer codes (an export: audited)."""
    ws.require(Permission.EXPORT)
    with ws.operation(Action.SCREENING_EXPORTED, RecordType.PERSON, person_id) as (session, _entry):
        person = _person(session, person_id)
        rows = session.scalars(
            select(Screening).where(Screening.person_id == person_id,
                                    Screening.status == COMPLETED).order_by(Screening.kind)
        )
        return {
            "prison_number": person.prison_number,
            "screenings": [
                {
                    "kind": r.kind,
                    "questionnaire_version": r.questionnaire_version,
                    "completed_at": r.completed_at.isoformat() if r.completed_at else None,
                    "completed_by": r.completed_by,
                    "answers": json.loads(r.answers),
                }
                for r in rows
            ],
        }


SKIP_REASONS = questionnaire.SKIP_REASONS  # kept here too: callers know it by this name


def skip(ws: Workspace, person_id: int, kind: str, reason: str,
         expected_version: int | None) -> ScreeningState:
    """Record that this screening is not needed here (HMPPS skip reasons), which closes it."""
    ws.require(Permission.EDIT_PEOPLE)
    kind = _kind(kind)
    if reason not in SKIP_REASONS:
        raise UserError("Choose why this screening is not needed.")
    with ws.operation(Action.SCREENING_SKIPPED, RecordType.PERSON, person_id) as (session, entry):
        _person(session, person_id)
        row = _row(session, person_id, kind)
        _check_version(row, expected_version)
        if row is not None and row.status == COMPLETED:
            raise UserError(f"{kind} is already completed.")
        now = now_utc()
        if row is None:
            row = Screening(person_id=person_id, kind=kind,
                            questionnaire_version=questionnaire.load(kind).version,
                            answers="{}", started_at=now, started_by=ws.user.username)
            session.add(row)
        row.status, row.skip_reason = SKIPPED, reason
        row.completed_at, row.completed_by = now, ws.user.username
        row.updated_at, row.updated_by = now, ws.user.username
        session.flush()
        entry.detail = f"kind={kind};reason={reason}"
        return _state(person_id, kind, row)
