"""Person records and the caseload list.

The caseload loads only the columns the list shows, as small frozen rows, in one query: 5,000
women is a few hundred kilobytes, so filtering in memory is faster than a query per keystroke.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Row, bindparam, select, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.domain.audit_actions import Action, RecordType
from app.domain.caseload import CaseloadRow, WindowClassifier, search_key
from app.domain.person import PersonDraft, normalise_prison_number, validate
from app.domain.release_risks import RiskCodes
from app.domain.roles import Permission
from app.domain.timezone import now_utc, today_london
from app.errors import NotFound, StaleRecord, ValidationFailed
from app.services.planning import open_plan_if_due, shift_for_new_release
from app.services.workspace import Workspace
from app.store.models import AuditEntry, Person, ReleaseOutcome, Transfer

DRAFT_FIELDS = tuple(f.name for f in fields(PersonDraft))


@dataclass(frozen=True)
class PersonRecord:
    id: int
    version: int
    draft: PersonDraft
    released_on: date | None = None  # an outcome is recorded: she has left
    transferred_to: str = ""  # she moved to another prison


def _record(session: Session, person: Person) -> PersonRecord:
    released_on = session.scalar(
        select(ReleaseOutcome.released_on).where(ReleaseOutcome.person_id == person.id))
    transferred_to = session.scalar(
        select(Transfer.destination).where(Transfer.person_id == person.id))
    return PersonRecord(person.id, person.version, _to_draft(person), released_on,
                        transferred_to or "")


def _to_draft(person: Person) -> PersonDraft:
    return PersonDraft(**{name: getattr(person, name) for name in DRAFT_FIELDS})


def _checked(ws: Workspace, draft: PersonDraft, own_id: int | None = None) -> PersonDraft:
    clean = draft.normalised()
    errors = validate(clean, now_utc())
    if "prison_number" not in errors:
        with ws.read() as session:
            other = session.scalar(
                select(Person.id).where(Person.prison_number == clean.prison_number)
            )
        if other is not None and other != own_id:
            errors["prison_number"] = f"{clean.prison_number} is already on the caseload."
    if errors:
        raise ValidationFailed(errors)
    return clean


def add_person(ws: Workspace, draft: PersonDraft) -> int:
    ws.require(Permission.EDIT_PEOPLE)
    clean = _checked(ws, draft)
    with ws.operation(Action.PERSON_CREATED, RecordType.PERSON) as (session, entry):
        at = now_utc()
        person = Person(
            **{n: getattr(clean, n) for n in DRAFT_FIELDS}, created_at=at, updated_at=at
        )
        session.add(person)
        session.flush()
        entry.record_id = str(person.id)
        return person.id


def update_person(ws: Workspace, person_id: int, draft: PersonDraft, expected_version: int) -> int:
    """Save changes made from `expected_version`; refuse if someone saved in between."""
    return update_person_and_replan(ws, person_id, draft, expected_version)[0]


def update_person_and_replan(ws: Workspace, person_id: int, draft: PersonDraft,
                             expected_version: int) -> tuple[int, list[str]]:
    """As update_person; a new release date moves her plan's due dates, and says what moved."""
    ws.require(Permission.EDIT_PEOPLE)
    clean = _checked(ws, draft, own_id=person_id)
    try:
        with ws.operation(Action.PERSON_UPDATED, RecordType.PERSON, person_id) as (session, entry):
            person = session.get(Person, person_id)
            if person is None:
                raise NotFound("That record no longer exists.")
            if person.version != expected_version:
                raise StaleRecord(
                    "Someone else saved this record while you were editing. "
                    "Close the form and open it again; your changes were not saved."
                )
            changed = [n for n in DRAFT_FIELDS if getattr(person, n) != getattr(clean, n)]
            old_release = person.release_date
            for name in changed:
                setattr(person, name, getattr(clean, name))
            person.updated_at = now_utc()
            entry.detail = "fields=" + ",".join(changed)  # names of fields, never values
            moved = []
            if "release_date" in changed:
                moved = shift_for_new_release(session, person_id, old_release,
                                              clean.release_date, ws.user.username)
                # The 12-week rule, in this same transaction: every window sees her plan at once.
                if open_plan_if_due(session, person, ws.user.username):
                    entry.detail += ";plan_opened"
                    moved.append("Her pre-release plan opened: she is due out within 12 weeks.")
            session.flush()
            return person.version, moved
    except StaleDataError:
        raise StaleRecord(
            "Someone else saved this record at the same time; open it again."
        ) from None


def get_person(ws: Workspace, person_id: int) -> PersonRecord:
    """Opening a record is itself audited: who looked at whom, and when."""
    ws.require(Permission.VIEW_PEOPLE)
    with ws.operation(Action.PERSON_VIEWED, RecordType.PERSON, person_id) as (session, _entry):
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("That record no longer exists.")
        return _record(session, person)


def reread_person(ws: Workspace, person_id: int) -> PersonRecord | None:
    """Her record again after a change, for a view that already shows it: not a new look, so
    not audited as one. None if she is no longer on this workstation (erased, transferred in
    again under a new id)."""
    ws.require(Permission.VIEW_PEOPLE)
    with ws.read() as session:
        person = session.get(Person, person_id)
        return None if person is None else _record(session, person)


def find_id(ws: Workspace, prison_number: str) -> int | None:
    ws.require(Permission.VIEW_PEOPLE)
    with ws.read() as session:
        return session.scalar(
            select(Person.id).where(Person.prison_number == normalise_prison_number(prison_number))
        )


# Plain SQL on purpose: SQLAlchemy's per-value date processing costs more than the query itself
# at 5,000 rows, and dates repeat, so they are parsed once each below (see benchmarks/).
_CASELOAD_SQL = text(
    "SELECT id, prison_number, family_name, given_names, aliases, date_of_birth, nationality,"
    " custody_status, release_date, release_time, home_local_authority,"
    " (SELECT destination FROM transfers t WHERE t.person_id = people.id),"
    " (SELECT released_on FROM release_outcomes o WHERE o.person_id = people.id) FROM people"
)


_ROWS_SQL = text(_CASELOAD_SQL.text + " WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True))


def caseload(
    ws: Workspace, today: date | None = None, *, audit_action: Action = Action.CASELOAD_LISTED,
    only: Collection[int] | None = None,
) -> list[CaseloadRow]:
    """Everyone on the caseload, sorted by family then given names, ignoring case.

    `only` re-reads just those women for a list that already shows the caseload (after a
    change): that is not a new look at the caseload, so it is not audited again.
    """
    ws.require(Permission.VIEW_PEOPLE)
    if only is not None:
        with ws.read() as session:
            raw = session.connection().execute(_ROWS_SQL, {"ids": list(only)}).fetchall()
        return _caseload_rows(raw, today)
    with ws.audited_read(audit_action, RecordType.CASELOAD) as (session, entry):
        raw = session.connection().execute(_CASELOAD_SQL).fetchall()
        rows = _caseload_rows(raw, today)
        entry.detail = f"rows={len(rows)}"
        return rows


def _caseload_rows(raw: Sequence[Row[Any]], today: date | None) -> list[CaseloadRow]:
    classify = WindowClassifier(today or today_london())
    risks_of = RiskCodes()

    dates: dict[str | None, date | None] = {None: None}
    times: dict[str | None, time | None] = {None: None}

    def as_date(value: str | None) -> date | None:
        if value not in dates:
            dates[value] = date.fromisoformat(value)  # type: ignore[arg-type]
        return dates[value]

    def as_time(value: str | None) -> time | None:
        if value not in times:
            times[value] = time.fromisoformat(value)  # type: ignore[arg-type]
        return times[value]

    rows = []
    for (pid, number, family, given, aliases, born, nationality, custody, release,
         release_time, council, transferred_to, released_on) in raw:  # fmt: skip
        release_date = as_date(release)
        at = as_time(release_time)
        rows.append(
            CaseloadRow(
                pid, number, family, given, as_date(born), nationality, custody,  # type: ignore[arg-type]
                release_date, at, council,
                search_key(number, family, given, aliases),
                # Once released (outcome recorded) she is in no release window any more.
                frozenset() if released_on else classify(release_date),
                transferred_to or "",
                () if released_on else risks_of(release_date, at, custody),
                as_date(released_on),
            )
        )  # fmt: skip
    rows.sort(key=lambda r: (r.family_name.casefold(), r.given_names.casefold()))
    return rows


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    username: str
    action: str
    detail: str


def history(ws: Workspace, person_id: int) -> list[HistoryEntry]:
    """Who created, changed or opened this record, newest first (from the audit log)."""
    ws.require(Permission.VIEW_PEOPLE)
    query = (
        select(AuditEntry)
        .where(AuditEntry.record_type == RecordType.PERSON, AuditEntry.record_id == str(person_id))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(500)
    )
    with ws.read() as session:
        return [HistoryEntry(e.at, e.username, e.action, e.detail) for e in session.scalars(query)]
