"""The start-up cycle as a user meets it: first-run wizard, unlock, lock, auto-lock."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWizard

from app.services import audit, people, vault
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, make_draft
from ui.app import Controller


def visible_texts() -> str:
    """Every label, line edit and table cell text in every visible window."""
    from PySide6.QtWidgets import QLineEdit, QTableView

    parts = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        for label in top.findChildren(QLabel):
            parts.append(label.text())
        for edit in top.findChildren(QLineEdit):
            parts.append(edit.text())
        for view in top.findChildren(QTableView):
            model = view.model()
            for r in range(model.rowCount()):
                for c in range(model.columnCount()):
                    parts.append(str(model.index(r, c).data()))
    return "\n".join(parts)


def unlock_with(qtbot, controller, passphrase):
    dialog = controller.unlock_dialog
    dialog.username.setText(ADMIN)
    dialog.passphrase.setText(passphrase)
    dialog.unlock_button.click()
    # On success the dialog closes and deletes itself, so look at the controller first.
    qtbot.waitUntil(
        lambda: controller.ws is not None or dialog.message.text() != "Unlocking…", timeout=5000
    )
    return None if controller.ws is not None else dialog


def test_first_run_wizard_creates_the_database_and_needs_the_key_confirmed(qtbot, data_dir):
    controller = Controller(data_dir)
    controller.start()
    wizard = controller.wizard
    qtbot.addWidget(wizard)
    assert wizard.isVisible()
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()
    qtbot.keyClicks(wizard.establishment_page.name, "HMP & YOI Testfield")
    next_button.click()
    page = wizard.admin_page
    qtbot.keyClicks(page.username, "lead")
    qtbot.keyClicks(page.passphrase.first, "short")
    assert not next_button.isEnabled()
    assert "Too short" in page.passphrase.hint.text()
    page.passphrase.first.clear()
    qtbot.keyClicks(page.passphrase.first, "quiet meadow lantern 42")
    qtbot.keyClicks(page.passphrase.second, "quiet meadow lantern 42")
    assert next_button.isEnabled()
    next_button.click()  # set-up runs on a worker thread: the wizard stays responsive
    assert "Creating the encrypted database" in page.message.text()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=20_000)
    assert vault.is_initialised(data_dir)
    key = wizard.recovery_page.key.text()
    assert len(key) == 47 and key.count("-") == 7
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()  # the recovery key must be confirmed first
    wizard.recovery_page.confirm.setChecked(True)
    assert finish.isEnabled()
    finish.click()
    qtbot.waitUntil(lambda: controller.window is not None)
    assert controller.window.windowTitle() == "Resettle — HMP & YOI Testfield"
    controller.lock()
    # the printed key really opens the database
    vault.recover(data_dir, key.lower(), "lead", "another long passphrase 7")
    vault.unlock(data_dir, "lead", "another long passphrase 7").lock()
    controller.unlock_dialog.close()


def test_wrong_passphrase_shows_a_plain_message(qtbot, data_dir, initialised):
    controller = Controller(data_dir)
    controller.start()
    dialog = unlock_with(qtbot, controller, "not the passphrase at all")
    assert dialog.message.text() == "The username or passphrase is not right."
    assert controller.window is None
    assert dialog.passphrase.text() == ""
    unlock_with(qtbot, controller, ADMIN_PASSPHRASE)
    assert controller.window is not None and controller.window.isVisible()
    ws = controller.ws
    assert [e.action for e in audit.entries(ws, action="unlock_failed")] == ["unlock_failed"]
    controller.shutdown()


def test_lock_closes_the_database_and_clears_every_screen(qtbot, data_dir, initialised):
    ws = vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    people.add_person(ws, make_draft(family_name="Zyxwvutcanary"))
    ws.lock()
    controller = Controller(data_dir)
    controller.start()
    unlock_with(qtbot, controller, ADMIN_PASSPHRASE)
    window = controller.window  # deleted by the lock itself, so not handed to qtbot
    qtbot.keyClicks(window.caseload.search, "zyx")
    qtbot.waitUntil(lambda: "ZYXWVUTCANARY" in window.person.title.text())
    assert "zyxwvutcanary" in visible_texts().lower()
    ws = controller.ws
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.caseload.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert controller.ws is None and ws.locked
    assert controller.unlock_dialog is not None and controller.unlock_dialog.isVisible()
    assert "canary" not in visible_texts().lower()
    assert window.caseload.model.rowCount() == 0
    controller.unlock_dialog.close()


def test_idle_timeout_locks_and_clears(qtbot, data_dir, initialised):
    ws = vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    people.add_person(ws, make_draft(family_name="Idlecanary"))
    ws.lock()
    controller = Controller(data_dir)
    controller.start()
    unlock_with(qtbot, controller, ADMIN_PASSPHRASE)
    assert controller.idle.timer.interval() == 10 * 60_000  # the default setting
    assert "idlecanary" in visible_texts().lower()
    controller.idle.start(50)  # as if ten minutes had passed
    qtbot.waitUntil(lambda: controller.ws is None, timeout=3000)
    assert "idlecanary" not in visible_texts().lower()
    assert controller.unlock_dialog.isVisible()
    assert "Locked" in controller.unlock_dialog.message.text()
    controller.unlock_dialog.close()
