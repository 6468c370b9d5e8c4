"""The release planning board, the pre-release plan and its tasks.

The board is one query over people, plans, referrals and transfers; the steps' states come from
app.domain.planning. Plans open automatically 12 weeks before release: `open_due_plans` runs at
unlock and `open_plan_if_due` when her release date is set or changes, so the board, `resettle
due`, the EDIC list and every window read the same state and none of them writes while reading.
A plan can be started earlier by hand. A new plan is pre-filled with tasks from her support needs
(not declined) and her BCST2 answers; no task is due before her reception day.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from app.domain import planning as rules
from app.domain import questionnaire
from app.domain.audit_actions import Action, RecordType
from app.domain.codes import (
    NeedReview,
    Owner,
    Pathway,
    ReferralStatus,
    ReferralType,
    ScreeningKind,
    ScreeningStatus,
    TaskStatus,
)
from app.domain.planning import PlanningFacts, Step, StepState
from app.domain.release_risks import RiskCodes
from app.domain.roles import Permission
from app.domain.timezone import now_utc, to_london, today_london
from app.errors import NotFound, UserError, ValidationFailed
from app.services.workspace import Workspace
from app.store.models import (
    CourtDate,
    NeedAction,
    Person,
    Plan,
    PlanTask,
    Screening,
    SupportNeed,
)

TASK_STATUSES: dict[str, str] = {TaskStatus.NOT_STARTED: "Not started",
                                 TaskStatus.IN_PROGRESS: "In progress", TaskStatus.DONE: "Done",
                                 TaskStatus.CANCELLED: "Cancelled"}
OPEN_TASK = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)
# The board's raw SQL names these codes; they are the enums' values, bound as parameters.
_SENT = (ReferralStatus.SUBMITTED, ReferralStatus.ACCEPTED, ReferralStatus.NOT_ACCEPTED)

_BOARD_SQL = text(
    "SELECT p.id, p.prison_number, p.family_name, p.given_names, p.custody_status,"
    " p.release_date, p.mappa_level, pl.started_on, pl.tenancy_advice_offered_on,"
    " p.release_time, p.reception_at,"
    " pl.accommodation_identified_on, pl.dtr_needed, pl.crs_needed,"
    " (SELECT min(r.submitted_on) FROM referrals r WHERE r.person_id = p.id"
    "   AND r.type = :dtr AND r.status IN (:sent1, :sent2, :sent3)),"
    " (SELECT min(r.submitted_on) FROM referrals r WHERE r.person_id = p.id"
    "   AND r.type = :crs AND r.status IN (:sent1, :sent2, :sent3)),"
    " (SELECT min(c.hearing_on) FROM court_dates c WHERE c.person_id = p.id"
    "   AND c.hearing_on >= :today),"
    " (SELECT date(rc.generated_at) FROM release_checklists rc WHERE rc.person_id = p.id)"
    " FROM people p LEFT JOIN plans pl ON pl.person_id = p.id"
    " WHERE NOT EXISTS (SELECT 1 FROM transfers t WHERE t.person_id = p.id)"
    " AND NOT EXISTS (SELECT 1 FROM release_outcomes o WHERE o.person_id = p.id)"
)


class BoardRow(NamedTuple):
    person_id: int
    prison_number: str
    family_name: str
    given_names: str
    custody_status: str
    release_date: date | None
    mappa_level: str
    weeks_to_release: int | None
    lane: str
    states: dict[Step, StepState]
    late: tuple[Step, ...]
    next_court_date: date | None
    risks: tuple[str, ...] = ()  # ReleaseRisk codes
    received_on: date | None = None  # reception day: no deadline falls before it


def reception_day(reception_at: datetime | str) -> date:
    """Her reception day in prison time, from the stored UTC instant (or its SQLite text)."""
    if isinstance(reception_at, str):
        # The board reads 5,000 of these: London's day differs from UTC's only at 23:xx UTC
        # (BST), so every other hour needs no time-zone work.
        if reception_at[11:13] != "23":
            return date.fromisoformat(reception_at[:10])
        reception_at = datetime.fromisoformat(reception_at)
    if reception_at.tzinfo is None:
        reception_at = reception_at.replace(tzinfo=UTC)
    return to_london(reception_at).date()


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def board(ws: Workspace, today: date | None = None) -> list[BoardRow]:
    """Everyone still here, by release date (unknown last), with each step's state."""
    ws.require(Permission.VIEW_PEOPLE)
    today = today or today_london()
    rows = []
    risk_codes = RiskCodes()

    def risks_of(release: date | None, at: str | None, custody: str) -> tuple[str, ...]:
        return risk_codes(release, time.fromisoformat(at) if at else None, custody)

    with ws.operation(Action.PLANNING_BOARD_LISTED, RecordType.CASELOAD) as (session, entry):
        params = {"today": today.isoformat(), "dtr": ReferralType.DUTY_TO_REFER.value,
                  "crs": ReferralType.CRS.value,
                  **{f"sent{i}": s.value for i, s in enumerate(_SENT, 1)}}
        raw = session.connection().execute(_BOARD_SQL, params).fetchall()
        for (pid, number, family, given, custody, release, mappa, started, tenancy, release_at,
             received_at, accommodation, dtr_needed, crs_needed, dtr_on, crs_on, court,
             checklist_on) in raw:  # fmt: skip
            release_date = _date(release)
            received_on = reception_day(received_at)
            facts = PlanningFacts(
                release_date=release_date, custody_status=custody, plan_started=_date(started),
                tenancy_advice_offered=_date(tenancy), dtr_submitted=_date(dtr_on),
                dtr_needed=True if dtr_needed is None else bool(dtr_needed),
                crs_submitted=_date(crs_on),
                crs_needed=True if crs_needed is None else bool(crs_needed),
                accommodation_identified=_date(accommodation),
                release_day_started=_date(checklist_on), received_on=received_on,
            )  # fmt: skip
            states = rules.step_states(facts, today)
            late = tuple(s for s, state in states.items() if state is StepState.LATE)
            rows.append(BoardRow(pid, number, family, given, custody, release_date, mappa or "",
                                 rules.weeks_to_release(release_date, today),
                                 rules.lane(release_date, today), states, late,
                                 _date(court), risks_of(release_date, release_at, custody),
                                 received_on))
        entry.detail = f"rows={len(rows)}"
    rows.sort(key=lambda r: (r.release_date is None, r.release_date or date.max, r.family_name))
    return rows


# --- the plan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskView:
    id: int
    pathway: Pathway
    title: str
    owner: Owner
    due_date: date | None
    status: TaskStatus
    notes: str
    source: str


@dataclass(frozen=True)
class PlanView:
    person_id: int
    started_on: date
    started_by: str
    handover_to: str
    handover_on: date | None
    cpp_allocated_on: date | None
    tenancy_advice_offered_on: date | None
    accommodation_identified_on: date | None
    accommodation_summary: str
    dtr_needed: bool
    crs_needed: bool
    notes: str
    tasks: tuple[TaskView, ...]
    cpp_due_text: str = ""  # the CPP line, in words when it had passed before she arrived
    already_late: str = ""  # what was already late at reception, said once ("" if nothing)


def _task_view(t: PlanTask) -> TaskView:
    return TaskView(t.id, t.pathway, t.title, t.owner, t.due_date, t.status, t.notes, t.source)


def plan_for(ws: Workspace, person_id: int) -> PlanView | None:
    ws.require(Permission.VIEW_PEOPLE)
    with ws.read() as session:
        plan = session.scalars(select(Plan).where(Plan.person_id == person_id)).first()
        if plan is None:
            return None
        tasks = session.scalars(select(PlanTask).where(PlanTask.plan_id == plan.id)
                                .order_by(PlanTask.due_date.is_(None), PlanTask.due_date,
                                          PlanTask.id))
        person = session.get(Person, person_id)
        release = person.release_date if person else None
        received = reception_day(person.reception_at) if person else None
        return PlanView(
            person_id, plan.started_on, plan.started_by, plan.handover_to, plan.handover_on,
            plan.cpp_allocated_on, plan.tenancy_advice_offered_on,
            plan.accommodation_identified_on, plan.accommodation_summary, plan.dtr_needed,
            plan.crs_needed, plan.notes, tuple(_task_view(t) for t in tasks),
            rules.cpp_due_text(release, received), rules.already_late_note(release, received),
        )  # fmt: skip


def _bcst2_accommodation(session: Session, person_id: int) -> str:
    row = session.scalars(select(Screening).where(Screening.person_id == person_id,
                                                  Screening.kind == ScreeningKind.BCST2,
                                                  Screening.status == ScreeningStatus.COMPLETED)
                            ).first()
    if row is None:
        return ""
    form = questionnaire.load(ScreeningKind.BCST2, row.questionnaire_version)
    answers = json.loads(row.answers)
    parts = []
    for qid in ("WHERE_DID_THEY_LIVE", "WHERE_WILL_THEY_LIVE"):
        if qid in answers:
            question = form.question(qid)
            parts.append(f"{question.text} {question.display(answers[qid])}")
    return "\n".join(parts)


def open_plan(session: Session, person: Person, username: str, started_on: date) -> Plan:
    """Inside a caller's transaction: create her plan and its pre-filled tasks.

    A standard task whose deadline had passed before her reception is due on her reception day
    and its notes say it was already late, so it never shows as overdue before she arrived.
    """
    now = now_utc()
    # No autoflush: opening many plans at unlock must not flush a row per query (measured).
    with session.no_autoflush:
        plan = Plan(person_id=person.id, started_on=started_on, started_by=username,
                    accommodation_summary=_bcst2_accommodation(session, person.id),
                    dtr_needed=True, crs_needed=True, updated_at=now, updated_by=username)
        release = person.release_date
        received = reception_day(person.reception_at)
        already_late = dict(rules.late_at_reception(release, received))
        standard = [
            (Pathway.ACCOMMODATION, "Offer tenancy sustainment advice and advocacy",
             Owner.PRISON, Step.TENANCY_ADVICE),
            (Pathway.ACCOMMODATION, "Make the duty to refer to the council (with her consent)",
             Owner.PROBATION, Step.DUTY_TO_REFER),
            (Pathway.ACCOMMODATION, "Agree where she will live on release", Owner.PROBATION,
             Step.ACCOMMODATION),
        ]
        tasks = []
        for pathway, title, owner, step in standard:
            due = rules.step_due(step, release, received) if release else None
            passed = already_late.get(step)
            notes = (f"Already late when she arrived: it was due {passed:%d/%m/%Y}."
                     if passed else "")
            tasks.append(dict(pathway=pathway, title=title, owner=owner, due_date=due,
                              notes=notes, source="standard"))
        needs = session.scalars(select(SupportNeed).where(SupportNeed.person_id == person.id,
                                                          SupportNeed.review != NeedReview.DECLINED)
                                .order_by(SupportNeed.id)).all()
        open_actions: dict[int, list[NeedAction]] = {need.id: [] for need in needs}
        for action in session.scalars(select(NeedAction).where(
                NeedAction.need_id.in_(list(open_actions)), NeedAction.done_at.is_(None))
                .order_by(NeedAction.id)):
            open_actions[action.need_id].append(action)
        for need in needs:
            for action in open_actions[need.id] or [None]:
                tasks.append(dict(
                    pathway=need.pathway, title=action.title if action else need.title,
                    owner=need.owner, due_date=action.due_date if action else None, notes="",
                    source=f"need:{need.code}",
                ))  # fmt: skip
    session.add(plan)
    session.flush()
    # One bulk INSERT (no RETURNING, no per-row flush): unlock may open dozens of plans.
    session.execute(insert(PlanTask), [
        {**task, "plan_id": plan.id, "status": TaskStatus.NOT_STARTED, "updated_at": now,
         "updated_by": username} for task in tasks])
    return plan


def start_plan(ws: Workspace, person_id: int, started_on: date | None = None) -> PlanView:
    """Start her plan now (before 12 weeks if the team wants), pre-filled from her needs."""
    ws.require(Permission.EDIT_PEOPLE)
    started_on = started_on or today_london()
    if started_on > today_london():
        raise ValidationFailed({"started_on": "The plan cannot start in the future."})
    with ws.operation(Action.PLAN_STARTED, RecordType.PERSON, person_id) as (session, _entry):
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("That record no longer exists.")
        if session.scalars(select(Plan.id).where(Plan.person_id == person_id)).first():
            raise UserError("Her plan is already started.")
        open_plan(session, person, ws.user.username, started_on)
    view = plan_for(ws, person_id)
    assert view is not None
    return view


def _plan_due(release: date | None, today: date) -> bool:
    """The 12-week rule: her plan opens once release is at most 12 weeks away (and not past)."""
    return release is not None and today <= release <= today + timedelta(
        days=rules.PLAN_OPENS_DAYS)


def open_plan_if_due(session: Session, person: Person, username: str,
                     today: date | None = None) -> bool:
    """Inside a caller's transaction (her release date just set or changed): open her plan if
    she is now within 12 weeks of release and has none. True when a plan was opened."""
    today = today or today_london()
    if not _plan_due(person.release_date, today):
        return False
    if session.scalars(select(Plan.id).where(Plan.person_id == person.id)).first():
        return False
    open_plan(session, person, username, today)
    return True


def open_due_plans(ws: Workspace, today: date | None = None) -> list[int]:
    """Open the plan of every woman now within 12 weeks of release who has none.

    The 12-week opening is a rule of the service, not a user's choice, so it runs whoever
    unlocks (any role) and does not ask for a permission. One transaction; an audit entry only
    when something opened (an unlock that opens nothing leaves no trace). Returns the ids of the
    women whose plan opened.
    """
    today = today or today_london()
    horizon = today + timedelta(days=rules.PLAN_OPENS_DAYS)
    due = (select(Person.id).where(Person.release_date.is_not(None),
                                   Person.release_date >= today, Person.release_date <= horizon,
                                   ~Person.id.in_(select(Plan.person_id))))
    with ws.read() as session:  # the common case, nothing to open: no write transaction at all
        if session.scalars(due.limit(1)).first() is None:
            return []
    try:
        with ws.operation(Action.PLANS_OPENED, RecordType.CASELOAD) as (session, entry):
            people = session.scalars(select(Person).where(Person.id.in_(due))).all()
            if not people:  # another Resettle unlocking at the same moment opened them first
                raise _NothingOpened
            for person in people:
                open_plan(session, person, ws.user.username, today)
            entry.detail = f"count={len(people)}"
            return [person.id for person in people]
    except _NothingOpened:
        return []


class _NothingOpened(Exception):
    """Rolls back `open_due_plans`' transaction (and its audit entry) when nothing was due."""


_PLAN_FIELDS = {"handover_to", "handover_on", "cpp_allocated_on", "tenancy_advice_offered_on",
                "accommodation_identified_on", "accommodation_summary", "dtr_needed",
                "crs_needed", "notes"}


def update_plan(ws: Workspace, person_id: int, **changes: object) -> None:
    """Record a step: tenancy advice offered, accommodation identified, handover, CPP, …"""
    ws.require(Permission.EDIT_PEOPLE)
    unknown = set(changes) - _PLAN_FIELDS
    if unknown:
        raise UserError(f"Unknown plan fields: {', '.join(sorted(unknown))}")
    today = today_london()
    problems = {k: "This date is in the future." for k, v in changes.items()
                if isinstance(v, date) and v > today}
    if problems:
        raise ValidationFailed(problems)
    with ws.operation(Action.PLAN_UPDATED, RecordType.PERSON, person_id) as (session, entry):
        plan = session.scalars(select(Plan).where(Plan.person_id == person_id)).first()
        if plan is None:
            raise UserError("Start her plan first.")
        for name, value in changes.items():
            setattr(plan, name, value.strip() if isinstance(value, str) else value)
        plan.updated_at, plan.updated_by = now_utc(), ws.user.username
        entry.detail = "fields=" + ",".join(sorted(changes))


def add_task(ws: Workspace, person_id: int, *, pathway: str, title: str, owner: str,
             due_date: date | None, notes: str = "") -> int:
    ws.require(Permission.EDIT_PEOPLE)
    problems = {}
    if not title.strip():
        problems["title"] = "Say what needs doing."
    if pathway not in Pathway._value2member_map_:
        problems["pathway"] = "Choose the pathway from the list."
    if owner not in Owner._value2member_map_:
        problems["owner"] = "The owner is the prison, probation or the CRS provider."
    if problems:
        raise ValidationFailed(problems)
    with ws.operation(Action.PLAN_TASK_ADDED, RecordType.PERSON, person_id) as (session, entry):
        plan = session.scalars(select(Plan).where(Plan.person_id == person_id)).first()
        if plan is None:
            raise UserError("Start her plan first.")
        task = PlanTask(plan_id=plan.id, pathway=pathway, title=title.strip()[:200],
                        owner=owner, due_date=due_date, status=TaskStatus.NOT_STARTED,
                        notes=notes.strip(), source="staff", updated_at=now_utc(),
                        updated_by=ws.user.username)
        session.add(task)
        session.flush()
        entry.detail = f"task={task.id}"
        return task.id


def update_task(ws: Workspace, task_id: int, *, status: str | None = None,
                notes: str | None = None, due_date: date | None | object = ...,
                owner: str | None = None) -> None:
    ws.require(Permission.EDIT_PEOPLE)
    if status is not None and status not in TASK_STATUSES:
        raise UserError("Unknown task status.")
    if owner is not None and owner not in Owner._value2member_map_:
        raise UserError("The owner is the prison, probation or the CRS provider.")
    with ws.operation(Action.PLAN_TASK_UPDATED, RecordType.PLAN_TASK, task_id) as (session, entry):
        task = session.get(PlanTask, task_id)
        if task is None:
            raise NotFound("That task no longer exists.")
        if status is not None:
            task.status = status
        if notes is not None:
            task.notes = notes.strip()
        if due_date is not ...:
            task.due_date = due_date  # type: ignore[assignment]
        if owner is not None:
            task.owner = owner
        task.updated_at, task.updated_by = now_utc(), ws.user.username
        entry.detail = f"status={task.status}"


def shift_for_new_release(session: Session, person_id: int, old: date | None,
                          new: date | None, username: str) -> list[str]:
    """Inside the person's update: move every open task due date by the change, say what moved.

    A moved date never lands before her reception day (nothing can be done before she arrives).
    """
    person = session.get(Person, person_id)
    received = reception_day(person.reception_at) if person is not None else None
    moved = [f"{rules.STEP_LABELS[step]}: {_fmt(before)} → {_fmt(after)}"
             for step, before, after in rules.replan(old, new, received)]
    if old is None or new is None or old == new:
        return moved
    plan = session.scalars(select(Plan).where(Plan.person_id == person_id)).first()
    if plan is None:
        return moved
    delta = new - old
    for task in session.scalars(select(PlanTask).where(PlanTask.plan_id == plan.id,
                                                       PlanTask.status.in_(OPEN_TASK),
                                                       PlanTask.due_date.is_not(None))):
        before = task.due_date
        assert before is not None
        after = before + delta
        task.due_date = received if received is not None and after < received else after
        task.updated_at, task.updated_by = now_utc(), username
        moved.append(f"Task '{task.title}': {_fmt(before)} → {_fmt(task.due_date)}")
    return moved


def _fmt(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "no date"


def task_due_items(ws: Workspace) -> list[tuple[str, str, date, str]]:
    """(prison_number, kind, due, title) for open plan tasks with a due date (for `due`)."""
    ws.require(Permission.VIEW_PEOPLE)
    with ws.read() as session:
        rows = session.execute(
            select(Person.prison_number, PlanTask.due_date, PlanTask.title)
            .join(Plan, Plan.id == PlanTask.plan_id).join(Person, Person.id == Plan.person_id)
            .where(PlanTask.status.in_(OPEN_TASK), PlanTask.due_date.is_not(None))
        ).all()
        return [(number, "TASK", due, title) for number, due, title in rows]




_DUE_STEPS = {Step.PLAN: "PLAN", Step.DUTY_TO_REFER: "DUTY_TO_REFER", Step.CRS: "CRS"}


def due_items(ws: Workspace, on: date) -> list[tuple[str, str, date, str]]:
    """(prison_number, kind, due day, status) for PLAN, DUTY_TO_REFER, CRS and TASK deadlines.

    Steps count for women with a known release date; a step done shows as "done".
    """
    items = []
    for row in board(ws, on):
        if row.release_date is None or row.release_date < on:
            continue
        for step, kind in _DUE_STEPS.items():
            state = row.states[step]
            if state in (StepState.NOT_NEEDED,):
                continue
            due = rules.step_due(step, row.release_date, row.received_on)
            status = ("done" if state is StepState.DONE
                      else "overdue" if due < on else "due")
            items.append((row.prison_number, kind, due, status))
    for number, kind, due, _title in task_due_items(ws):
        items.append((number, kind, due, "overdue" if due < on else "due"))
    return items


# --- court dates (remanded women: possible release points) ------------------------------------


@dataclass(frozen=True)
class HearingView:
    id: int
    hearing_on: date
    court: str
    notes: str


def hearings_for(ws: Workspace, person_id: int) -> list[HearingView]:
    ws.require(Permission.VIEW_PEOPLE)
    with ws.read() as session:
        rows = session.scalars(select(CourtDate).where(CourtDate.person_id == person_id)
                               .order_by(CourtDate.hearing_on))
        return [HearingView(r.id, r.hearing_on, r.court, r.notes) for r in rows]


def add_hearing(ws: Workspace, person_id: int, hearing_on: date, court: str,
                notes: str = "") -> int:
    """A court date recorded as a possible release point (release date still unknown)."""
    ws.require(Permission.EDIT_PEOPLE)
    with ws.operation(Action.COURT_DATE_ADDED, RecordType.PERSON, person_id) as (session, entry):
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("That record no longer exists.")
        if hearing_on < to_london(person.reception_at).date():
            raise ValidationFailed({"hearing_on": "The hearing is before her reception."})
        row = CourtDate(person_id=person_id, hearing_on=hearing_on,
                        court=" ".join(court.split())[:200], notes=notes.strip())
        session.add(row)
        session.flush()
        entry.detail = f"court_date={row.id}"
        return row.id


def remove_hearing(ws: Workspace, hearing_id: int) -> None:
    ws.require(Permission.EDIT_PEOPLE)
    with ws.operation(Action.COURT_DATE_REMOVED, RecordType.COURT_DATE, hearing_id) as (session,
                      _entry):
        row = session.get(CourtDate, hearing_id)
        if row is None:
            raise NotFound("That hearing no longer exists.")
        session.delete(row)
