"""The Screening tab: needs accepted, declined and progressed; amend; skip; closures; summary."""

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QMessageBox

from app.domain.timezone import now_utc
from app.services import audit, calendar, needs, people, screening
from tests.conftest import make_draft
from tests.integration.test_screening_service import valid_answers
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, workspace):
    pid = people.add_person(workspace, make_draft(
        custody_status="REMAND", release_date=None, reception_at=now_utc() - timedelta(hours=30)))
    screening.complete(workspace, pid, "BCST1", valid_answers("BCST1"), None)
    w = MainWindow(workspace)
    qtbot.addWidget(w)
    w.show()
    w.open_person(pid)
    w.person.show_tab("Screening")
    return w


def select_need(panel, code):
    row = next(i for i, n in enumerate(panel.need_rows) if n.code == code)
    panel.needs_table.selectRow(row)
    return panel.need_rows[row]


def test_needs_are_listed_then_accepted_progressed_and_declined(window, workspace):
    panel = window.screening
    assert panel.status_labels["BCST1"].text().startswith("Completed")
    assert panel.needs_table.rowCount() == len(needs.needs_for(workspace, panel.person_id))
    need = select_need(panel, "RELEASE_FROM_COURT_PLAN")
    assert not panel.status_combo.isEnabled()  # only an accepted need has a status
    panel.accept_button.click()
    need = select_need(panel, "RELEASE_FROM_COURT_PLAN")
    assert need.review == "accepted" and panel.status_combo.isEnabled()
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("IN_PROGRESS"))
    panel.set_need_status()
    panel.action_button.click()
    need = select_need(panel, "RELEASE_FROM_COURT_PLAN")
    assert need.status == "IN_PROGRESS"
    assert need.actions[0].done_at is not None

    other = next(n for n in panel.need_rows if n.code != "RELEASE_FROM_COURT_PLAN")
    select_need(panel, other.code)
    panel.decline_button.click()
    prompt = panel.findChild(QDialog, "declineNeedDialog")
    assert prompt is panel.prompt and prompt.isVisible()
    ok = prompt.buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.click()  # no reason given: the box stays open, the message beside the field
    assert prompt.isVisible()
    error = prompt.findChild(QLabel, "promptError")
    assert error.isVisible() and "reason" in error.text()
    assert not [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert select_need(panel, other.code).review != "declined"
    prompt.edit.setText("She already has this support in the community (fictional)")
    ok.click()
    assert not prompt.isVisible()
    declined = select_need(panel, other.code)
    assert declined.review == "declined" and "community" in declined.decline_reason
    assert "Declined: She already" in panel.needs_table.item(
        panel.need_rows.index(declined), 2).text()


def test_edit_need_rewords_and_reassigns(window):
    panel = window.screening
    select_need(panel, "RELEASE_FROM_COURT_PLAN")
    panel.edit_button.click()
    panel.prompt.edit.setText("Plan for release from court at the next hearing")
    panel.prompt.owner.setCurrentIndex(panel.prompt.owner.findData("PROBATION"))
    panel.prompt.accept()
    need = select_need(panel, "RELEASE_FROM_COURT_PLAN")
    assert need.title == "Plan for release from court at the next hearing"
    assert need.owner == "PROBATION" and need.review == "accepted"


def test_amend_keeps_history_and_reopens_read_only(window, workspace, qtbot):
    panel = window.screening
    dialog = panel.open_form("BCST1")
    assert dialog.read_only and dialog.amend_button.isVisible()
    dialog.amend_button.click()
    row = next(r for r in dialog.rows.values()
               if isinstance(r.widget, QComboBox) and r.widget.isVisible()
               and r.widget.count() > 2)
    row.widget.setCurrentIndex(1 if row.widget.currentIndex() != 1 else 2)
    dialog.complete()
    assert not dialog.isVisible(), dialog.summary.text()
    history = screening.history(workspace, panel.person_id, "BCST1")
    assert [h.action for h in history] == ["amended", "completed"]
    assert row.question.id in history[0].changes


def test_bcst2_can_be_marked_not_needed(window, workspace):
    panel = window.screening
    box = panel.skip_boxes["BCST2"]
    index = box.findData("COMPLETED_IN_ANOTHER_PRISON")
    box.setCurrentIndex(index)
    box.activated.emit(index)
    assert panel.status_labels["BCST2"].text() == "Not needed: Completed in another prison"
    assert "Induction" == window.lists.tabText(1)  # nobody left in the queue


def test_summary_pdf_is_written(window, tmp_path, qtbot):
    panel = window.screening
    out = tmp_path / "summary.pdf"
    written = []
    assert panel.write_summary(out, on_done=written.append)  # on a worker thread
    assert not panel.isEnabled()  # busy meanwhile: it cannot be started twice
    qtbot.waitUntil(lambda: written == [out] and panel.isEnabled(), timeout=30_000)
    assert out.read_bytes()[:5] == b"%PDF-"


def test_a_summary_chosen_for_her_is_hers_after_the_record_changed(window, workspace,
                                                                    tmp_path, qtbot,
                                                                    monkeypatch):
    opened = []
    monkeypatch.setattr("ui.screening_panel.QDesktopServices.openUrl", opened.append)
    panel = window.screening
    first, number = panel.person_id, panel.person.prison_number
    panel.choose_summary_file()
    assert f"BCST-summary-{number}-" in panel.file_dialog.selectedFiles()[0]
    other = people.add_person(workspace, make_draft(
        prison_number="Z4242OT", family_name="Otherwoman", release_date=None,
        custody_status="REMAND", reception_at=now_utc() - timedelta(hours=3)))
    window.open_person(other)  # the record shown changes while the file dialog is open
    assert panel.person_id == other
    out = tmp_path / "summary.pdf"
    panel.file_dialog.fileSelected.emit(str(out))
    qtbot.waitUntil(lambda: len(opened) == 1 and panel.isEnabled(), timeout=30_000)
    assert opened[0].toLocalFile() == str(out)  # opened once written, as she asked
    written = audit.entries(workspace, action="bcst_summary_printed")
    assert [e.record_id for e in written] == [str(first)]


def test_closure_days_dialog_adds_and_removes(qtbot, workspace):
    from ui.closures_dialog import ClosuresDialog

    dialog = ClosuresDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()  # the list follows the change events while it is on screen
    dialog.day.setText("31/02/2027")
    dialog.add()
    assert "no such date" in dialog.message.text()
    dialog.day.setText("03/02/2027")
    dialog.reason.setText("Fictional training day")
    dialog.add()
    assert [d.isoformat() for d, _ in calendar.closures(workspace)] == ["2027-02-03"]
    assert dialog.list.count() == 1
    dialog.list.setCurrentRow(0)
    dialog.remove()
    assert calendar.closures(workspace) == []
    assert dialog.list.count() == 0
