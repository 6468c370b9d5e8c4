"""The release-day checklist, the accommodation outcome, post-release contacts and the report.

A checklist is generated the first time it is opened, from her release risks (a risky release
needs emergency accommodation arranged) and her support needs (not declined). Every change is
saved at once, one transaction each, so nothing is lost if the app is closed or locked mid-way;
every change is kept as a ChecklistEvent, marked when it came after sign-off.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain import csv_safe
from app.domain import release_day as rules
from app.domain.audit_actions import Action, RecordType
from app.domain.codes import (
    ChecklistEventAction,
    ChecklistItemCode,
    ChecklistState,
    ContactMethod,
    NeedReview,
)
from app.domain.reference import local_authorities
from app.domain.release_day import (
    ACCOMMODATION_CODES,
    EMERGENCY_ACCOMMODATION,
    ITEM_STATES,
    ItemState,
    OutcomeRecord,
    OutcomeReport,
)
from app.domain.release_risks import release_risks
from app.domain.roles import Permission
from app.domain.timezone import now_utc, to_london, today_london
from app.errors import NotFound, UserError, ValidationFailed
from app.services import settings
from app.services.workspace import Workspace
from app.store.models import (
    ChecklistEvent,
    ChecklistItem,
    Person,
    Plan,
    ReleaseChecklist,
    ReleaseOutcome,
    SupportContact,
    SupportNeed,
    Transfer,
)

CONTACT_METHODS: dict[str, str] = {ContactMethod.PHONE: "Phone", ContactMethod.VISIT: "Visit",
                                   ContactMethod.LETTER: "Letter", ContactMethod.OTHER: "Other"}
CHECKLIST_LEAD_DAYS = 14  # the checklist shows in `due` from two weeks before release


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("That record no longer exists.")
    return person


def _risks(person: Person) -> tuple[str, ...]:
    return tuple(r.value for r in release_risks(person.release_date, person.release_time,
                                                person.custody_status))


# --- the checklist ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemView:
    id: int
    code: str
    title: str
    state: str
    reason: str
    details: str
    required: bool


@dataclass(frozen=True)
class ChecklistView:
    person_id: int
    generated_at: datetime
    signed_off_at: datetime | None
    signed_off_by: str | None
    items: tuple[ItemView, ...]
    risks: tuple[str, ...]
    problems: tuple[str, ...]


def _checklist(session: Session, person_id: int) -> ReleaseChecklist | None:
    return session.scalars(select(ReleaseChecklist)
                           .where(ReleaseChecklist.person_id == person_id)).first()


def _items(session: Session, checklist_id: int) -> list[ChecklistItem]:
    return list(session.scalars(select(ChecklistItem)
                                .where(ChecklistItem.checklist_id == checklist_id)
                                .order_by(ChecklistItem.position, ChecklistItem.id)))


def _required(item: ChecklistItem, risks: tuple[str, ...]) -> bool:
    # Emergency accommodation is required while the release is risky: a date moved off a
    # Friday lifts the requirement, a date moved onto one restores it.
    if item.code == EMERGENCY_ACCOMMODATION.code:
        return bool(risks)
    return item.required


def _lacks_emergency(items: list[ChecklistItem], risks: tuple[str, ...]) -> bool:
    return bool(risks) and not any(i.code == EMERGENCY_ACCOMMODATION.code for i in items)


def _problems(items: list[ChecklistItem], risks: tuple[str, ...]) -> list[str]:
    problems = rules.signoff_problems([ItemState(i.code, i.title, i.state, i.reason,
                                                 _required(i, risks)) for i in items])
    if _lacks_emergency(items, risks):
        problems.insert(0, "Emergency accommodation must be arranged before sign-off.")
    return problems


def _view(person: Person, checklist: ReleaseChecklist, items: list[ChecklistItem]
          ) -> ChecklistView:
    risks = _risks(person)
    return ChecklistView(
        person.id, checklist.generated_at, checklist.signed_off_at, checklist.signed_off_by,
        tuple(ItemView(i.id, i.code, i.title, i.state, i.reason, i.details, _required(i, risks))
              for i in items),
        risks, tuple(_problems(items, risks)),
    )  # fmt: skip


def _event(session: Session, checklist: ReleaseChecklist, username: str,
           action: ChecklistEventAction,
           changes: dict[str, object]) -> None:
    session.add(ChecklistEvent(checklist_id=checklist.id, at=now_utc(), username=username,
                               action=action, changes=json.dumps(changes, ensure_ascii=False),
                               after_sign_off=checklist.signed_off_at is not None))


def _new_item(checklist: ReleaseChecklist, code: str, title: str, position: int,
              required: bool, username: str, details: str = "") -> ChecklistItem:
    return ChecklistItem(checklist_id=checklist.id, code=code, title=title[:200],
                         position=position, state=ChecklistState.OPEN, reason="", details=details,
                         required=required, updated_at=now_utc(), updated_by=username)


def _generate(session: Session, person: Person, username: str) -> ReleaseChecklist:
    checklist = ReleaseChecklist(person_id=person.id, generated_at=now_utc(),
                                 generated_by=username)
    session.add(checklist)
    session.flush()
    need_codes = set(session.scalars(select(SupportNeed.code).where(
        SupportNeed.person_id == person.id, SupportNeed.review != NeedReview.DECLINED)))
    summary = session.scalars(select(Plan.accommodation_summary)
                              .where(Plan.person_id == person.id)).first() or ""
    templates = rules.checklist_templates(_risks(person), need_codes)
    for position, template in enumerate(templates):
        details = summary.strip() if template.code == ChecklistItemCode.SLEEP_TONIGHT else ""
        session.add(_new_item(checklist, template.code, template.title, position,
                              template.required, username, details))
    _event(session, checklist, username, ChecklistEventAction.GENERATED,
           {"items": [t.code for t in templates], "risks": list(_risks(person))})
    return checklist


def _ensure_emergency_item(session: Session, person: Person, checklist: ReleaseChecklist,
                           username: str) -> bool:
    """A release that became risky after generation gets its emergency item; True if added."""
    items = _items(session, checklist.id)
    if not _lacks_emergency(items, _risks(person)):
        return False
    first = min((i.position for i in items), default=0)
    session.add(_new_item(checklist, EMERGENCY_ACCOMMODATION.code, EMERGENCY_ACCOMMODATION.title,
                          first - 1, True, username))
    _event(session, checklist, username, ChecklistEventAction.ITEM_ADDED,
           {"item": EMERGENCY_ACCOMMODATION.code, "reason": "risky release"})
    return True


def checklist_for(ws: Workspace, person_id: int, create: bool = True) -> ChecklistView | None:
    """Her checklist, generated (audited) the first time when `create`; None if there is none.

    Someone who may only view never generates one: she gets None until it exists. A release
    that became risky after generation gets its emergency item added here.
    """
    ws.require(Permission.VIEW_PEOPLE)
    may_edit = ws.can(Permission.EDIT_PEOPLE)
    with ws.read() as session:
        person = _person(session, person_id)
        checklist = _checklist(session, person_id)
        if checklist is None and not (create and may_edit):
            return None
        if checklist is not None:
            items = _items(session, checklist.id)
            if not (create and may_edit and _lacks_emergency(items, _risks(person))):
                return _view(person, checklist, items)
    action = (Action.RELEASE_CHECKLIST_STARTED if checklist is None
              else Action.RELEASE_CHECKLIST_ITEM_ADDED)
    with ws.operation(action, RecordType.PERSON, person_id) as (session, entry):
        person = _person(session, person_id)
        checklist = _checklist(session, person_id)
        if checklist is None:
            checklist = _generate(session, person, ws.user.username)
        else:
            _ensure_emergency_item(session, person, checklist, ws.user.username)
        entry.detail = f"checklist={checklist.id}"
        session.flush()
        return _view(person, checklist, _items(session, checklist.id))


def _item_checklist(session: Session, item_id: int) -> tuple[ChecklistItem, ReleaseChecklist]:
    item = session.get(ChecklistItem, item_id)
    if item is None:
        raise NotFound("That checklist item no longer exists.")
    checklist = session.get(ReleaseChecklist, item.checklist_id)
    assert checklist is not None
    return item, checklist


def set_item(ws: Workspace, item_id: int, *, state: str, reason: str = "",
             details: str | None = None) -> ChecklistView:
    """Mark an item done, not needed or blocked (those two with a reason), or back to do.

    `details` (an address, a time, who confirmed it) is kept unchanged when not given.
    """
    ws.require(Permission.EDIT_PEOPLE)
    if state not in ITEM_STATES:
        raise UserError("An item is to do, done, not needed or blocked.")
    reason = " ".join(reason.split())
    if state in rules.NEEDS_REASON and not reason:
        label = rules.STATE_LABELS[state].lower()
        raise ValidationFailed({"reason": f"Say why this item is {label}."})
    with ws.operation(Action.RELEASE_CHECKLIST_ITEM_CHANGED, RecordType.CHECKLIST_ITEM,
                      item_id) as (
            session, entry):
        item, checklist = _item_checklist(session, item_id)
        new = {"state": state, "reason": reason}
        if details is not None:
            new["details"] = details.strip()
        changes: dict[str, object] = {
            name: [getattr(item, name), value] for name, value in new.items()
            if getattr(item, name) != value
        }
        for name, value in new.items():
            setattr(item, name, value)
        item.updated_at, item.updated_by = now_utc(), ws.user.username
        if changes:
            _event(session, checklist, ws.user.username, ChecklistEventAction.ITEM_CHANGED,
                   {"item": item.code, "title": item.title, **changes})
        entry.detail = f"state={state};after_sign_off={int(checklist.signed_off_at is not None)}"
        session.flush()
        person = _person(session, checklist.person_id)
        return _view(person, checklist, _items(session, checklist.id))


def add_item(ws: Workspace, person_id: int, title: str) -> ChecklistView:
    """An item of the team's own (a storage unit to empty, a pet to collect, …)."""
    ws.require(Permission.EDIT_PEOPLE)
    cleaned = " ".join(title.split())
    if not cleaned:
        raise ValidationFailed({"title": "Say what needs doing."})
    if checklist_for(ws, person_id) is None:  # generated first if need be
        raise NotFound("That record no longer exists.")
    with ws.operation(Action.RELEASE_CHECKLIST_ITEM_ADDED, RecordType.PERSON,
                      person_id) as (session, entry):
        person = _person(session, person_id)
        checklist = _checklist(session, person_id)
        assert checklist is not None
        items = _items(session, checklist.id)
        item = _new_item(checklist, rules.CUSTOM_CODE, cleaned,
                         max((i.position for i in items), default=0) + 1, False,
                         ws.user.username)
        session.add(item)
        session.flush()
        _event(session, checklist, ws.user.username, ChecklistEventAction.ITEM_ADDED,
               {"item": item.code, "title": item.title})
        entry.detail = f"item={item.id}"
        return _view(person, checklist, _items(session, checklist.id))


def sign_off(ws: Workspace, person_id: int) -> ChecklistView:
    """Sign off as the current user, timestamped; refused, with every reason, if not ready."""
    ws.require(Permission.EDIT_PEOPLE)
    view = checklist_for(ws, person_id)
    assert view is not None
    if view.problems:
        raise UserError("The checklist cannot be signed off yet. " + " ".join(view.problems))
    with ws.operation(Action.RELEASE_CHECKLIST_SIGNED_OFF, RecordType.PERSON,
                      person_id) as (session, entry):
        person = _person(session, person_id)
        checklist = _checklist(session, person_id)
        assert checklist is not None
        items = _items(session, checklist.id)
        problems = _problems(items, _risks(person))  # again, inside the transaction
        if problems:
            raise UserError("The checklist cannot be signed off yet. " + " ".join(problems))
        again = checklist.signed_off_at is not None
        _event(session, checklist, ws.user.username, ChecklistEventAction.SIGNED_OFF,
               {"states": {i.code: i.state for i in items}})
        checklist.signed_off_at, checklist.signed_off_by = now_utc(), ws.user.username
        entry.detail = f"checklist={checklist.id};again={int(again)}"
        return _view(person, checklist, items)


def history(ws: Workspace, person_id: int) -> list[tuple[datetime, str, str, dict, bool]]:
    """Every change to her checklist, oldest first: (at, user, action, changes, after_sign_off)."""
    ws.require(Permission.VIEW_PEOPLE)
    with ws.read() as session:
        checklist = _checklist(session, person_id)
        if checklist is None:
            return []
        events = session.scalars(select(ChecklistEvent)
                                 .where(ChecklistEvent.checklist_id == checklist.id)
                                 .order_by(ChecklistEvent.id))
        return [(e.at, e.username, e.action, json.loads(e.changes), e.after_sign_off)
                for e in events]


# --- the outcome ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeView:
    released_on: date
    accommodation_code: str
    label: str
    category: str
    address: str
    recorded_by: str
    sustained_12_weeks: bool | None
    sustained_recorded_on: date | None
    follow_up_due: date
    date_change_reason: str = ""  # why she left on another day than her recorded date


def _outcome_view(row: ReleaseOutcome) -> OutcomeView:
    label = ACCOMMODATION_CODES.get(row.accommodation_code, (row.accommodation_code, ""))[0]
    return OutcomeView(row.released_on, row.accommodation_code, label,
                       rules.outcome_category(row.accommodation_code), row.address,
                       row.recorded_by, row.sustained_12_weeks, row.sustained_recorded_on,
                       rules.follow_up_due(row.released_on), row.date_change_reason)


def _outcome(session: Session, person_id: int) -> ReleaseOutcome | None:
    return session.scalars(select(ReleaseOutcome)
                           .where(ReleaseOutcome.person_id == person_id)).first()


def outcome_for(ws: Workspace, person_id: int) -> OutcomeView | None:
    ws.require(Permission.VIEW_PEOPLE)
    with ws.read() as session:
        row = _outcome(session, person_id)
        return None if row is None else _outcome_view(row)


def record_outcome(ws: Workspace, person_id: int, *, released_on: date,
                   accommodation_code: str, address: str = "", reason: str = "") -> OutcomeView:
    """Where she went on release. Recording again replaces the earlier answer (audited).

    A release more than a day away from her recorded release date needs a `reason` (an early
    release, a court outcome, ... or the user notices a wrong date): without one it is refused
    under the "reason" key, with the question to ask (updating the same release keeps the reason
    already given). The reason is kept with the outcome; the audit entry says only how many days
    apart the dates were (the reason is free text).
    """
    ws.require(Permission.EDIT_PEOPLE)
    code = accommodation_code.strip().upper()
    if code not in ACCOMMODATION_CODES:
        raise ValidationFailed({"accommodation_code":
                                "Choose an accommodation type (nDelius code) from the list."})
    if released_on > today_london():
        raise ValidationFailed({"released_on": "This date is in the future: an outcome cannot be "
                                               "recorded before the release."})
    address = address.strip()
    if not address and rules.outcome_category(code) not in ("HOMELESS", "UNKNOWN"):
        raise ValidationFailed({"address": "Enter the address she went to."})
    with ws.operation(Action.RELEASE_OUTCOME_RECORDED, RecordType.PERSON, person_id) as (session,
                      entry):
        person = _person(session, person_id)
        if released_on < to_london(person.reception_at).date():
            raise ValidationFailed({"released_on": "The release date is before her reception."})
        question = rules.date_change_question(person.release_date, released_on)
        reason = reason.strip() if question else ""
        row = _outcome(session, person_id)
        if question and not reason and row is not None and row.released_on == released_on:
            reason = row.date_change_reason  # updating the same release: asked already
        if question and not reason:
            raise ValidationFailed({"reason": question})
        again = row is not None
        if row is None:
            row = ReleaseOutcome(person_id=person_id, sustained_notes="")
            session.add(row)
        elif row.sustained_recorded_on is not None and (
                row.sustained_recorded_on < rules.follow_up_due(released_on)):
            # The release moved later: the old 12-week answer came too early for it.
            row.sustained_12_weeks, row.sustained_recorded_on = None, None
        row.released_on, row.accommodation_code, row.address = released_on, code, address
        row.date_change_reason = reason
        row.recorded_at, row.recorded_by = now_utc(), ws.user.username
        entry.detail = f"code={code};again={int(again)}"
        if question:
            gap = rules.release_date_gap(person.release_date, released_on)
            entry.detail += f";date differs by {gap} days"
        session.flush()
        return _outcome_view(row)


def record_sustained(ws: Workspace, person_id: int, *, sustained: bool, on: date,
                     notes: str = "") -> OutcomeView:
    """At 12 weeks: did the accommodation last?"""
    ws.require(Permission.EDIT_PEOPLE)
    if on > today_london():
        raise ValidationFailed({"on": "This date is in the future."})
    with ws.operation(Action.RELEASE_OUTCOME_FOLLOWED_UP, RecordType.PERSON,
                      person_id) as (session, entry):
        row = _outcome(session, person_id)
        if row is None:
            raise UserError("Record where she went on release first.")
        due = rules.follow_up_due(row.released_on)
        if on < due:
            raise ValidationFailed({"on": f"Too early: the 12-week follow-up is due on "
                                          f"{_fmt(due)}."})
        row.sustained_12_weeks, row.sustained_recorded_on = sustained, on
        row.sustained_notes = notes.strip()
        entry.detail = f"sustained={int(sustained)}"
        session.flush()
        return _outcome_view(row)


def add_contact(ws: Workspace, person_id: int, *, contacted_on: date, method: str,
                notes: str = "") -> int:
    """A post-release support contact, within the first three months after release."""
    ws.require(Permission.EDIT_PEOPLE)
    if method not in CONTACT_METHODS:
        raise ValidationFailed({"method": "Choose phone, visit, letter or other."})
    if contacted_on > today_london():
        raise ValidationFailed({"contacted_on": "This date is in the future."})
    with ws.operation(Action.SUPPORT_CONTACT_ADDED, RecordType.PERSON, person_id) as (session,
                      entry):
        row = _outcome(session, person_id)
        if row is None:
            raise UserError("Record where she went on release before recording support contacts.")
        last = row.released_on + timedelta(days=rules.SUPPORT_WINDOW_DAYS)
        if not row.released_on <= contacted_on <= last:
            raise ValidationFailed({"contacted_on": (
                f"Post-release support contacts are recorded from her release "
                f"({_fmt(row.released_on)}) to {_fmt(last)}.")})
        contact = SupportContact(person_id=person_id, contacted_on=contacted_on, method=method,
                                 notes=notes.strip(), recorded_by=ws.user.username)
        session.add(contact)
        session.flush()
        entry.detail = f"contact={contact.id}"
        return contact.id


def contacts_for(ws: Workspace, person_id: int) -> list[tuple[int, date, str, str, str]]:
    """(id, contacted_on, method, notes, recorded_by), oldest first."""
    ws.require(Permission.VIEW_PEOPLE)
    with ws.read() as session:
        rows = session.scalars(select(SupportContact)
                               .where(SupportContact.person_id == person_id)
                               .order_by(SupportContact.contacted_on, SupportContact.id))
        return [(r.id, r.contacted_on, r.method, r.notes, r.recorded_by) for r in rows]


# --- deadlines for `resettle due` -------------------------------------------------------------


def due_items(ws: Workspace, on: date) -> list[tuple[str, str, date, str]]:
    """(prison_number, kind, due day, status) for RELEASE_CHECKLIST and FOLLOW_UP_12_WEEKS.

    A checklist shows from 14 days before a known release date until the end of the support
    window (91 days after it); it is done once signed off. A follow-up shows for every recorded
    outcome, done once the 12-week answer is recorded.
    """
    ws.require(Permission.VIEW_PEOPLE)
    items = []
    with ws.read() as session:
        rows = session.execute(
            select(Person.prison_number, Person.release_date, ReleaseChecklist.signed_off_at)
            .outerjoin(ReleaseChecklist, ReleaseChecklist.person_id == Person.id)
            .where(Person.release_date.is_not(None),
                   Person.release_date <= on + timedelta(days=CHECKLIST_LEAD_DAYS),
                   Person.release_date >= on - timedelta(days=rules.SUPPORT_WINDOW_DAYS),
                   ~Person.id.in_(select(Transfer.person_id)))
        ).all()
        for number, release, signed in rows:
            status = "done" if signed else "overdue" if release < on else "due"
            items.append((number, "RELEASE_CHECKLIST", release, status))
        for number, released_on, sustained_on in session.execute(
            select(Person.prison_number, ReleaseOutcome.released_on,
                   ReleaseOutcome.sustained_recorded_on)
            .join(Person, Person.id == ReleaseOutcome.person_id)
        ):
            due = rules.follow_up_due(released_on)
            status = "done" if sustained_on else "overdue" if due < on else "due"
            items.append((number, "FOLLOW_UP_12_WEEKS", due, status))
    return items


# --- the monitoring report --------------------------------------------------------------------


def _foreign(nationality: str) -> bool:
    return nationality not in ("GB",) and nationality != "ZZ"


def outcome_records(ws: Workspace, start: date, end: date) -> list[OutcomeRecord]:
    """Every release from `start` to `end`, with its outcome or UNKNOWN if none is recorded.

    The release day is the recorded one when there is an outcome, else her release date (only
    once it has passed: an unrecorded outcome is then a failure the team must see). Women
    transferred to another prison are not releases of ours.
    """
    ws.require(Permission.VIEW_PEOPLE)
    today = today_london()
    with ws.read() as session:
        rows = session.execute(
            select(Person.release_date, Person.custody_status, Person.nationality,
                   ReleaseOutcome.released_on, ReleaseOutcome.accommodation_code,
                   ReleaseOutcome.sustained_12_weeks)
            .outerjoin(ReleaseOutcome, ReleaseOutcome.person_id == Person.id)
            .where(~Person.id.in_(select(Transfer.person_id)),
                   or_(Person.release_date.between(start, end),
                       ReleaseOutcome.released_on.between(start, end)))
        ).all()
    records = []
    for release, custody, nationality, released_on, code, sustained in rows:
        if released_on is not None:
            day, category = released_on, rules.outcome_category(code)
        elif release is not None and release < today:
            day, category, sustained = release, "UNKNOWN", None
        else:
            continue
        if start <= day <= end:
            records.append(OutcomeRecord(day, category, sustained, custody,
                                         _foreign(nationality)))
    return records


def _report(ws: Workspace, start: date, end: date) -> OutcomeReport:
    if start > end:
        raise UserError("The report's start is after its end.")
    return rules.aggregate(outcome_records(ws, start, end), start, end)


def outcomes_report(ws: Workspace, start: date, end: date) -> OutcomeReport:
    report = _report(ws, start, end)
    with ws.operation(Action.OUTCOMES_REPORT_VIEWED, RecordType.CASELOAD) as (_session, entry):
        entry.detail = f"from={start.isoformat()};to={end.isoformat()}"
    return report


def write_outcomes_csv(ws: Workspace, start: date, end: date, out: Path) -> int:
    """The report as CSV, small numbers suppressed; returns the number of data rows."""
    ws.require(Permission.EXPORT)
    rows = rules.report_csv_rows(_report(ws, start, end))
    buffer = io.StringIO()
    csv_safe.writer(buffer).writerows(rows)
    with ws.operation_with_file(out, Action.OUTCOMES_REPORT_EXPORTED, RecordType.CASELOAD) as (
        _session, entry, save
    ):
        entry.detail = f"from={start.isoformat()};to={end.isoformat()};rows={len(rows) - 1}"
        save(buffer.getvalue().encode("utf-8"))
    return len(rows) - 1


def write_outcomes_pdf(ws: Workspace, start: date, end: date, out: Path) -> int:
    """The report as a printable PDF with charts; returns the number of releases counted."""
    from app.documents.outcomes_report import render_outcomes_report

    ws.require(Permission.EXPORT)
    report = _report(ws, start, end)
    data = render_outcomes_report(establishment=settings.establishment(ws), report=report,
                                  generated_at=now_utc(), generated_by=ws.user.display_name)
    with ws.operation_with_file(out, Action.OUTCOMES_REPORT_PRINTED, RecordType.CASELOAD) as (
        _session, entry, save
    ):
        entry.detail = f"from={start.isoformat()};to={end.isoformat()}"
        save(data)
    return report.overall.total


# Her sheet speaks to her, not about her: the items' staff wording is replaced.
_SHEET_TITLES = {
    ChecklistItemCode.SLEEP_TONIGHT: "Where you will sleep tonight",
    ChecklistItemCode.EMERGENCY_ACCOMMODATION: "Emergency accommodation",
    ChecklistItemCode.TRANSPORT: "How you get there",
    ChecklistItemCode.MET_AT_GATE: "Who meets you at the gate",
    ChecklistItemCode.PROBATION_REPORTING: "When and where you report to probation",
    ChecklistItemCode.BENEFITS: "Universal Credit and DWP",
    ChecklistItemCode.MEDICATION: "Your medication",
    ChecklistItemCode.GP: "Your doctor (GP)",
}
_CONTACT_TITLES = {ChecklistItemCode.EMERGENCY_CONTACTS: "Emergency contacts",
                   ChecklistItemCode.CHILDRENS_SOCIAL_CARE: "Children's social care"}


def write_release_sheet(ws: Workspace, person_id: int, out: Path) -> Path:
    """Her day on one page, for her to keep: what is arranged (with details) and who to call.

    Only what staff wrote on the checklist goes on it: no contact details are invented.
    """
    from app.documents.release_day_sheet import render_release_day_sheet

    ws.require(Permission.EXPORT)
    view = checklist_for(ws, person_id, create=False)
    if view is None:
        raise UserError("Start her release-day checklist first: the sheet is made from it.")
    with ws.read() as session:
        person = _person(session, person_id)
        name = f"{person.given_names} {person.family_name}"
        number, release, at = person.prison_number, person.release_date, person.release_time
        council = local_authorities().get(person.home_local_authority)
    if release is None:
        raise UserError("Her release date is not known yet.")
    items = [(_SHEET_TITLES[i.code], i.details) for i in view.items
             if i.code in _SHEET_TITLES and i.state == ChecklistState.DONE and i.details.strip()]
    contacts = [(_CONTACT_TITLES[i.code], i.details) for i in view.items
                if i.code in _CONTACT_TITLES and i.details.strip()]
    if council is not None:
        contacts.append(("Your council (ask for the housing options team)", council.name))
    data = render_release_day_sheet(
        establishment=settings.establishment(ws), name=name, prison_number=number,
        release_date=release, release_time=at, items=items, contacts=contacts,
        generated_at=now_utc(), generated_by=ws.user.display_name)  # fmt: skip
    with ws.operation_with_file(out, Action.RELEASE_SHEET_PRINTED, RecordType.PERSON,
                                person_id) as (*_, save):
        save(data)
    return out
