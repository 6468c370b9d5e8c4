"""Unlock: username and passphrase, key derivation off the GUI thread, plain messages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from ui.threads import Job, run_in_thread

if TYPE_CHECKING:
    from app.services.workspace import Workspace


def _unlock(data_dir: Path, username: str, secret: str) -> Workspace:
    from app.services import vault  # imported here: the unlock window must not wait for it

    return vault.unlock(data_dir, username, secret)


class UnlockDialog(QDialog):
    unlocked = Signal(object)  # Workspace
    recovery_requested = Signal()

    def __init__(self, data_dir: Path, establishment_hint: str = "", username: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.workspace: Workspace | None = None
        self._job: Job | None = None
        self.setWindowTitle("Unlock Resettle")
        self.setObjectName("unlockDialog")
        heading = QLabel("<b>Resettle is locked</b>")
        heading.setStyleSheet("font-size: 14pt;")
        hint = QLabel(establishment_hint or "Enter your username and passphrase.")
        hint.setWordWrap(True)
        self.username = QLineEdit(username)
        self.username.setObjectName("usernameEdit")
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphraseEdit")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("unlockMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("QLabel[kind='error'] { color: #b00020; }")
        self.message.setMinimumHeight(36)
        form = QFormLayout()
        form.addRow("Username:", self.username)
        form.addRow("Passphrase:", self.passphrase)
        self.buttons = QDialogButtonBox()
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.buttons.addButton(self.unlock_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.forgot_button = QPushButton("Forgotten passphrase…")
        self.forgot_button.setObjectName("forgotButton")
        self.buttons.addButton(self.forgot_button, QDialogButtonBox.ButtonRole.HelpRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.try_unlock)
        self.buttons.rejected.connect(self.reject)
        self.forgot_button.clicked.connect(self.recovery_requested)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        (self.passphrase if username else self.username).setFocus()

    def show_message(self, text: str, error: bool = True) -> None:
        self.message.setProperty("kind", "error" if error else "info")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)

    def try_unlock(self) -> None:
        username = self.username.text().strip()
        secret = self.passphrase.text()
        if not username or not secret:
            self.show_message("Enter your username and passphrase.")
            return
        self.message.setText("Unlocking…")
        self.setEnabled(False)
        self.setCursor(Qt.CursorShape.WaitCursor)
        self._job = run_in_thread(
            lambda: _unlock(self.data_dir, username, secret), self._done, self._failed
        )

    def _done(self, ws: Workspace) -> None:
        self._finish()
        self.passphrase.clear()
        self.message.clear()
        self.workspace = ws
        self.unlocked.emit(ws)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self._finish()
        self.passphrase.clear()
        self.passphrase.setFocus()
        if isinstance(exc, UserError):
            self.show_message(str(exc))
        else:
            self.show_message(f"Resettle could not open the database ({type(exc).__name__}).")

    def _finish(self) -> None:
        self._job = None
        self.setEnabled(True)
        self.unsetCursor()
