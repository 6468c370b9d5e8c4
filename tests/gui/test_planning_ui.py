"""The planning board, the Plan tab and the EDIC / MAPPA meeting lists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from app.domain.planning import following_week, plan_opens
from app.domain.timezone import now_utc, today_london
from app.services import people, planning
from tests.conftest import make_draft
from ui.meetings_dialog import MeetingsDialog
from ui.plan_panel import PlanPanel
from ui.planning_board import FIRST_STEP, HEADERS, PlanningBoard


def add(ws, number, family, release, **extra):
    draft = make_draft(prison_number=number, family_name=family, release_date=release, **extra)
    return people.add_person(ws, draft), draft


def cell(board, row, header, role=Qt.ItemDataRole.DisplayRole):
    return board.model.data(board.model.index(row, HEADERS.index(header)), role)


@pytest.fixture
def board(qtbot, workspace):
    today = today_london()
    add(workspace, "Z2001AA", "Fiftyday", today + timedelta(days=50))
    add(workspace, "Z2002AA", "Farout", today + timedelta(days=200))
    add(workspace, "Z2003AA", "Remanded", None, custody_status="REMAND")
    planning.open_due_plans(workspace)  # what the next unlock does; the board only reads
    widget = PlanningBoard(workspace)
    qtbot.addWidget(widget)
    widget.show()
    widget.reload()
    return widget


def test_board_says_the_duty_to_refer_is_late_in_words(board):
    assert board.shown_count() == 3
    row = next(i for i in range(3) if cell(board, i, "Name") == "FIFTYDAY, Fictiona")
    assert cell(board, row, "DTR") == "Late"
    assert cell(board, row, "DTR", Qt.ItemDataRole.FontRole).bold()
    assert "Duty to refer: late" in cell(board, row, "DTR", Qt.ItemDataRole.ToolTipRole)
    assert cell(board, row, "Plan") == "✓ Done"  # opened automatically at 12 weeks (unlock)
    assert cell(board, row, "Weeks") == "7"
    far = next(i for i in range(3) if cell(board, i, "Name") == "FAROUT, Fictiona")
    assert cell(board, far, "DTR") == "—"
    unknown = next(i for i in range(3) if cell(board, i, "Name") == "REMANDED, Fictiona")
    assert cell(board, unknown, "Release") == "Unknown"
    assert cell(board, unknown, "Rel. day") == "—"
    assert len(HEADERS) - FIRST_STEP == 6


def test_lane_filters_and_late_only_count(board):
    assert board.buttons["all"].text() == "All (3)"
    assert board.buttons["4-8"].text() == "4–8 (1)"
    assert board.buttons["24+"].text() == "24+ (1)"
    assert board.buttons["unknown"].text() == "Date unknown (1)"
    assert board.buttons["0-2"].text() == "0–2 (0)"
    assert board.late_button.text() == "Late only (1)"
    assert "1</b> woman with a late step" in board.heading.text()
    assert "1</b> without a duty to refer inside 56 days" in board.heading.text()

    board.buttons["24+"].click()
    assert board.shown_count() == 1 and cell(board, 0, "Name") == "FAROUT, Fictiona"
    board.late_button.click()
    assert board.shown_count() == 0
    board.buttons["all"].click()
    assert board.shown_count() == 1 and cell(board, 0, "Name") == "FIFTYDAY, Fictiona"
    board.late_button.click()
    assert board.shown_count() == 3


def test_board_row_selection_names_the_person(board, qtbot):
    with qtbot.waitSignal(board.current_person_changed) as signal:
        board.table.selectRow(0)
    assert signal.args == [board.model.row_at(0).person_id]


@pytest.fixture
def panel(qtbot, workspace):
    widget = PlanPanel(workspace)
    qtbot.addWidget(widget)
    widget.resize(560, 800)
    widget.show()
    return widget


def test_plan_panel_starts_a_plan_records_steps_and_tasks(panel, workspace, qtbot):
    today = today_london()
    release = today + timedelta(days=200)
    pid, draft = add(workspace, "Z2101AA", "Planner", release)
    panel.show_person(pid, draft)
    assert panel.status.text() == ("No plan yet: it opens automatically 12 weeks before "
                                   f"release ({plan_opens(release):%d/%m/%Y}).")
    assert panel.start_button.isVisible() and not panel.steps_box.isVisible()

    panel.start_button.click()
    assert panel.steps_box.isVisible() and not panel.start_button.isVisible()
    assert planning.plan_for(workspace, pid) is not None
    assert panel.status.text().startswith(f"Started {today:%d/%m/%Y} by admin")
    assert "CPP due by" in panel.cpp_due.text()

    offered = today - timedelta(days=1)
    panel.edits["tenancy_advice_offered_on"].setText(f"{offered:%d/%m/%Y}")
    panel.save_button.click()
    assert planning.plan_for(workspace, pid).tenancy_advice_offered_on == offered
    assert panel.saved.text() == "Saved."

    dialog = panel.open_task_dialog()
    dialog.pathway.setCurrentIndex(dialog.pathway.findData("FINANCE_AND_ID"))
    dialog.title.setText("Apply for a birth certificate (fictional)")
    dialog.owner.setCurrentIndex(dialog.owner.findData("PRISON"))
    dialog.due.setText(f"{today - timedelta(days=2):%d/%m/%Y}")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert not dialog.isVisible()
    tasks = planning.plan_for(workspace, pid).tasks
    task = next(t for t in tasks if t.title == "Apply for a birth certificate (fictional)")
    assert task.pathway == "FINANCE_AND_ID" and task.status == "NOT_STARTED"
    row = [t.id for t in panel.plan.tasks].index(task.id)
    assert panel.tasks_table.item(row, 3).text().startswith("Overdue")
    assert panel.tasks_table.item(row, 0).text() == "Finance and ID"

    panel.tasks_table.selectRow(row)
    assert panel.set_status_button.isEnabled()
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("DONE"))
    panel.set_status_button.click()
    done = next(t for t in planning.plan_for(workspace, pid).tasks if t.id == task.id)
    assert done.status == "DONE"
    assert panel.tasks_table.item(row, 4).text() == "Done"
    assert not panel.tasks_table.item(row, 3).text().startswith("Overdue")


def test_a_future_date_is_refused_beside_its_field(panel, workspace):
    today = today_london()
    pid, draft = add(workspace, "Z2102AA", "Future", today + timedelta(days=40))
    planning.open_due_plans(workspace)
    panel.show_person(pid, draft)
    assert panel.steps_box.isVisible()
    panel.edits["accommodation_identified_on"].setText(f"{today + timedelta(days=3):%d/%m/%Y}")
    assert not panel.save_plan()
    error = panel.errors["accommodation_identified_on"]
    assert error.isVisible() and "future" in error.text()
    assert planning.plan_for(workspace, pid).accommodation_identified_on is None

    panel.edits["accommodation_identified_on"].setText("31/02/2026")
    assert not panel.save_plan()
    assert "no such date" in error.text()


def test_task_dialog_refuses_an_empty_task(panel, workspace):
    pid, draft = add(workspace, "Z2103AA", "Emptytask", today_london() + timedelta(days=30))
    planning.open_due_plans(workspace)
    panel.show_person(pid, draft)
    before = len(planning.plan_for(workspace, pid).tasks)
    dialog = panel.open_task_dialog()
    assert not panel.submit_task()
    assert dialog.isVisible() and dialog.error.text()
    assert len(planning.plan_for(workspace, pid).tasks) == before


def test_edic_list_shows_the_following_week_and_prints(qtbot, workspace, tmp_path):
    monday, sunday = following_week(today_london())
    add(workspace, "Z2201AA", "Nextweek", monday + timedelta(days=2))
    add(workspace, "Z2202AA", "Weekafter", monday + timedelta(days=9))
    dialog = MeetingsDialog(workspace, kind="EDIC")
    qtbot.addWidget(dialog)
    dialog.show()
    iso_year, iso_number, _ = monday.isocalendar()
    assert dialog.period.text() == f"{iso_year}-W{iso_number:02d}"
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert names == ["NEXTWEEK, Fictiona"]
    assert dialog.count_label.text() == (
        f"1 woman released Monday {monday.day} {monday:%B %Y} "
        f"to Sunday {sunday.day} {sunday:%B %Y}")
    out = tmp_path / "edic.pdf"
    assert dialog.write_pdf(out)  # written on a worker thread
    qtbot.waitUntil(lambda: out.exists() and dialog.isEnabled(), timeout=30_000)
    assert out.read_bytes()[:4] == b"%PDF"

    dialog.next_button.click()
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert names == ["WEEKAFTER, Fictiona"]
    dialog.period.setText("not a week")
    dialog.show_button.click()
    assert "2026-W49" in dialog.error.text()


def test_mappa_list_shows_only_mappa_cases(qtbot, workspace, tmp_path):
    soon = today_london() + timedelta(days=30)
    add(workspace, "Z2301AA", "Mappacase", soon, mappa_level="2")
    add(workspace, "Z2302AA", "Notmappa", soon)
    dialog = MeetingsDialog(workspace, kind="MAPPA")
    qtbot.addWidget(dialog)
    dialog.show()
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert names == ["MAPPACASE, Fictiona"]
    assert "MAPPA level 2" in dialog.table.item(0, 5).text()
    assert dialog.count_label.text().startswith("1 MAPPA case released")
    out = tmp_path / "mappa.pdf"
    assert dialog.write_pdf(out)  # written on a worker thread
    qtbot.waitUntil(lambda: out.exists() and dialog.isEnabled(), timeout=30_000)
    assert out.read_bytes()[:4] == b"%PDF"


def test_a_woman_received_today_sees_no_overdue_task_and_no_past_cpp_date(panel, workspace):
    # Fault 3: received today, out in three weeks.
    today = today_london()
    pid, draft = add(workspace, "Z2104AA", "Justarrived", today + timedelta(days=21),
                     reception_at=now_utc())
    planning.open_due_plans(workspace)
    panel.show_person(pid, draft)
    assert panel.steps_box.isVisible()
    texts = [panel.tasks_table.item(r, 3).text() for r in range(panel.tasks_table.rowCount())]
    assert texts and not any(t.startswith("Overdue") for t in texts)
    assert panel.status.text().count("Already late when she arrived") == 1
    assert panel.cpp_due.text() == "CPP due now: she had under 10 months to serve when she arrived"


def test_no_plan_inside_twelve_weeks_says_how_it_opens(panel, workspace):
    pid, draft = add(workspace, "Z2105AA", "Noplanyet", today_london() + timedelta(days=30))
    panel.show_person(pid, draft)
    assert "within 12 weeks" in panel.status.text()
    assert panel.start_button.isVisible()
