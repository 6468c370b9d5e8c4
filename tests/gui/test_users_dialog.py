"""The users dialog, driven as an administrator would, against a real encrypted profile."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPushButton

from app.domain.roles import Role
from app.errors import UserError
from app.services import users, vault
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.dialog_helpers import TEMPORARY, column, row_of, second_user, visible_top_level
from ui.dialog_parts import london_time
from ui.users_dialog import (
    COL_ACTIVE,
    COL_LAST_UNLOCK,
    COL_MUST_CHANGE,
    COL_NAME,
    COL_ROLE,
    COL_USERNAME,
    AddUserDialog,
    UsersDialog,
)

NEW_TEMPORARY = "new temporary passphrase"


@pytest.fixture
def dialog(qtbot, workspace):
    widget = UsersDialog(workspace)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _select(qtbot, dialog: UsersDialog, username: str) -> None:
    row = row_of(dialog.table, username, COL_USERNAME)
    rect = dialog.table.visualItemRect(dialog.table.item(row, COL_USERNAME))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.selected_user().username == username


def _fill_passphrases(qtbot, sub, passphrase: str, confirmation: str | None = None) -> None:
    qtbot.keyClicks(sub.findChild(QLineEdit, "passphraseEdit"), passphrase)
    qtbot.keyClicks(sub.fields.confirm_edit, passphrase if confirmation is None else confirmation)


def _open_add_user(qtbot, dialog: UsersDialog) -> AddUserDialog:
    dialog.findChild(QPushButton, "addUserButton").click()
    qtbot.waitUntil(lambda: visible_top_level("addUserDialog", dialog) is not None)
    sub = visible_top_level("addUserDialog", dialog)
    assert sub is dialog.sub_dialog
    return sub


def test_lists_users_with_role_labels_and_uk_times(qtbot, workspace):
    users.add_user(workspace, "pkhan", "Priya Khan", Role.POM.value, TEMPORARY)
    widget = UsersDialog(workspace)
    qtbot.addWidget(widget)

    table = widget.table
    assert column(table, COL_USERNAME) == [ADMIN, "pkhan"]
    row = row_of(table, "pkhan")
    assert table.item(row, COL_NAME).text() == "Priya Khan"
    assert table.item(row, COL_ROLE).text() == "POM (Prison Offender Manager)"
    assert table.item(row, COL_ACTIVE).text() == "Yes"
    assert table.item(row, COL_MUST_CHANGE).text() == "Yes"
    assert table.item(row, COL_LAST_UNLOCK).text() == "Never"
    admin = next(u for u in users.list_users(workspace) if u.username == ADMIN)
    admin_row = row_of(table, ADMIN)
    assert table.item(admin_row, COL_ROLE).text() == "Administrator"
    assert table.item(admin_row, COL_MUST_CHANGE).text() == "No"
    assert table.item(admin_row, COL_LAST_UNLOCK).text() == london_time(admin.last_unlock_at)


def test_times_are_shown_on_the_london_clock():
    summer = datetime(2026, 7, 1, 11, 30, tzinfo=UTC)
    winter = datetime(2026, 1, 15, 11, 30, tzinfo=UTC)
    assert london_time(summer) == "01/07/2026 12:30"  # BST
    assert london_time(winter) == "15/01/2026 11:30"  # GMT
    assert london_time(None, never="Never") == "Never"


def test_adding_a_user_lets_her_unlock_with_the_temporary_passphrase(qtbot, dialog, data_dir):
    sub = _open_add_user(qtbot, dialog)
    qtbot.keyClicks(sub.username_edit, "mjones")
    qtbot.keyClicks(sub.display_name_edit, "Mo Jones")
    sub.role_combo.setCurrentIndex(sub.role_combo.findText("Housing specialist"))
    _fill_passphrases(qtbot, sub, NEW_TEMPORARY)
    sub.ok_button.click()

    qtbot.waitUntil(lambda: not sub.isVisible())
    row = row_of(dialog.table, "mjones")
    assert dialog.table.item(row, COL_ROLE).text() == "Housing specialist"
    assert dialog.selected_user().username == "mjones"
    assert "Added mjones" in dialog.status_label.text()
    ws = vault.unlock(data_dir, "mjones", NEW_TEMPORARY)
    try:
        assert ws.user.role == Role.HOUSING_SPECIALIST.value
        assert ws.user.display_name == "Mo Jones"
        assert ws.user.must_change_passphrase
    finally:
        ws.lock()


def test_a_weak_temporary_passphrase_is_refused_inline_and_nothing_is_added(
    qtbot, dialog, workspace
):
    sub = _open_add_user(qtbot, dialog)
    qtbot.keyClicks(sub.username_edit, "mjones")
    _fill_passphrases(qtbot, sub, "too short")
    assert sub.fields.strength_label.text().startswith("Too short")
    sub.ok_button.click()

    assert sub.isVisible()
    assert sub.error_label.isVisible()
    assert sub.error_label.text().startswith("Choose another passphrase. Too short")
    assert [u.username for u in users.list_users(workspace)] == [ADMIN]


def test_the_strength_hint_follows_typing_and_the_username(qtbot, dialog):
    sub = _open_add_user(qtbot, dialog)
    hint = sub.fields.strength_label
    qtbot.keyClicks(sub.fields.passphrase_edit, "mjones")
    assert hint.text() == "Too short: add 6 more characters."
    qtbot.keyClicks(sub.fields.passphrase_edit, " river candle")
    assert hint.text().startswith("Fair")
    qtbot.keyClicks(sub.username_edit, "mjones")
    assert hint.text().startswith("Too easy to guess")


def test_mismatched_confirmation_is_caught_before_anything_is_saved(qtbot, dialog, workspace):
    sub = _open_add_user(qtbot, dialog)
    qtbot.keyClicks(sub.username_edit, "mjones")
    _fill_passphrases(qtbot, sub, NEW_TEMPORARY, "new temporary passphrasf")
    assert sub.fields.match_label.text() == "The passphrases do not match yet."
    sub.ok_button.click()

    assert sub.isVisible()
    assert "different" in sub.error_label.text()
    assert len(users.list_users(workspace)) == 1


def test_a_taken_username_is_refused_in_plain_words(qtbot, dialog, workspace):
    sub = _open_add_user(qtbot, dialog)
    qtbot.keyClicks(sub.username_edit, ADMIN)
    _fill_passphrases(qtbot, sub, NEW_TEMPORARY)
    sub.ok_button.click()
    assert sub.error_label.text() == f"There is already a user called {ADMIN}."
    assert sub.isVisible()


def test_cancel_adds_nobody(qtbot, dialog, workspace):
    sub = _open_add_user(qtbot, dialog)
    qtbot.keyClicks(sub.username_edit, "mjones")
    _fill_passphrases(qtbot, sub, NEW_TEMPORARY)
    sub.cancel_button.click()
    qtbot.waitUntil(lambda: not sub.isVisible())
    assert dialog.table.rowCount() == 1
    assert len(users.list_users(workspace)) == 1


def test_buttons_follow_the_selected_account(qtbot, workspace):
    users.add_user(workspace, "pkhan", "Priya Khan", Role.POM.value, TEMPORARY)
    users.add_user(workspace, "lwren", "Lou Wren", Role.VIEWER.value, TEMPORARY)
    users.disable_user(workspace, "lwren")
    widget = UsersDialog(workspace)
    qtbot.addWidget(widget)
    widget.show()

    assert widget.add_button.isEnabled()
    assert not any(
        b.isEnabled()
        for b in (widget.role_button, widget.reset_button, widget.disable_button,
                  widget.enable_button)
    )
    _select(qtbot, widget, "pkhan")
    assert widget.disable_button.isEnabled() and widget.reset_button.isEnabled()
    assert not widget.enable_button.isEnabled()
    _select(qtbot, widget, "lwren")
    assert widget.enable_button.isEnabled() and widget.role_button.isEnabled()
    assert not widget.disable_button.isEnabled() and not widget.reset_button.isEnabled()
    assert widget.table.item(row_of(widget.table, "lwren"), COL_ACTIVE).text() == "No"


def test_disabling_after_confirmation_stops_her_unlocking(qtbot, workspace, data_dir):
    users.add_user(workspace, "pkhan", "Priya Khan", Role.POM.value, TEMPORARY)
    widget = UsersDialog(workspace)
    qtbot.addWidget(widget)
    widget.show()
    _select(qtbot, widget, "pkhan")
    widget.disable_button.click()

    qtbot.waitUntil(lambda: visible_top_level("confirmDisableBox", widget) is not None)
    box = widget.confirm_box
    assert "pkhan" in box.text()
    box.findChild(QPushButton, "confirmButton").click()

    qtbot.waitUntil(
        lambda: widget.table.item(row_of(widget.table, "pkhan"), COL_ACTIVE).text() == "No"
    )
    assert widget.enable_button.isEnabled()
    with pytest.raises(UserError):
        vault.unlock(data_dir, "pkhan", TEMPORARY).lock()


def test_cancelling_the_confirmation_leaves_her_active(qtbot, workspace, data_dir):
    users.add_user(workspace, "pkhan", "Priya Khan", Role.POM.value, TEMPORARY)
    widget = UsersDialog(workspace)
    qtbot.addWidget(widget)
    widget.show()
    _select(qtbot, widget, "pkhan")
    widget.disable_button.click()
    qtbot.waitUntil(lambda: visible_top_level("confirmDisableBox", widget) is not None)
    qtbot.keyClick(widget.confirm_box, Qt.Key.Key_Escape)

    qtbot.waitUntil(lambda: not widget.confirm_box.isVisible())
    assert widget.table.item(row_of(widget.table, "pkhan"), COL_ACTIVE).text() == "Yes"
    vault.unlock(data_dir, "pkhan", TEMPORARY).lock()


def test_disabling_your_own_account_is_refused_in_plain_words(qtbot, dialog, data_dir):
    _select(qtbot, dialog, ADMIN)
    dialog.disable_button.click()
    qtbot.waitUntil(lambda: visible_top_level("confirmDisableBox", dialog) is not None)
    dialog.confirm_box.findChild(QPushButton, "confirmButton").click()

    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "errorBox") is not None)
    error = dialog.findChild(QMessageBox, "errorBox")
    assert error.text() == "You cannot disable your own account."
    error.accept()
    assert dialog.table.item(row_of(dialog.table, ADMIN), COL_ACTIVE).text() == "Yes"
    vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE).lock()


def test_enabling_asks_for_a_temporary_passphrase_that_then_unlocks(qtbot, workspace, data_dir):
    users.add_user(workspace, "lwren", "Lou Wren", Role.VIEWER.value, TEMPORARY)
    users.disable_user(workspace, "lwren")
    widget = UsersDialog(workspace)
    qtbot.addWidget(widget)
    widget.show()
    _select(qtbot, widget, "lwren")
    widget.enable_button.click()

    qtbot.waitUntil(lambda: visible_top_level("temporaryPassphraseDialog", widget) is not None)
    sub = widget.sub_dialog
    assert sub.ok_button.text() == "Enable account"
    _fill_passphrases(qtbot, sub, NEW_TEMPORARY)
    sub.ok_button.click()

    qtbot.waitUntil(lambda: not sub.isVisible())
    row = row_of(widget.table, "lwren")
    assert widget.table.item(row, COL_ACTIVE).text() == "Yes"
    assert widget.table.item(row, COL_MUST_CHANGE).text() == "Yes"
    ws = vault.unlock(data_dir, "lwren", NEW_TEMPORARY)
    ws.lock()


def test_resetting_a_passphrase_replaces_the_old_one(qtbot, workspace, data_dir):
    users.add_user(workspace, "pkhan", "Priya Khan", Role.POM.value, TEMPORARY)
    widget = UsersDialog(workspace)
    qtbot.addWidget(widget)
    widget.show()
    _select(qtbot, widget, "pkhan")
    widget.reset_button.click()

    qtbot.waitUntil(lambda: visible_top_level("temporaryPassphraseDialog", widget) is not None)
    sub = widget.sub_dialog
    assert sub.ok_button.text() == "Reset passphrase"
    _fill_passphrases(qtbot, sub, NEW_TEMPORARY)
    sub.ok_button.click()

    qtbot.waitUntil(lambda: not sub.isVisible())
    vault.unlock(data_dir, "pkhan", NEW_TEMPORARY).lock()
    with pytest.raises(UserError):
        vault.unlock(data_dir, "pkhan", TEMPORARY).lock()


def test_changing_a_role(qtbot, workspace):
    users.add_user(workspace, "pkhan", "Priya Khan", Role.POM.value, TEMPORARY)
    widget = UsersDialog(workspace)
    qtbot.addWidget(widget)
    widget.show()
    _select(qtbot, widget, "pkhan")
    widget.role_button.click()

    qtbot.waitUntil(lambda: visible_top_level("changeRoleDialog", widget) is not None)
    sub = widget.sub_dialog
    assert sub.role_combo.currentText() == "POM (Prison Offender Manager)"
    assert not sub.ok_button.isEnabled()  # nothing to change yet
    sub.role_combo.setCurrentIndex(sub.role_combo.findText("Read-only viewer"))
    assert sub.role_description.text() == "Can see the caseload only."
    sub.ok_button.click()

    qtbot.waitUntil(lambda: not sub.isVisible())
    assert widget.table.item(row_of(widget.table, "pkhan"), COL_ROLE).text() == "Read-only viewer"
    summary = next(u for u in users.list_users(workspace) if u.username == "pkhan")
    assert summary.role == Role.VIEWER.value


def test_demoting_the_last_administrator_is_refused_inline(qtbot, dialog, workspace):
    _select(qtbot, dialog, ADMIN)
    dialog.role_button.click()
    qtbot.waitUntil(lambda: visible_top_level("changeRoleDialog", dialog) is not None)
    sub = dialog.sub_dialog
    sub.role_combo.setCurrentIndex(sub.role_combo.findText("Resettlement worker"))
    sub.ok_button.click()

    assert sub.isVisible()
    assert sub.error_label.text() == "At least one administrator must stay active."
    assert users.list_users(workspace)[0].role == Role.ADMINISTRATOR.value


def test_a_role_without_user_management_sees_no_accounts(qtbot, workspace):
    pom = second_user(workspace, Role.POM.value)
    try:
        widget = UsersDialog(pom)
        qtbot.addWidget(widget)
        assert widget.table.rowCount() == 0
        assert not widget.add_button.isEnabled()
        assert "cannot manage users" in widget.status_label.text()
    finally:
        pom.lock()
