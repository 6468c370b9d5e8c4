"""A pre-release worker plans a release end to end, in the real window on a real database."""

from datetime import time, timedelta

from app.domain.planning import Step, StepState, following_week
from app.domain.timezone import today_london
from app.services import people, planning
from tests.conftest import make_draft
from ui.main_window import MainWindow
from ui.meetings_dialog import MeetingsDialog

TODAY = today_london()


def choose(combo, code):
    index = combo.findData(code)
    assert index >= 0, code
    combo.setCurrentIndex(index)


def test_a_worker_plans_a_release_end_to_end(qtbot, workspace, tmp_path):
    monday, _sunday = following_week(TODAY)
    release = monday + timedelta(days=2)  # next Wednesday: inside 56 days, on next week's EDIC
    pid = people.add_person(workspace, make_draft(
        prison_number="Z4242PL", family_name="Planwell", given_names="Fictiona",
        release_date=release, release_time=time(10, 0), home_local_authority="E09000012"))
    assert planning.open_due_plans(workspace) == [pid]  # as the next unlock does
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    # Without opening the tab, the board loads and says how many women have a late step.
    board_tab = window.lists.indexOf(window.board)
    qtbot.waitUntil(lambda: window.lists.tabText(board_tab) == "Planning (1 late)", timeout=3000)

    window.lists.setCurrentWidget(window.board)  # the board only reads
    row = next(r for r in planning.board(workspace) if r.person_id == pid)
    assert row.states[Step.PLAN] is StepState.DONE
    assert row.states[Step.DUTY_TO_REFER] is StepState.LATE

    window.open_person(pid)
    window.person.show_tab("Plan")
    plan = window.plan
    assert "Started" in plan.status.text()
    plan.edits["tenancy_advice_offered_on"].setText(TODAY.strftime("%d/%m/%Y"))
    plan.edits["accommodation_identified_on"].setText(TODAY.strftime("%d/%m/%Y"))
    plan.summary.setPlainText("Fictional supported housing in Hackney")
    assert plan.save_plan()

    window.person.show_tab("Referrals")
    panel = window.referrals
    consent = panel.record_consent()
    consent.shared_with.setText("Hackney Council housing options (fictional)")
    assert consent.save()
    dialog = panel.new_referral()
    choose(dialog.type_combo, "DUTY_TO_REFER")
    choose(dialog.council_choice, "LOCAL_CONNECTION")
    choose(dialog.status, "SUBMITTED")
    dialog.reference.setText("FICT-77")
    dialog.submitted_on.setText(TODAY.strftime("%d/%m/%Y"))
    assert dialog.save(), dialog.summary.text()

    row = next(r for r in planning.board(workspace) if r.person_id == pid)
    assert row.states[Step.DUTY_TO_REFER] is StepState.DONE
    assert row.states[Step.TENANCY_ADVICE] is StepState.DONE
    assert row.states[Step.ACCOMMODATION] is StepState.DONE

    meeting = MeetingsDialog(workspace, window, kind="EDIC")
    qtbot.addWidget(meeting)
    names = [r.prison_number for r in meeting.rows]
    assert "Z4242PL" in names
    out = tmp_path / "edic.pdf"
    assert meeting.write_pdf(out)  # written on a worker thread
    qtbot.waitUntil(lambda: out.exists() and meeting.isEnabled(), timeout=30_000)
    assert out.read_bytes()[:5] == b"%PDF-"


def test_court_dates_for_a_remanded_woman(qtbot, workspace):
    from ui.plan_panel import PlanPanel

    record_id = people.add_person(workspace, make_draft(
        prison_number="Z4343RM", custody_status="REMAND", release_date=None))
    panel = PlanPanel(workspace)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_person(record_id, people.get_person(workspace, record_id).draft)
    box = panel.hearings
    assert box.isVisible()
    box.day.setText("31/02/2027")
    box.add()
    assert "no such date" in box.message.text()
    box.day.setText((TODAY + timedelta(days=12)).strftime("%d/%m/%Y"))
    box.court.setText("Fictional Magistrates' Court")
    box.add()
    assert box.list.count() == 1
    row = next(r for r in planning.board(workspace) if r.person_id == record_id)
    assert row.next_court_date == TODAY + timedelta(days=12)
