"""Changing one's own passphrase, by choice or forced after a temporary one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit

from app.domain.roles import Role
from app.errors import WrongPassphrase
from app.services import audit, users, vault
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.dialog_helpers import TEMPORARY, second_user
from ui.passphrase_dialog import ChangePassphraseDialog

NEW = "seven quiet lanterns by the river"


def _dialog(qtbot, ws, **kwargs) -> ChangePassphraseDialog:
    widget = ChangePassphraseDialog(ws, **kwargs)
    qtbot.addWidget(widget)
    widget.open()
    qtbot.waitUntil(widget.isVisible)
    return widget


def _type(qtbot, dialog: ChangePassphraseDialog, current: str, new: str, confirm: str) -> None:
    for name, text in (("currentEdit", current), ("newEdit", new), ("confirmEdit", confirm)):
        edit = dialog.findChild(QLineEdit, name)
        assert edit.echoMode() == QLineEdit.EchoMode.Password
        qtbot.keyClicks(edit, text)


def test_changing_the_passphrase_makes_the_new_one_unlock(qtbot, workspace, data_dir):
    dialog = _dialog(qtbot, workspace)
    _type(qtbot, dialog, ADMIN_PASSPHRASE, NEW, NEW)
    assert dialog.strength_label.text() in ("Good.", "Strong.")
    assert dialog.match_label.text() == "The passphrases match."

    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    vault.unlock(data_dir, ADMIN, NEW).lock()
    with pytest.raises(WrongPassphrase):
        vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    assert len(audit.entries(workspace, action="own_passphrase_changed")) == 1


def test_a_wrong_current_passphrase_is_explained_and_changes_nothing(qtbot, workspace, data_dir):
    dialog = _dialog(qtbot, workspace)
    _type(qtbot, dialog, "not my passphrase at all", NEW, NEW)
    dialog.confirm_edit.setFocus()
    dialog.ok_button.click()

    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text() == "Your current passphrase is not right."
    assert dialog.current_edit.text() == ""
    assert dialog.focusWidget() is dialog.current_edit
    vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE).lock()
    with pytest.raises(WrongPassphrase):
        vault.unlock(data_dir, ADMIN, NEW)


def test_a_different_confirmation_is_caught_first(qtbot, workspace, data_dir):
    dialog = _dialog(qtbot, workspace)
    _type(qtbot, dialog, ADMIN_PASSPHRASE, NEW, NEW + "!")
    assert dialog.match_label.text() == "The passphrases do not match yet."
    dialog.ok_button.click()

    assert dialog.isVisible()
    assert "different" in dialog.error_label.text()
    assert dialog.confirm_edit.text() == ""
    vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE).lock()


def test_a_weak_new_passphrase_gets_a_live_hint_and_is_refused(qtbot, workspace, data_dir):
    dialog = _dialog(qtbot, workspace)
    _type(qtbot, dialog, ADMIN_PASSPHRASE, "short one", "short one")
    assert dialog.strength_label.text() == "Too short: add 3 more characters."
    dialog.ok_button.click()

    assert dialog.isVisible()
    assert dialog.error_label.text() == (
        "Choose another passphrase. Too short: add 3 more characters."
    )
    vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE).lock()


def test_the_button_waits_for_all_three_fields(qtbot, workspace):
    dialog = _dialog(qtbot, workspace)
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.current_edit, ADMIN_PASSPHRASE)
    qtbot.keyClicks(dialog.new_edit, NEW)
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.confirm_edit, NEW)
    assert dialog.ok_button.isEnabled()


def test_by_choice_it_can_be_cancelled(qtbot, workspace):
    dialog = _dialog(qtbot, workspace)
    assert dialog.cancel_button.isVisible()
    assert "temporary" not in dialog.intro_label.text()
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_forced_after_a_temporary_passphrase(qtbot, workspace, data_dir):
    jo = second_user(workspace, Role.RESETTLEMENT_WORKER.value)
    try:
        assert jo.user.must_change_passphrase
        dialog = _dialog(qtbot, jo, forced=True)
        assert "temporary passphrase" in dialog.intro_label.text()
        assert not dialog.cancel_button.isVisible()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.isVisible()
        dialog.windowHandle().close()  # the title bar's close button
        assert dialog.isVisible()

        _type(qtbot, dialog, TEMPORARY, NEW, NEW)
        with qtbot.waitSignal(dialog.accepted, timeout=1000):
            dialog.ok_button.click()
        assert not jo.user.must_change_passphrase
    finally:
        jo.lock()
    summary = next(u for u in users.list_users(workspace) if u.username == "jsmith")
    assert not summary.must_change_passphrase
    unlocked = vault.unlock(data_dir, "jsmith", NEW)
    assert not unlocked.user.must_change_passphrase
    unlocked.lock()
