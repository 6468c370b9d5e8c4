"""The forgotten-passphrase dialog: the recovery key sets a new passphrase, on a worker thread."""

from __future__ import annotations

from app.services import vault
from tests.conftest import ADMIN
from ui.recovery_dialog import RecoveryDialog

NEW = "lantern meadow quiet 77"


def fill(qtbot, dialog: RecoveryDialog, key: str) -> None:
    qtbot.keyClicks(dialog.key, key)
    qtbot.keyClicks(dialog.username, ADMIN)
    qtbot.keyClicks(dialog.passphrase.first, NEW)
    qtbot.keyClicks(dialog.passphrase.second, NEW)


def test_a_wrong_key_is_told_plainly_and_changes_nothing(qtbot, data_dir, initialised):
    dialog = RecoveryDialog(data_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    fill(qtbot, dialog, "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA")
    dialog.submit()
    assert "Checking the recovery key" in dialog.message.text()
    assert not dialog.buttons.isEnabled()  # working, and the window is not frozen
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=20_000)
    assert "Checking" not in dialog.message.text() and dialog.message.text()
    assert dialog.isVisible()


def test_the_printed_key_sets_a_new_passphrase(qtbot, data_dir, initialised):
    dialog = RecoveryDialog(data_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    fill(qtbot, dialog, initialised)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.submit()
    vault.unlock(data_dir, ADMIN, NEW).lock()
