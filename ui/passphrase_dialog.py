"""Changing one's own passphrase; forced at the first unlock after a temporary one was given."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.errors import WrongPassphrase
from app.services import users
from app.services.workspace import Workspace
from ui.dialog_parts import ErrorLabel, MatchHint, StrengthHint, passphrase_edit


class ChangePassphraseDialog(QDialog):
    """Current, new and confirmation; accepted only once the passphrase has been changed.

    When `forced`, there is no Cancel button, and neither Escape nor the window's close button
    dismiss it; locking (which deletes the main window with its dialogs) or `done()` still do.
    """

    def __init__(
        self, ws: Workspace, parent: QWidget | None = None, *, forced: bool = False
    ) -> None:
        super().__init__(parent)
        self._ws = ws
        self.forced = forced
        self.setObjectName("changePassphraseDialog")
        self.setWindowTitle("Choose your own passphrase" if forced else "Change your passphrase")
        self.setMinimumWidth(520)

        if forced:
            intro_text = (
                f"{ws.user.display_name or ws.user.username}, you unlocked Resettle with a "
                "temporary passphrase. Choose your own passphrase now: only you should know it, "
                "and you will use it from your next unlock."
            )
        else:
            intro_text = (
                "Your passphrase unlocks Resettle on this workstation. Choose one you can "
                "remember without writing it down."
            )
        self.intro_label = QLabel(intro_text)
        self.intro_label.setObjectName("introLabel")
        self.intro_label.setWordWrap(True)

        self.current_edit = passphrase_edit(
            "currentEdit", "The one you unlocked with" if forced else ""
        )
        self.new_edit = passphrase_edit("newEdit")
        self.confirm_edit = passphrase_edit("confirmEdit")
        self.strength_label = StrengthHint(self.new_edit, lambda: self._ws.user.username)
        self.match_label = MatchHint(self.new_edit, self.confirm_edit)
        self.error_label = ErrorLabel()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(
            "&Temporary passphrase:" if forced else "C&urrent passphrase:", self.current_edit
        )
        form.addRow("&New passphrase:", self.new_edit)
        form.addRow("", self.strength_label)
        form.addRow("Con&firm new passphrase:", self.confirm_edit)
        form.addRow("", self.match_label)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Change passphrase")
        self.ok_button.setObjectName("okButton")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setVisible(not forced)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        for edit in (self.current_edit, self.new_edit, self.confirm_edit):
            edit.textChanged.connect(self._update_button)
        self._update_button()
        self.current_edit.setFocus()

    def _update_button(self) -> None:
        filled = all(e.text() for e in (self.current_edit, self.new_edit, self.confirm_edit))
        self.ok_button.setEnabled(filled)

    def reject(self) -> None:
        """Escape, Cancel and the window's close button; ignored when the change is forced."""
        if self.forced:
            return
        super().reject()

    def _submit(self) -> None:
        if not self.ok_button.isEnabled():
            return
        if not self.match_label.matches:
            self.error_label.show_message(
                "The new passphrase and its confirmation are different. Type them again."
            )
            self.confirm_edit.clear()
            self.confirm_edit.setFocus()
            return
        self.error_label.clear_message()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            users.change_own_passphrase(
                self._ws, self.current_edit.text(), self.new_edit.text()
            )
        except Exception as exc:
            QGuiApplication.restoreOverrideCursor()
            self.error_label.show_exception(exc)
            if isinstance(exc, WrongPassphrase):
                self.current_edit.clear()
                self.current_edit.setFocus()
            else:
                self.new_edit.setFocus()
                self.new_edit.selectAll()
            return
        QGuiApplication.restoreOverrideCursor()
        self.current_edit.clear()
        self.new_edit.clear()
        self.confirm_edit.clear()
        self.accept()
