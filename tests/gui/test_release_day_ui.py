"""The Release day tab (checklist, sign-off, outcome) and the accommodation outcomes report."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit

from app.domain.timezone import today_london
from app.services import people, release_day
from tests.conftest import make_draft
from ui.outcomes_dialog import OutcomesDialog
from ui.release_day_panel import ReleaseDayPanel

FRIDAY = date(2027, 5, 28)
WORKER_MS = 30_000
PAST_RELEASE = date(2026, 9, 4)  # after make_draft's reception on 10/01/2026


def _panel(qtbot, workspace, draft):
    person_id = people.add_person(workspace, draft)
    panel = ReleaseDayPanel(workspace)
    qtbot.addWidget(panel)
    panel.resize(560, 900)
    panel.show()
    panel.show_person(person_id, draft)
    return panel, person_id


@pytest.fixture
def friday(qtbot, workspace):
    draft = make_draft(release_date=FRIDAY, release_time=time(18, 0))
    return _panel(qtbot, workspace, draft)


@pytest.fixture
def released(qtbot, workspace):
    draft = make_draft(prison_number="Z7777ZZ", family_name="Leftearly",
                       release_date=PAST_RELEASE)
    return _panel(qtbot, workspace, draft)


def _save(panel, item, state, reason="", details=""):
    panel.select_item(item.id)
    panel.state_combo.setCurrentIndex(panel.state_combo.findData(state))
    panel.reason_edit.setText(reason)
    panel.details_edit.setPlainText(details)
    return panel.save_item()


def test_start_shows_risks_in_words_and_the_required_emergency_item(friday, qtbot):
    panel, _ = friday
    assert "Friday 28/05/2027 at 18:00" in panel.release_label.text()
    assert panel.risk_box.isVisible()
    assert "RISK: Friday release" in panel.risk_box.text()
    assert "RISK: Release after 17:00" in panel.risk_box.text()
    assert panel.start_button.isVisible() and not panel.checklist_box.isVisible()

    panel.start_button.click()  # the change events re-show the tab, during the call
    assert panel.checklist_box.isVisible() and not panel.start_button.isVisible()
    emergency = [i for i in panel.checklist.items if i.code == "EMERGENCY_ACCOMMODATION"]
    assert len(emergency) == 1 and emergency[0].required
    total = len(panel.checklist.items)
    assert panel.summary.text() == f"0 of {total} done · {total} to do · 0 blocked"
    row = [i.id for i in panel.checklist.items].index(emergency[0].id)
    assert panel.items_table.item(row, 0).text().endswith("(required)")
    assert panel.items_table.item(row, 1).text() == "To do"
    assert panel.problems.isVisible()
    assert "Emergency accommodation must be arranged" in panel.problems.text()


def test_sign_off_refused_while_items_are_open_then_allowed(friday, qtbot):
    panel, person_id = friday
    panel.start_checklist()
    panel.sign_button.click()
    assert panel.sign_error.isVisible()
    assert "cannot be signed off yet" in panel.sign_error.text()
    assert "Still to do" in panel.sign_error.text()
    assert panel.checklist.signed_off_at is None
    # Fault 5: what is open is listed once, beside the button, not again in the top box,
    # and the open required emergency item is one line, not two.
    refusal = panel.sign_error.text()
    assert not panel.problems.isVisible()
    assert refusal.count("Emergency accommodation") == 1
    assert refusal.count("•") == min(len(panel.checklist.problems), 6) + (
        len(panel.checklist.problems) > 6)
    assert len(set(panel.checklist.problems)) == len(panel.checklist.problems)

    # Not needed without a reason is stopped at the field, and nothing is saved.
    first = panel.checklist.items[1]
    assert not _save(panel, first, "NOT_NEEDED")
    assert panel.reason_error.isVisible() and "reason" in panel.reason_error.text()
    assert release_day.checklist_for(panel.ws, person_id, create=False).items[1].state == "OPEN"

    items = panel.checklist.items
    for item in items:
        if item.code == "CHILDRENS_SOCIAL_CARE":
            assert _save(panel, item, "NOT_NEEDED", reason="She has no children")
            assert panel.item_saved.text() == "Saved."
            row = [i.id for i in panel.checklist.items].index(item.id)
            assert panel.items_table.item(row, 1).text() == "Not needed"
            assert panel.items_table.item(row, 2).text() == "She has no children"
        else:
            assert _save(panel, item, "DONE", details="Confirmed by phone with the hostel")
    done = len(items) - 1
    assert panel.summary.text() == (f"{done} of {len(items)} done · 0 to do · 0 blocked · "
                                    "1 not needed")
    assert not panel.problems.isVisible()

    panel.sign_button.click()
    assert not panel.sign_error.isVisible()
    assert panel.checklist.signed_off_at is not None
    assert "Signed off" in panel.signed.text() and "by admin" in panel.signed.text()
    assert "changes after sign-off are recorded" in panel.signed.text()
    assert not panel.sign_button.isVisible()

    _save(panel, items[0], "DONE", details="Hostel room confirmed again at 09:40")
    dialog = panel.open_history()
    assert dialog is not None and dialog.isVisible()
    last = dialog.table.rowCount() - 1
    assert dialog.table.item(last, 4).text() == "After sign-off"
    assert dialog.table.item(0, 4).text() == ""


def test_outcome_refused_before_release_then_recorded_after(released, qtbot):
    panel, person_id = released
    assert not panel.follow_box.isVisible()
    panel.released_on.setText((today_london() + timedelta(days=3)).strftime("%d/%m/%Y"))
    panel.accommodation.setCurrentIndex(panel.accommodation.findData("A01C"))
    assert panel.accommodation.currentText() == "A01C — Private rented (settled)"
    panel.address.setPlainText("1 Fictional Road, Testtown")
    assert not panel.save_outcome()
    assert panel.errors["released_on"].isVisible()
    assert "future" in panel.errors["released_on"].text()
    assert release_day.outcome_for(panel.ws, person_id) is None

    panel.released_on.setText("04/09/2026")
    panel.record_button.click()
    assert not panel.errors["released_on"].isVisible()
    assert "Released 04/09/2026 to A01C — Private rented (settled)" in \
        panel.outcome_label.text()
    assert panel.follow_box.isVisible()
    assert "Follow-up due 27/11/2026" in panel.follow_label.text()

    panel.contacted_on.setText("11/09/2026")
    panel.method.setCurrentIndex(panel.method.findData("PHONE"))
    panel.contact_notes.setText("Settling in; rent paid")
    assert panel.save_contact()
    assert panel.contacts_table.rowCount() == 1
    assert panel.contacts_table.item(0, 1).text() == "Phone"


def test_outcomes_dialog_counts_on_screen_and_suppresses_in_the_csv(released, qtbot,
                                                                    tmp_path):
    panel, person_id = released
    release_day.record_outcome(panel.ws, person_id, released_on=PAST_RELEASE,
                               accommodation_code="NFA")
    dialog = OutcomesDialog(panel.ws)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.from_edit.setText("01/01/2026")
    dialog.to_edit.setText("30/09/2026")
    dialog.show_button.click()
    assert "1 woman released" in dialog.count_label.text()
    assert "1 homeless" in dialog.count_label.text()
    months = dialog.tables["month"]
    assert months.rowCount() == 9
    assert months.item(8, 0).text() == "Sep 2026"
    assert months.item(8, 3).text() == "1"  # real counts on screen
    assert "1 homeless" in dialog.chart.tooltip_for(8)

    out = tmp_path / "outcomes.csv"
    assert dialog.export_csv(out)
    text = out.read_text(encoding="utf-8")
    assert "<5" in text
    assert ",1," not in text

    dialog.to_edit.setText("31/02/2026")
    dialog.show_button.click()
    assert dialog.error.isVisible()


def test_her_day_sheet_is_one_page_from_the_checklist(qtbot, workspace, tmp_path):
    import shutil
    import subprocess

    from app.services import release_day
    from ui.release_day_panel import ReleaseDayPanel

    pid = people.add_person(workspace, make_draft(prison_number="Z7070SH",
                                                  release_date=date(2027, 5, 26)))
    panel = ReleaseDayPanel(workspace)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_person(pid, people.get_person(workspace, pid).draft)
    early = tmp_path / "early.pdf"
    assert panel.write_sheet(early)  # written on a worker thread; the panel is busy meanwhile
    assert not panel.isEnabled()
    qtbot.waitUntil(lambda: panel.isEnabled() and bool(panel.sign_error.text()),
                    timeout=WORKER_MS)
    assert "Start her release-day checklist first" in panel.sign_error.text()  # told why
    assert not early.exists()
    view = release_day.checklist_for(workspace, pid)
    sleep = next(i for i in view.items if i.code == "SLEEP_TONIGHT")
    release_day.set_item(workspace, sleep.id, state="DONE",
                         details="12 Fictional Road, Hackney (confirmed by the hostel)")
    assert panel.checklist is not None  # re-shown by the change events
    out = tmp_path / "sheet.pdf"
    written = []
    assert panel.write_sheet(out, on_done=written.append)
    qtbot.waitUntil(lambda: written == [out] and panel.isEnabled(), timeout=WORKER_MS)
    assert not panel.sign_error.isVisible()
    assert out.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                              check=True).stdout
        flat = " ".join(text.split())
        assert "Where you will sleep tonight: 12 Fictional Road" in flat
        assert "Your release day" in flat


def test_details_typed_then_locked_are_kept(qtbot, workspace):
    from app.services import release_day
    from ui.release_day_panel import ReleaseDayPanel

    pid = people.add_person(workspace, make_draft(prison_number="Z7171LK",
                                                  release_date=date(2027, 5, 26)))
    panel = ReleaseDayPanel(workspace)
    qtbot.addWidget(panel)
    panel.show()  # the tab follows the change events while it is on screen
    panel.show_person(pid, people.get_person(workspace, pid).draft)
    assert panel.start_checklist()
    transport = next(i for i in panel.checklist.items if i.code == "TRANSPORT")
    panel.select_item(transport.id)
    panel.details_edit.setPlainText("Travel warrant to Fictional Central (not yet saved)")
    panel.clear()  # what the lock does before it closes the database
    view = release_day.checklist_for(workspace, pid, create=False)
    kept = next(i for i in view.items if i.code == "TRANSPORT")
    assert kept.details == "Travel warrant to Fictional Central (not yet saved)"


def test_release_and_follow_up_tab_lists_what_is_due_across_the_prison(qtbot, workspace):
    from datetime import timedelta

    from app.domain.timezone import today_london
    from app.services import release_day
    from ui.main_window import MainWindow

    today = today_london()
    soon = people.add_person(workspace, make_draft(prison_number="Z8080SN",
                                                   release_date=today + timedelta(days=5)))
    gone = people.add_person(workspace, make_draft(prison_number="Z8181GN",
                                                   release_date=today - timedelta(days=100)))
    release_day.record_outcome(workspace, gone, released_on=today - timedelta(days=100),
                               accommodation_code="A01C", address="Fictional flat")
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    index = window.lists.indexOf(window.releases)
    qtbot.waitUntil(lambda: window.lists.tabText(index) == "Release && follow-up (1 overdue)",
                    timeout=3000)
    table = window.releases.table
    rows = {table.item(r, 0).text(): table.item(r, 3).text() for r in range(table.rowCount())}
    assert rows == {"Z8181GN": "Overdue", "Z8080SN": "Due"}
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "Z8080SN")
    window.releases._activated(row, 0)
    assert window.person.person_id == soon
    assert window.person.tabs.tabText(window.person.tabs.currentIndex()) == "Release day"


def test_a_release_far_from_her_date_asks_why_and_keeps_the_box_open(qtbot, workspace):
    # Fault 4: "released today" for a woman due out in 65 days is a question, not a silent save.
    from PySide6.QtWidgets import QDialog, QDialogButtonBox

    due = today_london() + timedelta(days=65)
    panel, person_id = _panel(qtbot, workspace, make_draft(
        prison_number="Z6565ZZ", family_name="Earlyout", release_date=due))
    panel.released_on.setText(today_london().strftime("%d/%m/%Y"))
    panel.accommodation.setCurrentIndex(panel.accommodation.findData("A01C"))
    panel.address.setPlainText("1 Fictional Road, Testtown")
    panel.record_button.click()  # as she would: the button, not the method
    dialog = panel.findChild(QDialog, "dateChangeDialog")
    assert dialog is not None and dialog.isVisible()  # opened with .open(): no nested loop
    question = dialog.findChild(QLabel, "dateChangeQuestion").text()
    assert due.strftime("%d/%m/%Y") in question and "65 days before" in question
    assert release_day.outcome_for(workspace, person_id) is None

    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.click()  # no reason yet: the box stays open and says so beside the field
    error = dialog.findChild(QLabel, "dateChangeError")
    assert dialog.isVisible() and error.isVisible() and "Say why" in error.text()
    assert release_day.outcome_for(workspace, person_id) is None

    dialog.findChild(QLineEdit, "dateChangeReason").setText("Released early by the court")
    ok.click()
    assert not dialog.isVisible()
    outcome = release_day.outcome_for(workspace, person_id)
    assert outcome.date_change_reason == "Released early by the court"
    assert "Released early by the court" in panel.outcome_label.text()


def test_cancelling_the_question_records_nothing(qtbot, workspace):
    from PySide6.QtWidgets import QDialog

    panel, person_id = _panel(qtbot, workspace, make_draft(
        prison_number="Z6566ZZ", release_date=today_london() + timedelta(days=20)))
    panel.released_on.setText(today_london().strftime("%d/%m/%Y"))
    panel.accommodation.setCurrentIndex(panel.accommodation.findData("NFA"))
    assert not panel.save_outcome()
    dialog = panel.findChild(QDialog, "dateChangeDialog")
    dialog.reject()
    assert not dialog.isVisible()
    assert release_day.outcome_for(workspace, person_id) is None


# --- a refresh can come in the middle of a handler (the change events re-show the tab during
# the service call); nothing she typed, nor the item she chose, is lost to it.

def _item(panel, code):
    return next(i for i in panel.checklist.items if i.code == code)


def test_typing_survives_a_refresh_from_another_action_and_is_kept_on_moving(friday, qtbot):
    panel, person_id = friday
    assert panel.start_checklist()
    transport = _item(panel, "TRANSPORT")
    panel.select_item(transport.id)
    panel.details_edit.setPlainText("Travel warrant to Fictional Central (typed, not saved)")

    # A change made elsewhere re-shows the tab while she types: her typing stays in the form.
    other = _item(panel, "GP")
    release_day.set_item(panel.ws, other.id, state="DONE", details="Registered (fictional)")
    assert _item(panel, "GP").state == "DONE"  # the table shows it
    assert panel.selected_item().id == transport.id
    assert panel.details_edit.toPlainText() == \
        "Travel warrant to Fictional Central (typed, not saved)"

    # Adding an item re-shows the tab during the call, then chooses the new item: moving away
    # saves what was typed for the one she was on.
    dialog = panel.open_add_dialog()
    dialog.title.setText("Collect her dog from the fictional kennels")
    panel.submit_item()
    assert not dialog.isVisible()
    chosen = panel.selected_item()
    assert chosen is not None and chosen.title == "Collect her dog from the fictional kennels"
    assert panel.details_edit.toPlainText() == ""
    saved = release_day.checklist_for(panel.ws, person_id, create=False)
    kept = next(i for i in saved.items if i.code == "TRANSPORT")
    assert kept.details == "Travel warrant to Fictional Central (typed, not saved)"
    assert _item(panel, "TRANSPORT").details == kept.details  # re-shown as it was saved


def test_moving_to_another_item_saves_the_last_and_shows_the_new_one(friday, qtbot):
    panel, person_id = friday
    assert panel.start_checklist()
    transport, gp = _item(panel, "TRANSPORT"), _item(panel, "GP")
    panel.select_item(transport.id)
    panel.details_edit.setPlainText("Taxi booked for 09:00 (fictional)")
    panel.select_item(gp.id)  # saves the transport details: the tab is re-shown meanwhile
    assert panel.selected_item().id == gp.id
    assert panel.item_title.text().startswith(f"<b>{gp.title}</b>")
    assert panel.details_edit.toPlainText() == ""
    assert _item(panel, "TRANSPORT").details == "Taxi booked for 09:00 (fictional)"


def test_opening_another_woman_keeps_what_was_typed_for_the_first(friday, qtbot, workspace):
    panel, first = friday
    assert panel.start_checklist()
    transport = _item(panel, "TRANSPORT")
    panel.select_item(transport.id)
    panel.details_edit.setPlainText("Met at the gate by her sister (fictional)")
    draft = make_draft(prison_number="Z7272NW", family_name="Another", release_date=FRIDAY)
    second = people.add_person(workspace, draft)
    panel.show_person(second, draft)
    assert panel.person_id == second and panel.checklist is None
    view = release_day.checklist_for(workspace, first, create=False)
    assert next(i for i in view.items if i.code == "TRANSPORT").details == \
        "Met at the gate by her sister (fictional)"


def test_a_sheet_refused_after_she_moved_on_is_told_in_a_box(qtbot, workspace, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    panel, _first = _panel(qtbot, workspace, make_draft(prison_number="Z7373SH",
                                                        release_date=FRIDAY))
    assert panel.write_sheet(tmp_path / "first.pdf")  # no checklist yet: refused on the worker
    draft = make_draft(prison_number="Z7474SH", family_name="Other", release_date=FRIDAY)
    panel.show_person(people.add_person(workspace, draft), draft)  # another woman meanwhile
    qtbot.waitUntil(lambda: panel.findChild(QMessageBox, "errorBox") is not None,
                    timeout=WORKER_MS)
    assert "Start her release-day checklist first" in \
        panel.findChild(QMessageBox, "errorBox").text()
    assert not panel.sign_error.text()  # not beside another woman's checklist


def test_a_refusal_beside_sign_off_gives_way_to_the_box_once_an_item_is_saved(friday, qtbot):
    panel, _ = friday
    assert panel.start_checklist()
    assert not panel.sign_off()
    assert panel.sign_error.isVisible() and not panel.problems.isVisible()
    before = len(panel.checklist.problems)
    transport = _item(panel, "TRANSPORT")
    assert _save(panel, transport, "DONE", details="Taxi booked (fictional)")
    # What blocked sign-off then is not left beside the button: the box says what blocks it now.
    assert not panel.sign_error.isVisible()
    assert panel.problems.isVisible()
    assert len(panel.checklist.problems) == before - 1


def test_a_saved_reason_is_not_saved_again_on_moving_away(friday, qtbot):
    from app.services import audit

    panel, _ = friday
    assert panel.start_checklist()
    gp, transport = _item(panel, "GP"), _item(panel, "TRANSPORT")
    assert _save(panel, gp, "NOT_NEEDED", reason="  Already  registered  (fictional) ")
    changes = len(audit.entries(panel.ws, action="release_checklist_item_changed"))
    panel.select_item(transport.id)
    assert len(audit.entries(panel.ws, action="release_checklist_item_changed")) == changes
    assert _item(panel, "GP").reason == "Already registered (fictional)"
