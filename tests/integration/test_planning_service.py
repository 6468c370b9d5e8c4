"""Pre-release planning on a real encrypted database: board, plans, tasks, re-planning."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.domain.planning import Step, StepState
from app.domain.referrals import ReferralDraft
from app.domain.timezone import now_utc, to_london, today_london
from app.errors import ValidationFailed
from app.services import consent, people, planning, referrals, screening
from app.store.models import AuditEntry
from tests.conftest import make_draft
from tests.integration.test_screening_service import valid_answers

TODAY = today_london()


def add(ws, number, release, status="SENTENCED"):
    return people.add_person(ws, make_draft(prison_number=number, release_date=release,
                                            custody_status=status))


def test_board_lanes_and_late_steps(workspace):
    add(workspace, "Z1000AA", TODAY + timedelta(days=50))   # inside the DTR window, no DTR
    add(workspace, "Z2000AA", TODAY + timedelta(days=100))  # not yet
    add(workspace, "Z3000AA", None, "REMAND")               # date unknown
    rows = {r.prison_number: r for r in planning.board(workspace)}
    assert rows["Z1000AA"].lane == "4-8"
    assert Step.DUTY_TO_REFER in rows["Z1000AA"].late
    assert rows["Z2000AA"].states[Step.PLAN] is StepState.NOT_YET
    assert rows["Z3000AA"].lane == "unknown"
    assert rows["Z3000AA"].states[Step.DUTY_TO_REFER] is StepState.DUE
    assert [r.prison_number for r in planning.board(workspace)][-1] == "Z3000AA"


def test_plans_open_automatically_at_twelve_weeks_prefilled(workspace):
    pid = add(workspace, "Z1000AA", TODAY + timedelta(days=70))
    add(workspace, "Z2000AA", TODAY + timedelta(days=120))
    screening.complete(workspace, pid, "BCST1", valid_answers("BCST1"), None)
    assert planning.open_due_plans(workspace) == [pid]
    assert planning.open_due_plans(workspace) == []
    plan = planning.plan_for(workspace, pid)
    assert plan is not None and plan.started_on == TODAY
    titles = [t.title for t in plan.tasks]
    assert any("tenancy" in t.lower() for t in titles)
    assert any(t.source.startswith("need:") for t in plan.tasks)
    dtr = next(t for t in plan.tasks
               if "duty to refer" in t.title.lower() and t.source == "standard")
    assert dtr.due_date == TODAY + timedelta(days=70 - 56)


def test_a_plan_can_start_early_but_not_in_the_future(workspace):
    pid = add(workspace, "Z1000AA", TODAY + timedelta(days=200))
    with pytest.raises(ValidationFailed):
        planning.start_plan(workspace, pid, TODAY + timedelta(days=1))
    plan = planning.start_plan(workspace, pid)
    assert plan.started_on == TODAY
    rows = {r.prison_number: r for r in planning.board(workspace)}
    assert rows["Z1000AA"].states[Step.PLAN] is StepState.DONE


def test_steps_recorded_and_tasks_updated(workspace):
    pid = add(workspace, "Z1000AA", TODAY + timedelta(days=30))
    planning.start_plan(workspace, pid)
    planning.update_plan(workspace, pid, tenancy_advice_offered_on=TODAY,
                         accommodation_identified_on=TODAY,
                         accommodation_summary="Fictional supported housing",
                         handover_to="R. Hughes",
                         handover_on=TODAY)
    with pytest.raises(ValidationFailed):
        planning.update_plan(workspace, pid, handover_on=TODAY + timedelta(days=2))
    task_id = planning.add_task(workspace, pid, pathway="HEALTH", title="Book GP appointment",
                                owner="PRISON", due_date=TODAY + timedelta(days=10))
    planning.update_task(workspace, task_id, status="DONE", notes="Booked (fictional)")
    plan = planning.plan_for(workspace, pid)
    done = next(t for t in plan.tasks if t.id == task_id)
    assert done.status == "DONE" and plan.handover_to == "R. Hughes"
    row = next(r for r in planning.board(workspace) if r.person_id == pid)
    assert row.states[Step.TENANCY_ADVICE] is StepState.DONE
    assert row.states[Step.ACCOMMODATION] is StepState.DONE


def test_a_new_release_date_moves_open_tasks_and_says_what_moved(workspace):
    release = TODAY + timedelta(days=60)
    pid = add(workspace, "Z1000AA", release)
    plan = planning.start_plan(workspace, pid)
    before = {t.id: t.due_date for t in plan.tasks if t.due_date}
    record = people.get_person(workspace, pid)
    changed = record.draft
    changed.release_date = release + timedelta(days=14)
    _version, moved = people.update_person_and_replan(workspace, pid, changed, record.version)
    after = {t.id: t.due_date for t in planning.plan_for(workspace, pid).tasks if t.due_date}
    assert all(after[k] == v + timedelta(days=14) for k, v in before.items())
    assert any("Duty to refer" in line for line in moved)
    assert any(line.startswith("Task ") for line in moved)


def test_duty_to_refer_submitted_clears_the_late_flag(workspace):
    pid = add(workspace, "Z1000AA", TODAY + timedelta(days=40))
    consent.record(workspace, pid, scope="ALL", shared_with="Hackney Council (fictional)",
                   given_on=TODAY, method="VERBAL")
    referrals.save(workspace, pid, ReferralDraft(
        type="DUTY_TO_REFER", status="SUBMITTED", council_code="E09000012",
        council_choice="LOCAL_CONNECTION", submitted_on=TODAY, reference="FICT-1"))
    row = next(r for r in planning.board(workspace) if r.person_id == pid)
    assert row.states[Step.DUTY_TO_REFER] is StepState.DONE
    assert Step.DUTY_TO_REFER not in row.late


def test_due_items_cover_plan_dtr_crs_and_tasks(workspace):
    pid = add(workspace, "Z1000AA", TODAY + timedelta(days=40))
    items = planning.due_items(workspace, TODAY)
    kinds = {k for n, k, _d, _s in items if n == "Z1000AA"}
    assert {"PLAN", "DUTY_TO_REFER", "CRS"} <= kinds
    planning.start_plan(workspace, pid)
    kinds = {(k, s) for n, k, _d, s in planning.due_items(workspace, TODAY)}
    assert ("PLAN", "done") in kinds and any(k == "TASK" for k, _ in kinds)


def test_hearings_are_possible_release_points_on_the_board(workspace):
    pid = add(workspace, "Z5000AA", None, "REMAND")
    hearing = planning.add_hearing(workspace, pid, TODAY + timedelta(days=9),
                                   "Fictional Crown Court")
    with pytest.raises(ValidationFailed):
        planning.add_hearing(workspace, pid, TODAY - timedelta(days=900), "Too early")
    row = next(r for r in planning.board(workspace) if r.person_id == pid)
    assert row.lane == "unknown" and row.next_court_date == TODAY + timedelta(days=9)
    planning.remove_hearing(workspace, hearing)
    assert planning.hearings_for(workspace, pid) == []


def test_plan_prefill_takes_her_bcst2_accommodation_answers(workspace):
    pid = add(workspace, "Z6000AA", TODAY + timedelta(days=60))
    answers = dict(valid_answers("BCST2"), WHERE_WILL_THEY_LIVE="DOES_NOT_HAVE_ANYWHERE")
    screening.complete(workspace, pid, "BCST2", answers, None)
    plan = planning.start_plan(workspace, pid)
    assert "does not have anywhere" in plan.accommodation_summary.lower()


def _audit_actions(ws, action):
    with ws.read() as session:
        return session.scalars(select(AuditEntry.detail).where(AuditEntry.action == action)).all()


def test_opening_due_plans_is_audited_only_when_something_opened(workspace):
    assert planning.open_due_plans(workspace) == []
    assert _audit_actions(workspace, "plans_opened") == []
    pid = add(workspace, "Z1000AA", TODAY + timedelta(days=70))
    assert planning.open_due_plans(workspace) == [pid]
    assert planning.open_due_plans(workspace) == []
    assert _audit_actions(workspace, "plans_opened") == ["count=1"]


def test_the_board_only_reads(workspace):
    pid = add(workspace, "Z1000AA", TODAY + timedelta(days=70))
    planning.board(workspace)
    assert planning.plan_for(workspace, pid) is None
    assert _audit_actions(workspace, "plans_opened") == []


def test_unlock_opens_due_plans_for_every_role(workspace, make_user):
    pid = add(workspace, "Z1000AA", TODAY + timedelta(days=70))
    later = add(workspace, "Z2000AA", TODAY + timedelta(days=120))
    reader = make_user("reader", "viewer")  # unlocking as anyone applies the 12-week rule
    assert planning.plan_for(reader, pid) is not None
    assert planning.plan_for(reader, later) is None
    assert _audit_actions(workspace, "plans_opened") == ["count=1"]


def test_a_release_date_moved_inside_twelve_weeks_opens_her_plan_at_once(workspace):
    pid = add(workspace, "Z1000AA", TODAY + timedelta(days=120))
    record = people.get_person(workspace, pid)
    changed = record.draft
    changed.release_date = TODAY + timedelta(days=60)
    _version, moved = people.update_person_and_replan(workspace, pid, changed, record.version)
    plan = planning.plan_for(workspace, pid)
    assert plan is not None and plan.started_on == TODAY
    assert any("plan opened" in line for line in moved)
    assert _audit_actions(workspace, "person_updated")[-1] == "fields=release_date;plan_opened"
    assert _audit_actions(workspace, "plans_opened") == []  # same transaction as the update


def test_a_woman_received_today_close_to_release_has_nothing_overdue(workspace):
    # Fault 3: received today, out in 3 weeks; the 12-week deadlines passed before she arrived.
    pid = people.add_person(workspace, make_draft(
        prison_number="Z1000AA", reception_at=now_utc(),
        release_date=TODAY + timedelta(days=21)))
    assert planning.open_due_plans(workspace) == [pid]
    plan = planning.plan_for(workspace, pid)
    dated = [t for t in plan.tasks if t.due_date is not None]
    assert dated and all(t.due_date >= TODAY for t in dated)
    tenancy = next(t for t in plan.tasks if "tenancy" in t.title.lower())
    assert tenancy.due_date == TODAY
    assert tenancy.notes.startswith("Already late when she arrived: it was due ")
    assert plan.already_late.startswith(f"Already late when she arrived on {TODAY:%d/%m/%Y}")
    assert plan.cpp_due_text == "CPP due now: she had under 10 months to serve when she arrived"
    row = next(r for r in planning.board(workspace) if r.person_id == pid)
    assert row.late == ()
    assert row.states[Step.TENANCY_ADVICE] is StepState.DUE
    items = [i for i in planning.due_items(workspace, TODAY) if i[0] == "Z1000AA"]
    assert items and all(due >= TODAY and status != "overdue" for _n, _k, due, status in items)


def test_a_release_brought_forward_never_moves_a_task_before_reception(workspace):
    arrived = now_utc() - timedelta(days=3)
    pid = people.add_person(workspace, make_draft(
        prison_number="Z1000AA", reception_at=arrived, release_date=TODAY + timedelta(days=80)))
    planning.open_due_plans(workspace)
    record = people.get_person(workspace, pid)
    changed = record.draft
    changed.release_date = TODAY + timedelta(days=20)
    people.update_person_and_replan(workspace, pid, changed, record.version)
    dated = [t.due_date for t in planning.plan_for(workspace, pid).tasks if t.due_date]
    assert dated and min(dated) == to_london(arrived).date()  # tenancy advice: clamped


@pytest.mark.parametrize(("stored", "day"), [
    ("2026-07-01 23:30:00.000000", "2026-07-02"),  # BST: already the next day in the prison
    ("2026-12-01 23:30:00.000000", "2026-12-01"),  # GMT
    ("2026-07-01 22:59:00", "2026-07-01"),
])
def test_reception_day_is_the_prison_day(stored, day):
    assert planning.reception_day(stored).isoformat() == day
    aware = datetime.fromisoformat(stored).replace(tzinfo=UTC)
    assert planning.reception_day(aware).isoformat() == day
