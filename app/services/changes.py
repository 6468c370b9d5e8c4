"""What a committed action changed: which women, which kinds of record.

Every screen must show what is saved, so after each commit the workspace publishes a `Changes`
value and each view decides for itself whether it shows any of it (Anki's `OpChanges`). The
value is not declared by each service, where one forgotten line would leave a view stale: it is
read off SQLAlchemy's unit of work at flush time (every inserted, updated or deleted row, and
every bulk UPDATE/DELETE), so a service cannot change data without saying so.

Changes made by another process (the command line, later a team sync) are found from the audit
log, which every action writes: `external_changes` turns the entries since the last one seen into
the same value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from app.store import models


class Kind(StrEnum):
    """A kind of record a view may show; one per group of tables that change together."""

    PEOPLE = "people"
    SCREENING = "screening"
    NEEDS = "needs"
    PLAN = "plan"
    HEARINGS = "hearings"
    CONSENT = "consent"
    REFERRALS = "referrals"
    RELEASE_DAY = "release_day"
    OUTCOMES = "outcomes"
    SHEETS = "sheets"
    BUNDLES = "bundles"
    TRANSFERS = "transfers"
    USERS = "users"
    SETTINGS = "settings"
    DIRECTORY = "directory"
    CALENDAR = "calendar"
    SIGNING = "signing"
    AUDIT = "audit"


TABLE_KINDS: dict[str, Kind] = {
    "people": Kind.PEOPLE,
    "screenings": Kind.SCREENING,
    "screening_changes": Kind.SCREENING,
    "support_needs": Kind.NEEDS,
    "need_actions": Kind.NEEDS,
    "plans": Kind.PLAN,
    "plan_tasks": Kind.PLAN,
    "court_dates": Kind.HEARINGS,
    "consents": Kind.CONSENT,
    "referrals": Kind.REFERRALS,
    "referral_events": Kind.REFERRALS,
    "release_checklists": Kind.RELEASE_DAY,
    "checklist_items": Kind.RELEASE_DAY,
    "checklist_events": Kind.RELEASE_DAY,
    "support_contacts": Kind.RELEASE_DAY,
    "release_outcomes": Kind.OUTCOMES,
    "sheets_given": Kind.SHEETS,
    "bundles": Kind.BUNDLES,
    "bundle_events": Kind.BUNDLES,
    "transfers": Kind.TRANSFERS,
    "users": Kind.USERS,
    "settings": Kind.SETTINGS,
    "service_directory": Kind.DIRECTORY,
    "closure_days": Kind.CALENDAR,
    "signing_identities": Kind.SIGNING,
    "audit_log": Kind.AUDIT,
}

# Rows that name their woman through a parent row: (foreign key attribute, parent model).
_PARENTS: dict[type, tuple[str, type]] = {
    models.PlanTask: ("plan_id", models.Plan),
    models.ScreeningChange: ("screening_id", models.Screening),
    models.NeedAction: ("need_id", models.SupportNeed),
    models.ReferralEvent: ("referral_id", models.Referral),
    models.ChecklistItem: ("checklist_id", models.ReleaseChecklist),
    models.ChecklistEvent: ("checklist_id", models.ReleaseChecklist),
    models.BundleEvent: ("bundle_id", models.Bundle),
}


@dataclass(frozen=True)
class Changes:
    """Which kinds of record changed, for which women.

    `all_people` means the women are not known (a bulk statement, another process): a view
    showing any of those kinds reloads whole rather than row by row.
    """

    kinds: frozenset[Kind] = frozenset()
    people: frozenset[int] = frozenset()
    all_people: bool = False

    @classmethod
    def everything(cls) -> Changes:
        return cls(frozenset(Kind), frozenset(), True)

    @classmethod
    def of(cls, *kinds: Kind, people: Iterable[int] = (), all_people: bool = False) -> Changes:
        return cls(frozenset(kinds), frozenset(people), all_people)

    @property
    def empty(self) -> bool:
        return not self.kinds

    def touches(self, *kinds: Kind) -> bool:
        return not self.kinds.isdisjoint(kinds)

    def touches_person(self, person_id: int | None, *kinds: Kind) -> bool:
        """True if a view of this woman showing these kinds (any, if none given) is stale."""
        if person_id is None or (kinds and not self.touches(*kinds)):
            return False
        return self.all_people or person_id in self.people

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.kinds | other.kinds, self.people | other.people,
                       self.all_people or other.all_people)


@dataclass
class ChangeCollector:
    """Gathers what one transaction touches; attached to its session in `session.info`."""

    kinds: set[Kind] = field(default_factory=set)
    people: set[int] = field(default_factory=set)
    all_people: bool = False

    def result(self) -> Changes:
        return Changes(frozenset(self.kinds), frozenset(self.people), self.all_people)

    def note_row(self, session: Session, obj: Any) -> None:
        table = getattr(obj, "__tablename__", "")
        kind = TABLE_KINDS.get(table)
        if kind is None:
            return
        self.kinds.add(kind)
        person_id = _person_of(session, obj)
        if person_id is not None:
            self.people.add(person_id)
            # Every view of a woman shows her header, so any change to her is a change to her
            # history (and her row in the lists): the audit entry says so separately.

    def note_bulk(self, table: str) -> None:
        kind = TABLE_KINDS.get(table)
        if kind is not None:
            self.kinds.add(kind)
            if kind not in (Kind.USERS, Kind.SETTINGS, Kind.DIRECTORY, Kind.CALENDAR,
                            Kind.SIGNING):
                self.all_people = True


def _note_inserted(state: ORMExecuteState, found: ChangeCollector, table: str) -> bool:
    """A bulk INSERT names its women through its rows' values (a person_id, or a parent's id):
    True if every row did, so the change stays about those women only."""
    rows = state.parameters
    model = state.bind_mapper.class_ if state.bind_mapper is not None else None
    if model is None or not isinstance(rows, list | tuple | dict):
        return False
    link = _PARENTS.get(model)
    people: set[int] = set()
    for values in [rows] if isinstance(rows, dict) else rows:
        if not isinstance(values, dict):
            return False
        if values.get("person_id") is not None:
            people.add(int(values["person_id"]))
        elif link is not None and values.get(link[0]) is not None:
            with state.session.no_autoflush:
                parent = state.session.get(link[1], values[link[0]])
            person_id = _person_of(state.session, parent) if parent is not None else None
            if person_id is None:
                return False
            people.add(person_id)
        else:
            return False
    found.kinds.add(TABLE_KINDS[table])
    found.people.update(people)
    return True


def _person_of(session: Session, obj: Any) -> int | None:
    if isinstance(obj, models.Person):
        return obj.id
    if isinstance(obj, models.AuditEntry):
        return _audited_person(obj.record_type, obj.record_id)
    person_id = getattr(obj, "person_id", None)
    if person_id is not None:
        return int(person_id)
    link = _PARENTS.get(type(obj))
    if link is None:
        return None
    attribute, parent_model = link
    parent_id = getattr(obj, attribute, None)
    if parent_id is None:
        return None
    with session.no_autoflush:
        parent = session.get(parent_model, parent_id)
    return _person_of(session, parent) if parent is not None else None


def _audited_person(record_type: str, record_id: str) -> int | None:
    if record_type == "person" and record_id.isdigit():
        return int(record_id)
    return None


def collector(session: Session) -> ChangeCollector | None:
    found = session.info.get("changes")
    return found if isinstance(found, ChangeCollector) else None


def install(sessions: sessionmaker[Session]) -> None:
    """Hook the unit of work of every session this factory makes."""

    @event.listens_for(sessions, "after_flush")
    def _after_flush(session: Session, _context: Any) -> None:
        found = collector(session)
        if found is None:
            return
        for obj in (*session.new, *session.deleted):
            found.note_row(session, obj)
        for obj in session.dirty:
            if session.is_modified(obj, include_collections=False):
                found.note_row(session, obj)

    @event.listens_for(sessions, "do_orm_execute")
    def _bulk(state: ORMExecuteState) -> None:
        found = collector(state.session)
        if found is None or not (state.is_insert or state.is_update or state.is_delete):
            return
        table = getattr(state.statement, "table", None)
        name = getattr(table, "name", "")
        if not name:
            return
        if state.is_insert and _note_inserted(state, found, name):
            return
        found.note_bulk(name)


# Entries that record a look, not a change: another process's look refreshes only histories.
READ_ONLY_SUFFIXES = ("_viewed", "_listed")


def external_changes(session: Session, after_id: int, own_ids: set[int]) -> tuple[Changes, int]:
    """What other processes committed since audit entry `after_id` (skipping our own entries).

    Returns the changes and the newest entry id seen. An entry that names a woman refreshes her;
    any other entry (an import, a restore, a bulk job) refreshes every view.
    """
    rows = session.execute(
        select(models.AuditEntry.id, models.AuditEntry.action, models.AuditEntry.record_type,
               models.AuditEntry.record_id)
        .where(models.AuditEntry.id > after_id).order_by(models.AuditEntry.id)
    ).all()
    if not rows:
        return Changes(), after_id
    found = Changes()
    for entry_id, action, record_type, record_id in rows:
        if entry_id in own_ids:
            continue
        person_id = _audited_person(record_type, record_id)
        people = frozenset() if person_id is None else frozenset({person_id})
        if action.endswith(READ_ONLY_SUFFIXES):
            found = found | Changes(frozenset({Kind.AUDIT}), people)
        else:
            found = found | Changes(frozenset(Kind), people, person_id is None)
    return found, int(rows[-1][0])
