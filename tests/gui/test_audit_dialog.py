"""The audit log dialog: fetched on open and on Apply, filtered, sortable, UK times."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QTableWidget

from app.domain.roles import Role
from app.domain.timezone import today_london
from app.services import audit, users, vault
from tests.conftest import ADMIN
from tests.gui.dialog_helpers import TEMPORARY, column, second_user
from ui.audit_dialog import (
    COL_ACTION,
    COL_ID,
    COL_TIME,
    COL_TYPE,
    COL_USER,
    AuditDialog,
)
from ui.dialog_parts import fill_row, london_time


@pytest.fixture
def busy_workspace(workspace):
    """Two users added and one of them unlocked, so the log has several actions and users."""
    users.add_user(workspace, "pkhan", "Priya Khan", Role.POM.value, TEMPORARY)
    users.add_user(workspace, "lwren", "Lou Wren", Role.VIEWER.value, TEMPORARY)
    vault.unlock(workspace.data_dir, "pkhan", TEMPORARY).lock()
    return workspace


def _dialog(qtbot, ws) -> AuditDialog:
    widget = AuditDialog(ws)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _audit_views(ws) -> int:
    # Reading the log is itself audited, so count before this read adds its own entry.
    return len(audit.entries(ws, action="audit_viewed"))


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _click_header(qtbot, table: QTableWidget, section: int) -> None:
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )


def test_entries_are_shown_when_it_opens(qtbot, busy_workspace):
    widget = _dialog(qtbot, busy_workspace)
    actions = column(widget.table, COL_ACTION)
    assert actions.count("user_created") == 2
    assert "initialise" in actions and "unlock" in actions
    assert widget.count_label.text() == f"{len(actions)} entries"
    # Newest first, in UK time, matching what the service returned.
    assert widget.table.item(0, COL_TIME).text() == london_time(widget.rows[0].at, seconds=True)
    assert column(widget.table, COL_TIME)[-1] == london_time(
        min(r.at for r in widget.rows), seconds=True
    )


def test_filtering_by_action_shows_only_that_action(qtbot, busy_workspace):
    widget = _dialog(qtbot, busy_workspace)
    widget.action_combo.setCurrentIndex(widget.action_combo.findText("user_created"))
    widget.apply_button.click()

    assert column(widget.table, COL_ACTION) == ["user_created", "user_created"]
    assert sorted(column(widget.table, COL_ID)) == ["2", "3"]
    assert set(column(widget.table, COL_TYPE)) == {"user"}


def test_filters_wait_for_apply_and_each_fetch_is_audited(qtbot, busy_workspace):
    before = _audit_views(busy_workspace)
    widget = _dialog(qtbot, busy_workspace)
    shown = widget.table.rowCount()
    assert _audit_views(busy_workspace) == before + 2  # the dialog's read, and this one

    widget.action_combo.setCurrentIndex(widget.action_combo.findText("user_created"))
    qtbot.keyClicks(widget.user_edit, "pkhan")
    assert widget.table.rowCount() == shown

    qtbot.keyClick(widget.user_edit, Qt.Key.Key_Return)  # Apply is the default button
    assert widget.table.rowCount() == 0
    assert widget.count_label.text() == "No entries match these filters."
    assert _audit_views(busy_workspace) == before + 4


def test_filtering_by_user(qtbot, busy_workspace):
    widget = _dialog(qtbot, busy_workspace)
    qtbot.keyClicks(widget.user_edit, " PKhan ")
    widget.apply_button.click()

    assert column(widget.table, COL_USER) == ["pkhan"]
    assert column(widget.table, COL_ACTION) == ["unlock"]

    widget.action_combo.setCurrentIndex(widget.action_combo.findText("All"))
    widget.user_edit.clear()
    widget.apply_button.click()
    assert set(column(widget.table, COL_USER)) == {ADMIN, "pkhan"}


def test_filtering_by_dates_in_uk_days(qtbot, busy_workspace):
    widget = _dialog(qtbot, busy_workspace)
    everything = widget.table.rowCount()
    today = today_london()

    widget.from_check.click()
    assert widget.from_date.isEnabled()
    widget.from_date.setDate(_qdate(today + timedelta(days=1)))
    widget.apply_button.click()
    assert widget.table.rowCount() == 0

    widget.from_date.setDate(_qdate(today))
    widget.to_check.click()
    widget.to_date.setDate(_qdate(today))
    widget.apply_button.click()
    assert widget.table.rowCount() == everything + 2  # plus the dialog's own two reads

    widget.from_check.click()
    widget.to_date.setDate(_qdate(today - timedelta(days=1)))
    widget.apply_button.click()
    assert widget.table.rowCount() == 0


def test_a_from_day_after_the_to_day_is_explained(qtbot, busy_workspace):
    widget = _dialog(qtbot, busy_workspace)
    shown = widget.table.rowCount()
    today = today_london()
    widget.from_check.click()
    widget.to_check.click()
    widget.from_date.setDate(_qdate(today))
    widget.to_date.setDate(_qdate(today - timedelta(days=3)))
    widget.apply_button.click()

    assert widget.error_label.isVisible()
    assert widget.error_label.text() == "The 'From' day is after the 'To' day."
    assert widget.table.rowCount() == shown


def test_clicking_a_column_header_sorts_by_it(qtbot, busy_workspace):
    widget = _dialog(qtbot, busy_workspace)
    _click_header(qtbot, widget.table, COL_USER)
    first = column(widget.table, COL_USER)
    assert sorted(first) != sorted(first, reverse=True)  # there really are two users
    assert first in (sorted(first), sorted(first, reverse=True))
    _click_header(qtbot, widget.table, COL_USER)
    second = column(widget.table, COL_USER)
    assert second == sorted(first, reverse=first == sorted(first))

    widget.apply_button.click()  # a fresh fetch keeps the order she chose
    third = column(widget.table, COL_USER)
    assert len(third) == len(second) + 1  # the dialog's own first read is now in the log
    assert third == sorted(third, reverse=second[0] == "pkhan")


def test_dates_and_numbers_sort_by_value_not_by_text():
    table = QTableWidget(0, 2)
    table.setRowCount(3)
    fill_row(table, 0, [("10/12/2025", date(2025, 12, 10)), ("10", (0, 10, ""))])
    fill_row(table, 1, [("02/01/2026", date(2026, 1, 2)), ("9", (0, 9, ""))])
    fill_row(table, 2, [("01/01/2026", date(2026, 1, 1)), ("abc", (1, 0, "abc"))])
    table.sortItems(0, Qt.SortOrder.AscendingOrder)
    assert column(table, 0) == ["10/12/2025", "01/01/2026", "02/01/2026"]
    table.sortItems(1, Qt.SortOrder.AscendingOrder)
    assert column(table, 1) == ["9", "10", "abc"]


def test_a_role_without_the_audit_permission_sees_nothing(qtbot, workspace):
    pom = second_user(workspace, Role.POM.value)
    try:
        widget = _dialog(qtbot, pom)
        assert widget.table.rowCount() == 0
        assert not widget.apply_button.isEnabled()
        assert "cannot read the audit log" in widget.error_label.text()
    finally:
        pom.lock()
    assert _audit_views(workspace) == 0
