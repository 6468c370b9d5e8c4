"""The release-day checklist, outcomes, contacts and the report on a real encrypted database."""

import csv
from datetime import date, timedelta

import pytest

from app.domain.timezone import today_london
from app.errors import UserError, ValidationFailed
from app.services import people, planning, release_day
from tests.conftest import make_draft
from tests.integration.conftest import actions

TODAY = today_london()

# Not before a bank holiday, and well after the fixed reception date in make_draft.
ORDINARY_WEDNESDAY = date(2027, 6, 9)


def next_weekday(weekday, after_days=7):
    day = TODAY + timedelta(days=after_days)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def add(ws, number, release, status="SENTENCED", **extra):
    return people.add_person(ws, make_draft(prison_number=number, release_date=release,
                                            custody_status=status, **extra))


def finish(ws, view):
    for item in view.items:
        if item.state == "OPEN":
            view = release_day.set_item(ws, item.id, state="DONE")
    return view


def test_a_friday_release_gets_a_required_emergency_item_and_her_plan_address(workspace):
    pid = add(workspace, "Z1000AA", next_weekday(4))
    planning.start_plan(workspace, pid)
    planning.update_plan(workspace, pid, accommodation_summary="Fictional Hostel, 1 Test Road")
    assert release_day.checklist_for(workspace, pid, create=False) is None
    view = release_day.checklist_for(workspace, pid)
    assert "FRIDAY" in view.risks
    first = view.items[0]
    assert first.code == "EMERGENCY_ACCOMMODATION" and first.required
    sleep = next(i for i in view.items if i.code == "SLEEP_TONIGHT")
    assert sleep.details == "Fictional Hostel, 1 Test Road"
    assert len(view.items) == 16 and all(i.state == "OPEN" for i in view.items)
    assert "Emergency accommodation must be arranged before sign-off." in view.problems
    # opening it again does not generate another
    again = release_day.checklist_for(workspace, pid)
    assert [i.id for i in again.items] == [i.id for i in view.items]
    assert actions(workspace).count("release_checklist_started") == 1


def test_an_ordinary_release_has_no_emergency_item(workspace):
    pid = add(workspace, "Z1000AA", ORDINARY_WEDNESDAY)
    view = release_day.checklist_for(workspace, pid)
    assert view.risks == ()
    assert "EMERGENCY_ACCOMMODATION" not in [i.code for i in view.items]


def test_sign_off_refused_with_open_items_then_allowed(workspace):
    pid = add(workspace, "Z1000AA", next_weekday(4))
    view = release_day.checklist_for(workspace, pid)
    emergency = view.items[0]
    with pytest.raises(UserError) as refused:
        release_day.sign_off(workspace, pid)
    assert "Still to do: Phone." in str(refused.value)
    assert "Emergency accommodation must be arranged" in str(refused.value)
    with pytest.raises(ValidationFailed):
        release_day.set_item(workspace, emergency.id, state="NOT_NEEDED")
    with pytest.raises(UserError):
        release_day.set_item(workspace, emergency.id, state="MAYBE")
    release_day.set_item(workspace, emergency.id, state="NOT_NEEDED", reason="Family offered")
    phone = next(i for i in view.items if i.code == "PHONE")
    release_day.set_item(workspace, phone.id, state="BLOCKED", reason="No phone in property")
    view = finish(workspace, release_day.checklist_for(workspace, pid))
    assert view.problems == ("Emergency accommodation must be arranged before sign-off.",)
    with pytest.raises(UserError):
        release_day.sign_off(workspace, pid)
    release_day.set_item(workspace, emergency.id, state="DONE", details="Fictional B&B, 2 nights")
    signed = release_day.sign_off(workspace, pid)
    assert signed.signed_off_at is not None and signed.signed_off_by == "admin"
    assert signed.problems == ()
    assert "release_checklist_signed_off" in actions(workspace)
    done = next(i for i in signed.items if i.id == emergency.id)
    assert done.details == "Fictional B&B, 2 nights"


def test_changes_after_sign_off_are_recorded_as_such(workspace):
    pid = add(workspace, "Z1000AA", next_weekday(2))
    view = finish(workspace, release_day.checklist_for(workspace, pid))
    release_day.sign_off(workspace, pid)
    gp = next(i for i in view.items if i.code == "GP")
    release_day.set_item(workspace, gp.id, state="BLOCKED", reason="Surgery list full")
    view = release_day.add_item(workspace, pid, "Collect her fictional cat from the shelter")
    assert view.items[-1].code == "OTHER" and view.items[-1].state == "OPEN"
    events = release_day.history(workspace, pid)
    assert events[0][2] == "generated" and not events[0][4]
    signed_at = next(i for i, e in enumerate(events) if e[2] == "signed_off")
    assert not any(e[4] for e in events[:signed_at + 1])
    at, user, action, changes, after = events[signed_at + 1]
    assert (user, action, after) == ("admin", "item_changed", True)
    assert changes["item"] == "GP" and changes["state"] == ["DONE", "BLOCKED"]
    assert events[-1][2] == "item_added" and events[-1][4]
    # still signed off, but the open item shows as a problem
    assert view.signed_off_at is not None and view.problems


def test_a_date_moved_onto_a_friday_adds_the_emergency_item(workspace):
    pid = add(workspace, "Z1000AA", ORDINARY_WEDNESDAY)
    first = release_day.checklist_for(workspace, pid)
    assert first.risks == ()
    record = people.get_person(workspace, pid)
    people.update_person(workspace, pid, make_draft(release_date=next_weekday(4)),
                         record.version)
    view = release_day.checklist_for(workspace, pid)
    assert view.items[0].code == "EMERGENCY_ACCOMMODATION" and view.items[0].required


def test_outcome_cannot_be_recorded_before_the_release(workspace):
    pid = add(workspace, "Z1000AA", TODAY + timedelta(days=3))
    with pytest.raises(ValidationFailed) as refused:
        release_day.record_outcome(workspace, pid, released_on=TODAY + timedelta(days=3),
                                   accommodation_code="A01C", address="1 Fictional Street")
    assert "an outcome cannot be recorded before the release" in str(refused.value)
    with pytest.raises(ValidationFailed):  # before her reception (10/01/2026)
        release_day.record_outcome(workspace, pid, released_on=date(2026, 1, 2),
                                   accommodation_code="A01C", address="1 Fictional Street")
    with pytest.raises(ValidationFailed):
        release_day.record_outcome(workspace, pid, released_on=TODAY, accommodation_code="X1",
                                   address="1 Fictional Street")
    with pytest.raises(ValidationFailed):  # settled needs an address
        release_day.record_outcome(workspace, pid, released_on=TODAY, accommodation_code="A01C")
    assert release_day.outcome_for(workspace, pid) is None


def test_outcome_recorded_overwritten_and_followed_up(workspace):
    pid = add(workspace, "Z1000AA", TODAY - timedelta(days=100))
    out = release_day.record_outcome(workspace, pid, released_on=TODAY - timedelta(days=30),
                                     accommodation_code="NFA", reason="Recall hearing (fictional)")
    assert out.category == "HOMELESS" and out.address == ""
    assert out.follow_up_due == TODAY + timedelta(days=54)
    with pytest.raises(ValidationFailed) as early:
        release_day.record_sustained(workspace, pid, sustained=True, on=TODAY)
    assert "the 12-week follow-up is due on" in str(early.value)
    assert (TODAY + timedelta(days=54)).strftime("%d/%m/%Y") in str(early.value)
    out = release_day.record_outcome(workspace, pid, released_on=TODAY - timedelta(days=100),
                                     accommodation_code="a07b", address="2 Fictional Close")
    assert (out.accommodation_code, out.category) == ("A07B", "SETTLED")
    with pytest.raises(ValidationFailed):
        release_day.record_sustained(workspace, pid, sustained=True,
                                     on=TODAY + timedelta(days=1))
    out = release_day.record_sustained(workspace, pid, sustained=True, on=TODAY,
                                       notes="Still there (fictional)")
    assert out.sustained_12_weeks is True and out.sustained_recorded_on == TODAY
    assert actions(workspace).count("release_outcome_recorded") == 2


def test_sustained_needs_an_outcome(workspace):
    pid = add(workspace, "Z1000AA", TODAY - timedelta(days=100))
    with pytest.raises(UserError):
        release_day.record_sustained(workspace, pid, sustained=False, on=TODAY)


def test_support_contacts_only_in_the_three_months_after_release(workspace):
    pid = add(workspace, "Z1000AA", TODAY - timedelta(days=100))
    with pytest.raises(UserError):  # no outcome yet
        release_day.add_contact(workspace, pid, contacted_on=TODAY - timedelta(days=50),
                                method="PHONE")
    release_day.record_outcome(workspace, pid, released_on=TODAY - timedelta(days=100),
                               accommodation_code="A17", address="CAS3, Fictional Lane")
    for day in (TODAY - timedelta(days=101), TODAY, TODAY - timedelta(days=8)):
        with pytest.raises(ValidationFailed):
            release_day.add_contact(workspace, pid, contacted_on=day, method="PHONE")
    with pytest.raises(ValidationFailed):
        release_day.add_contact(workspace, pid, contacted_on=TODAY - timedelta(days=50),
                                method="EMAIL")
    first = release_day.add_contact(workspace, pid, contacted_on=TODAY - timedelta(days=100),
                                    method="VISIT", notes="Met at the gate")
    last = release_day.add_contact(workspace, pid, contacted_on=TODAY - timedelta(days=9),
                                   method="PHONE")
    assert [c[0] for c in release_day.contacts_for(workspace, pid)] == [first, last]
    assert release_day.contacts_for(workspace, pid)[0][2:] == ("VISIT", "Met at the gate",
                                                               "admin")


def test_due_items(workspace):
    soon = add(workspace, "Z1000AA", TODAY + timedelta(days=10))
    add(workspace, "Z2000AA", TODAY + timedelta(days=30))
    add(workspace, "Z3000AA", TODAY - timedelta(days=3))
    gone = add(workspace, "Z4000AA", TODAY - timedelta(days=100))
    recent = add(workspace, "Z5000AA", TODAY - timedelta(days=20))
    release_day.record_outcome(workspace, gone, released_on=TODAY - timedelta(days=100),
                               accommodation_code="A01D", address="3 Fictional Row")
    release_day.record_outcome(workspace, recent, released_on=TODAY - timedelta(days=20),
                               accommodation_code="UNKNOWN")
    items = {(n, k): (d, s) for n, k, d, s in release_day.due_items(workspace, TODAY)}
    assert items[("Z1000AA", "RELEASE_CHECKLIST")] == (TODAY + timedelta(days=10), "due")
    assert ("Z2000AA", "RELEASE_CHECKLIST") not in items
    assert items[("Z3000AA", "RELEASE_CHECKLIST")] == (TODAY - timedelta(days=3), "overdue")
    assert items[("Z4000AA", "FOLLOW_UP_12_WEEKS")] == (TODAY - timedelta(days=16), "overdue")
    assert items[("Z5000AA", "FOLLOW_UP_12_WEEKS")] == (TODAY + timedelta(days=64), "due")
    finish(workspace, release_day.checklist_for(workspace, soon))
    release_day.sign_off(workspace, soon)
    release_day.record_sustained(workspace, gone, sustained=False, on=TODAY)
    items = {(n, k): (d, s) for n, k, d, s in release_day.due_items(workspace, TODAY)}
    assert items[("Z1000AA", "RELEASE_CHECKLIST")][1] == "done"
    assert items[("Z4000AA", "FOLLOW_UP_12_WEEKS")][1] == "done"


def test_outcome_records_count_unrecorded_releases_as_unknown(workspace):
    a = add(workspace, "Z1000AA", TODAY - timedelta(days=40), nationality="PL")
    add(workspace, "Z2000AA", TODAY - timedelta(days=20), status="REMAND")  # nothing recorded
    add(workspace, "Z3000AA", TODAY + timedelta(days=5))  # not released yet: not counted
    release_day.record_outcome(workspace, a, released_on=TODAY - timedelta(days=41),
                               accommodation_code="A01C", address="4 Fictional Mews")
    records = release_day.outcome_records(workspace, TODAY - timedelta(days=60),
                                          TODAY + timedelta(days=30))
    assert sorted((r.category, r.foreign_national, r.custody_status) for r in records) == [
        ("SETTLED", True, "SENTENCED"), ("UNKNOWN", False, "REMAND")]
    report = release_day.outcomes_report(workspace, TODAY - timedelta(days=60), TODAY)
    assert (report.overall.settled, report.overall.unknown) == (1, 1)
    assert "outcomes_report_viewed" in actions(workspace)


def test_csv_export_suppresses_small_numbers(workspace, tmp_path):
    for n in range(3):
        pid = add(workspace, f"Z{n}000AA", TODAY - timedelta(days=10 + n))
        release_day.record_outcome(workspace, pid, released_on=TODAY - timedelta(days=10 + n),
                                   accommodation_code="A04", address="Fictional Supported Flat")
    for n in range(3, 9):
        add(workspace, f"Z{n}000AA", TODAY - timedelta(days=10 + n))  # six unknown
    out = tmp_path / "outcomes.csv"
    rows = release_day.write_outcomes_csv(workspace, TODAY - timedelta(days=60), TODAY, out)
    table = list(csv.reader(out.open(encoding="utf-8")))
    assert rows == len(table) - 1
    overall = dict(zip(table[0], table[1], strict=True))
    assert overall["group"] == "overall"
    assert (overall["settled"], overall["unknown"], overall["total"]) == ("<5", "6", "9")
    assert overall["homeless"] == "0"
    assert "outcomes_report_exported" in actions(workspace)
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_viewer_cannot_generate_a_checklist(workspace, make_user):
    pid = add(workspace, "Z1000AA", next_weekday(4))
    viewer = make_user("viewer1", "viewer")
    assert release_day.checklist_for(viewer, pid) is None
    release_day.checklist_for(workspace, pid)
    assert release_day.checklist_for(viewer, pid).items[0].code == "EMERGENCY_ACCOMMODATION"
    with pytest.raises(UserError):
        release_day.sign_off(viewer, pid)


# --- fault 4: a release far from her recorded date is confirmed with a reason ----------------


def _audit_details(ws, action):
    from sqlalchemy import select

    from app.store.models import AuditEntry

    with ws.read() as session:
        return session.scalars(select(AuditEntry.detail).where(AuditEntry.action == action)).all()


def test_a_release_far_from_her_date_is_refused_without_a_reason(workspace):
    pid = add(workspace, "Z1000AA", TODAY + timedelta(days=65))
    with pytest.raises(ValidationFailed) as refused:
        release_day.record_outcome(workspace, pid, released_on=TODAY, accommodation_code="A01C",
                                   address="1 Fictional Road", reason="   ")
    assert set(refused.value.errors) == {"reason"}
    message = refused.value.errors["reason"]
    assert (TODAY + timedelta(days=65)).strftime("%d/%m/%Y") in message
    assert "65 days before" in message
    assert release_day.outcome_for(workspace, pid) is None


def test_the_reason_is_kept_and_the_audit_says_only_how_far_apart(workspace):
    pid = add(workspace, "Z1000AA", TODAY + timedelta(days=65))
    why = "Released by the court on appeal (fictional)"
    out = release_day.record_outcome(workspace, pid, released_on=TODAY,
                                     accommodation_code="A01C", address="1 Fictional Road",
                                     reason=f"  {why} ")
    assert out.date_change_reason == why
    assert release_day.outcome_for(workspace, pid).date_change_reason == why
    detail = _audit_details(workspace, "release_outcome_recorded")[-1]
    assert "date differs by 65 days" in detail
    assert "appeal" not in detail
    # Correcting the address of the same release does not ask again; another day does.
    out = release_day.record_outcome(workspace, pid, released_on=TODAY,
                                     accommodation_code="A01C", address="2 Fictional Road")
    assert out.date_change_reason == why
    with pytest.raises(ValidationFailed):
        release_day.record_outcome(workspace, pid, released_on=TODAY - timedelta(days=1),
                                   accommodation_code="A01C", address="2 Fictional Road")


@pytest.mark.parametrize("offset", [0, 1, -1])
def test_a_day_either_side_needs_no_reason(workspace, offset):
    pid = add(workspace, "Z1000AA", TODAY - timedelta(days=1 + offset))
    out = release_day.record_outcome(workspace, pid, released_on=TODAY - timedelta(days=1),
                                     accommodation_code="A01C", address="1 Fictional Road",
                                     reason="ignored when the dates agree")
    assert out.date_change_reason == ""
    assert "differs" not in _audit_details(workspace, "release_outcome_recorded")[-1]


def test_no_recorded_date_needs_no_reason(workspace):
    pid = add(workspace, "Z1000AA", None, "REMAND")
    out = release_day.record_outcome(workspace, pid, released_on=TODAY,
                                     accommodation_code="NFA")
    assert out.date_change_reason == ""
