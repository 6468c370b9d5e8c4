"""Start-up and the lock cycle: set-up wizard or unlock, main window, idle lock, lock again.

Locking writes a `lock` audit entry, closes the database (every pooled connection), deletes the
main window with its dialogs, and shows the unlock dialog: nothing personal stays on screen.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from app import __version__
from app.domain.audit_actions import Action, RecordType
from app.paths import is_initialised
from ui.crash import configure_logging, install_excepthook
from ui.idle import IdleWatcher
from ui.unlock_dialog import UnlockDialog

if TYPE_CHECKING:
    from app.services.workspace import Workspace
    from ui.main_window import MainWindow
    from ui.setup_wizard import SetupWizard

# The unlock window must appear fast (under a second from process start), so the database
# stack (SQLAlchemy, about 0.4 s to import) and the main window load in the background while
# the user types her passphrase, or at the latest when she presses Unlock.
_PRELOAD = ("app.services.vault", "app.services.people", "ui.main_window")


def preload_in_background() -> threading.Thread:
    def work() -> None:
        for name in _PRELOAD:
            importlib.import_module(name)

    thread = threading.Thread(target=work, name="resettle-preload", daemon=True)
    thread.start()
    return thread


class Controller(QObject):
    def __init__(self, data_dir: Path, username: str = "") -> None:
        super().__init__()
        self.data_dir = data_dir
        self.last_username = username
        self.ws: Workspace | None = None
        self.window: MainWindow | None = None
        self.unlock_dialog: UnlockDialog | None = None
        self.wizard: SetupWizard | None = None
        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.lock)

    # --- start ---------------------------------------------------------------------------
    def start(self) -> None:
        if is_initialised(self.data_dir):
            self.show_unlock()
        else:
            self.show_wizard()

    def show_wizard(self) -> None:
        from ui.setup_wizard import SetupWizard

        self.wizard = SetupWizard(self.data_dir)
        self.wizard.finished.connect(self._wizard_finished)
        self.wizard.show()

    def _wizard_finished(self, result: int) -> None:
        wizard, self.wizard = self.wizard, None
        assert wizard is not None
        if result == QDialog.DialogCode.Accepted:
            username, _passphrase = wizard.credentials()
            self.last_username = username
            ws = wizard.opened_workspace()
            wizard.deleteLater()
            if ws is None:
                self.show_unlock()
            else:
                self.on_unlocked(ws)
        else:
            wizard.deleteLater()
            if is_initialised(self.data_dir):
                self.show_unlock()
            else:
                QApplication.quit()

    def show_unlock(self, message: str = "") -> None:
        dialog = UnlockDialog(self.data_dir, "Enter your username and passphrase.",
                              self.last_username)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.unlocked.connect(self.on_unlocked)
        dialog.rejected.connect(self._unlock_closed)
        dialog.recovery_requested.connect(lambda: self._show_recovery(dialog))
        if message:
            dialog.show_message(message, error=False)
        self.unlock_dialog = dialog
        dialog.show()
        if os.environ.get("RESETTLE_STARTUP_TRACE"):  # for start-up timing by IT and benchmarks
            print("startup: unlock window shown", flush=True)

    def _show_recovery(self, parent: UnlockDialog) -> None:
        from ui.recovery_dialog import RecoveryDialog

        RecoveryDialog(self.data_dir, parent).open()

    def _unlock_closed(self) -> None:
        self.unlock_dialog = None
        if self.ws is None:
            QApplication.quit()

    # --- unlocked ------------------------------------------------------------------------
    def on_unlocked(self, ws: Workspace) -> None:
        self.unlock_dialog = None
        self.ws = ws
        self.last_username = ws.user.username
        from ui.main_window import MainWindow

        self.window = MainWindow(ws)
        self.window.lock_requested.connect(self.lock)
        self.window.settings_changed.connect(self._arm_idle)
        self.window.show()
        self._arm_idle()
        if ws.user.must_change_passphrase:
            self.window.change_passphrase(forced=True)

    def _arm_idle(self) -> None:
        if self.ws is not None:
            from app.services import settings

            self.idle.start(settings.idle_lock_minutes(self.ws) * 60_000)

    def lock(self, message: str = "Locked. Enter your passphrase to go on.") -> None:
        if self.ws is None:
            return
        self.idle.stop()
        window, self.window = self.window, None
        if window is not None:
            window.clear()  # open forms save their drafts as they close, before the lock
        ws, self.ws = self.ws, None
        from ui.ops import ops_for

        ops = ops_for(ws)
        ops.wait()  # a PDF or bundle being written finishes before the database closes
        ops.close()
        try:
            _record_lock(ws)
        finally:
            ws.lock()
        self.show_unlock(message)  # before the window goes, so the app never has none open
        if window is not None:
            window.hide()
            window.deleteLater()

    def shutdown(self) -> None:
        """On quit: the same as a lock, without asking to unlock again."""
        self.idle.stop()
        if self.ws is not None:
            ws, self.ws = self.ws, None
            from ui.ops import ops_for

            ops_for(ws).wait()  # a PDF or bundle being written finishes first
            try:
                _record_lock(ws)
            finally:
                ws.lock()


def _record_lock(ws: Workspace) -> None:
    from app.services import audit

    audit.record(ws, Action.LOCK, RecordType.USER, str(ws.user.id))


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(argv or sys.argv[:1])
    app.setApplicationName("Resettle")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Resettle")
    return app


def check_resources() -> str | None:
    """Questionnaires and needs rules are data files: a broken one must stop us at start-up,
    by name, rather than half-way through a woman's screening."""
    from app.domain import needs_rules, questionnaire
    from app.errors import UserError

    try:
        questionnaire.validate_all()
        needs_rules.load_rules()
    except UserError as exc:
        return str(exc)
    return None


def run(data_dir: Path, username: str | None = None) -> int:
    configure_logging(data_dir)
    install_excepthook()
    app = make_application()
    problem = check_resources()
    if problem is not None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "Resettle cannot start",
                             f"{problem}\n\nReinstall Resettle or restore the file.")
        return 1
    controller = Controller(data_dir, username or "")
    QTimer.singleShot(0, controller.start)
    QTimer.singleShot(0, preload_in_background)
    app.aboutToQuit.connect(controller.shutdown)
    return app.exec()
