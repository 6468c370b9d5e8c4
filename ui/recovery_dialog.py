"""Forgotten passphrase: the printed recovery key sets a new one for a named user."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services import vault
from ui.messages import plain_message
from ui.passphrase_fields import NewPassphraseFields
from ui.threads import Job, run_in_thread


class RecoveryDialog(QDialog):
    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.setWindowTitle("Use the recovery key")
        self.setObjectName("recoveryDialog")
        intro = QLabel(
            "Type the recovery key printed when Resettle was set up (8 groups of 5 characters), "
            "the username to give a new passphrase to, and the new passphrase. This is recorded "
            "in the audit log."
        )
        intro.setWordWrap(True)
        self.key = QLineEdit()
        self.key.setObjectName("recoveryKeyEdit")
        self.key.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
        self.username = QLineEdit()
        self.username.setObjectName("recoveryUsernameEdit")
        self.passphrase = NewPassphraseFields(self.username)
        self.message = QLabel()
        self.message.setObjectName("recoveryMessage")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Recovery key:", self.key)
        form.addRow("Username:", self.username)
        self._job: Job | None = None
        buttons = self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def submit(self) -> None:
        """The key checks and the new key slot take a second or two of key derivation: they
        run on a worker thread, so the window never freezes; the buttons wait meanwhile."""
        if self._job is not None:
            return
        if not self.passphrase.acceptable():
            self.message.setText("Choose an acceptable new passphrase and type it twice.")
            return
        data = (self.data_dir, self.key.text(), self.username.text(), self.passphrase.value())
        self.message.setStyleSheet("")
        self.message.setText("Checking the recovery key…")
        self.buttons.setEnabled(False)
        self._job = run_in_thread(lambda: vault.recover(*data), self._recovered, self._refused)

    def _recovered(self, _result: object) -> None:
        self._job = None
        self.buttons.setEnabled(True)
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self._job = None
        self.buttons.setEnabled(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText(plain_message(exc))
