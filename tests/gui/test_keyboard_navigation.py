"""From the lists to every control of her record by keyboard alone, and Tab never changes whose
record is open: only arrows, Enter or a click do, and only those are audited as a view."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

from app.domain.timezone import now_utc, today_london
from app.services import audit, people, planning, screening
from tests.conftest import make_draft
from tests.integration.test_screening_service import valid_answers
from ui.main_window import SELECTION_SETTLE_MS, MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
SETTLE = SELECTION_SETTLE_MS + 150


def views(ws) -> int:
    return len(audit.entries(ws, action="person_viewed"))


def focus() -> QWidget:
    return QApplication.focusWidget()


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
          ) -> None:
    qtbot.keyClick(focus(), key, modifier)


def active(qtbot, window: MainWindow) -> MainWindow:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window._load_other_lists()  # the other lists fill 300 ms after start; do not wait for it
    return window


@pytest.fixture
def window(qtbot, caseload):
    return active(qtbot, _shown(qtbot, MainWindow(caseload)))


def _shown(qtbot, window: MainWindow) -> MainWindow:
    qtbot.addWidget(window)
    window.show()
    # The other lists load on a worker thread shortly after the window shows.
    qtbot.waitUntil(lambda: window._lists_loaded and not window.ops.busy, timeout=10_000)
    return window


@pytest.mark.parametrize("number", [0, 1, 2, 3])
def test_tab_into_and_out_of_each_list_opens_nobody(qtbot, window, caseload, number):
    before = views(caseload)
    qtbot.keyClick(focus(), Qt.Key(Qt.Key.Key_1 + number), CTRL)
    table = window.lists.widget(number).table
    assert window.lists.currentIndex() == number and focus() is table
    assert table.model().rowCount() > 0  # a row Qt could have made current
    assert not table.currentIndex().isValid()  # focus alone picks no row
    assert not table.tabKeyNavigation()
    press(qtbot, Qt.Key.Key_Tab)
    assert focus() is not table
    press(qtbot, Qt.Key.Key_Backtab, SHIFT)
    assert focus() is table and not table.currentIndex().isValid()
    press(qtbot, Qt.Key.Key_Backtab, SHIFT)
    assert focus() is not table
    qtbot.wait(SETTLE)
    assert window.person.person_id is None
    assert views(caseload) == before


def test_tab_keeps_her_record_and_arrows_change_it(qtbot, window, caseload):
    table = window.caseload.table
    qtbot.keyClick(focus(), Qt.Key.Key_1, CTRL)
    press(qtbot, Qt.Key.Key_Down)  # an arrow is a choice: the first woman opens
    first = window.caseload.model.row_at(0).id
    qtbot.waitUntil(lambda: window.person.person_id == first, timeout=2000)
    before = views(caseload)
    for _ in range(3):
        press(qtbot, Qt.Key.Key_Tab)
    for _ in range(3):
        press(qtbot, Qt.Key.Key_Backtab, SHIFT)
    assert focus() is table and table.currentIndex().row() == 0
    qtbot.wait(SETTLE)
    assert window.person.person_id == first and views(caseload) == before
    press(qtbot, Qt.Key.Key_Down)
    second = window.caseload.model.row_at(1).id
    qtbot.waitUntil(lambda: window.person.person_id == second, timeout=2000)
    assert views(caseload) == before + 1


def test_other_tables_in_the_record_leave_by_tab(window):
    for table in (window.person.history, window.screening.needs_table, window.sheets.given,
                  window.releases.table, window.board.table, window.induction.table):
        assert not table.tabKeyNavigation(), table.objectName()


def test_f6_ctrl_f_and_ctrl_numbers(qtbot, window):
    press(qtbot, Qt.Key.Key_3, CTRL)
    assert window.lists.currentWidget() is window.board and focus() is window.board.table
    press(qtbot, Qt.Key.Key_F6)  # no record open: the focus stays in the list
    assert focus() is window.board.table
    press(qtbot, Qt.Key.Key_F, CTRL)  # one find for everyone: the caseload comes forward
    assert window.lists.currentWidget() is window.caseload and focus() is window.caseload.search
    qtbot.keyClicks(focus(), "Brackwell")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.person.person_id is not None, timeout=2000)
    press(qtbot, Qt.Key.Key_F6)
    assert focus() is window.person.tabs.tabBar()
    press(qtbot, Qt.Key.Key_F6)
    assert focus() is window.caseload.table
    press(qtbot, Qt.Key.Key_2, CTRL)
    assert window.lists.currentWidget() is window.induction
    assert focus() is window.induction.table
    press(qtbot, Qt.Key.Key_Tab, CTRL)  # Qt's own: the next list
    assert window.lists.currentWidget() is window.board


@pytest.fixture
def screened(qtbot, workspace):
    """A woman screened at BCST1 (so needs are proposed), released in eight weeks."""
    pid = people.add_person(workspace, make_draft(
        prison_number="Z7070KB", family_name="Tabwalker", given_names="Fictiona",
        release_date=today_london() + timedelta(weeks=8),
        reception_at=now_utc() - timedelta(hours=30)))
    screening.complete(workspace, pid, "BCST1", valid_answers("BCST1"), None)
    planning.open_due_plans(workspace)  # what the next unlock does: her plan opens at 12 weeks
    window = active(qtbot, _shown(qtbot, MainWindow(workspace)))
    return window, pid


# What Tab must reach on each of her record's tabs (object names).
MUST_REACH = {
    "Screening": {"BCST1Button", "BCST2Button", "needsTable", "acceptNeedButton",
                  "editNeedButton", "declineNeedButton", "printSummaryButton"},
    "Plan": {"handover_to", "accommodation_summary", "dtr_needed", "crs_needed",
             "savePlanButton", "tasksTable", "addTaskButton"},  # her plan opened at 12 weeks
    "Release day": {"startChecklistButton"},
    "Sheets": {"sheetList", "sheetLanguage", "sheetPreviewButton", "sheetPrintButton",
               "sheetSaveButton", "sheetsGivenTable"},
    "Referrals": {"consentTable", "recordConsentButton", "referralsTable",
                  "newReferralButton"},
    "History": {"historyTable"},
}


def walk_page(qtbot, window: MainWindow) -> set[str]:
    """Tab from the record's tab bar through the page shown until the focus leaves it; in a
    table, Down picks the first row so the buttons that act on a row come alive."""
    page = window.person.tabs.currentWidget()
    reached: set[str] = set()
    press(qtbot, Qt.Key.Key_Tab)
    for _ in range(60):
        widget = focus()
        if widget is None or not page.isAncestorOf(widget):
            break
        reached.add(widget.objectName())
        if isinstance(widget, QAbstractItemView) and widget.model().rowCount() \
                and not widget.currentIndex().isValid():
            press(qtbot, Qt.Key.Key_Down)
        press(qtbot, Qt.Key.Key_Tab)
    return reached


def test_walk_every_tab_of_her_record_from_the_list_by_keyboard(qtbot, screened):
    window, pid = screened
    ws = window.ws
    press(qtbot, Qt.Key.Key_1, CTRL)
    assert focus() is window.caseload.table
    press(qtbot, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: window.person.person_id == pid, timeout=2000)
    opened = views(ws)

    reached = set()
    for _ in range(40):  # list → her Edit… button → her tabs
        press(qtbot, Qt.Key.Key_Tab)
        reached.add(focus().objectName())
        if focus() is window.person.tabs.tabBar():
            break
    assert "editPersonButton" in reached
    assert focus() is window.person.tabs.tabBar()

    assert window.screening.open_buttons["BCST1"].text() == "View / amend"
    tabs = window.person.tabs
    assert tabs.currentIndex() == 0  # Details: read-only text, nothing to reach
    for index in range(1, tabs.count()):
        press(qtbot, Qt.Key.Key_Right)
        assert tabs.currentIndex() == index
        title = tabs.tabText(index)
        reached = walk_page(qtbot, window)
        missing = MUST_REACH[title] - reached
        assert not missing, f"{title}: Tab never reached {sorted(missing)}"
        # F6 brings the focus back to her tabs, from the list or from inside the record.
        press(qtbot, Qt.Key.Key_F6)
        if focus() is not tabs.tabBar():
            press(qtbot, Qt.Key.Key_F6)
        assert focus() is tabs.tabBar() and tabs.currentIndex() == index
    qtbot.wait(SETTLE)
    assert window.person.person_id == pid
    assert views(ws) == opened  # walking her record by Tab opened nobody else


def test_ctrl_tab_and_ctrl_page_keys_move_between_her_tabs(qtbot, screened):
    window, pid = screened
    window.open_person(pid)
    window.person.show_tab("Screening")
    tabs = window.person.tabs
    start = tabs.currentIndex()
    window.screening.print_button.setFocus()
    press(qtbot, Qt.Key.Key_Tab, CTRL)  # Qt's own
    assert tabs.currentIndex() == start + 1  # Plan: a scrolling page
    assert window.person.isAncestorOf(focus())
    press(qtbot, Qt.Key.Key_PageUp, CTRL)  # a scroll area would take it, but for the shortcut
    assert tabs.currentIndex() == start
    window.screening.needs_table.setFocus()
    press(qtbot, Qt.Key.Key_PageDown, CTRL)  # so would a table
    assert tabs.currentIndex() == start + 1
    assert window.person.person_id == pid
    window.caseload.table.setFocus()
    press(qtbot, Qt.Key.Key_PageDown, CTRL)  # in the lists, the same keys move the lists
    assert window.lists.currentWidget() is window.induction and tabs.currentIndex() == start + 1


def test_keyboard_help_lists_the_map(qtbot, window):
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert window.keys.help_action in help_menu.actions()
    box = window.keys.show_help()
    assert "F6" in box.text() and "Ctrl+1" in box.text()
    box.close()
