"""Settings: the idle-lock minutes, saved through the service; the establishment, read-only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QSpinBox

from app.domain.roles import Role
from app.services import audit, settings
from tests.conftest import ESTABLISHMENT
from tests.gui.dialog_helpers import second_user
from ui.settings_dialog import SettingsDialog


def _dialog(qtbot, ws) -> SettingsDialog:
    widget = SettingsDialog(ws)
    qtbot.addWidget(widget)
    widget.open()
    qtbot.waitUntil(widget.isVisible)
    return widget


def _type_minutes(qtbot, spin: QSpinBox, text: str) -> None:
    spin.selectAll()
    qtbot.keyClicks(spin, text)


def test_shows_the_saved_minutes_and_the_establishment(qtbot, workspace):
    settings.set_idle_lock_minutes(workspace, 17)
    dialog = _dialog(qtbot, workspace)
    spin = dialog.findChild(QSpinBox, "idleLockSpin")
    assert spin.value() == 17
    assert (spin.minimum(), spin.maximum()) == settings.IDLE_LOCK_RANGE
    label = dialog.findChild(QLabel, "establishmentLabel")
    assert label.text() == ESTABLISHMENT
    assert not (label.textInteractionFlags() & Qt.TextInteractionFlag.TextEditable)


def test_a_new_profile_shows_the_default(qtbot, workspace):
    dialog = _dialog(qtbot, workspace)
    assert dialog.idle_lock_spin.value() == settings.DEFAULT_IDLE_LOCK_MINUTES


def test_saving_stores_the_minutes_and_audits_the_change(qtbot, workspace):
    dialog = _dialog(qtbot, workspace)
    _type_minutes(qtbot, dialog.idle_lock_spin, "25")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        dialog.save_button.click()

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.idle_lock_minutes == 25
    assert settings.idle_lock_minutes(workspace) == 25
    [entry] = audit.entries(workspace, action="setting_changed")
    assert entry.detail == "idle_lock_minutes=25"


def test_values_outside_the_range_cannot_be_typed(qtbot, workspace):
    dialog = _dialog(qtbot, workspace)
    _type_minutes(qtbot, dialog.idle_lock_spin, "90")
    dialog.save_button.click()
    assert settings.idle_lock_minutes(workspace) == 9  # the 0 was refused as she typed


def test_cancel_keeps_the_old_value(qtbot, workspace):
    dialog = _dialog(qtbot, workspace)
    _type_minutes(qtbot, dialog.idle_lock_spin, "45")
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        dialog.cancel_button.click()
    assert settings.idle_lock_minutes(workspace) == settings.DEFAULT_IDLE_LOCK_MINUTES
    assert audit.entries(workspace, action="setting_changed") == []


def test_a_role_without_settings_sees_them_read_only(qtbot, workspace):
    settings.set_idle_lock_minutes(workspace, 12)
    pom = second_user(workspace, Role.POM.value)
    try:
        dialog = _dialog(qtbot, pom)
        assert dialog.idle_lock_spin.value() == 12
        assert not dialog.idle_lock_spin.isEnabled()
        assert not dialog.save_button.isVisible()
        assert dialog.cancel_button.text() == "Close"
        assert dialog.establishment_label.text() == ESTABLISHMENT
    finally:
        pom.lock()
