"""Team-wide settings: how soon an unattended workstation locks itself."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.roles import Permission
from app.services import settings
from app.services.workspace import Workspace
from ui.dialog_parts import ErrorLabel
from ui.ops import ops_for


def _current(ws: Workspace) -> tuple[str, int, bool]:
    """The establishment, the idle-lock minutes and whether this is a demo workstation."""
    return settings.establishment(ws), settings.idle_lock_minutes(ws), settings.is_demo(ws)


class SettingsDialog(QDialog):
    """Accepted after saving; `idle_lock_minutes` then holds the value now in force."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.setMinimumWidth(460)
        self.can_change = ws.can(Permission.CHANGE_SETTINGS)
        self.error_label = ErrorLabel()

        found = ops_for(ws).run(self, _current, ws, on_error=self.error_label.refused)
        establishment, self.idle_lock_minutes, demo = found.value or (
            "", settings.DEFAULT_IDLE_LOCK_MINUTES, False)

        self.establishment_label = QLabel(establishment or "Not recorded")
        self.establishment_label.setObjectName("establishmentLabel")
        self.establishment_label.setWordWrap(True)
        self.establishment_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.establishment_label.setToolTip(
            "Set when this workstation was set up; it appears on exports and printouts."
        )

        low, high = settings.IDLE_LOCK_RANGE
        self.idle_lock_spin = QSpinBox()
        self.idle_lock_spin.setObjectName("idleLockSpin")
        self.idle_lock_spin.setRange(low, high)
        self.idle_lock_spin.setValue(self.idle_lock_minutes)
        self.idle_lock_spin.setSuffix(" minutes")
        self.idle_lock_spin.setAccelerated(True)
        self.idle_lock_spin.setMinimumWidth(140)
        self.idle_lock_spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.idle_lock_spin.setToolTip(
            f"Resettle locks itself after this many minutes without use ({low} to {high}). "
            "Anyone at the desk then needs a passphrase to see the caseload."
        )
        self.idle_lock_spin.setEnabled(self.can_change)

        form = QFormLayout()
        form.addRow("Establishment:", self.establishment_label)
        if demo:
            demo_label = QLabel("Yes: every record here is fictional, for training.")
            demo_label.setObjectName("demoLabel")
            form.addRow("Demo workstation:", demo_label)
        form.addRow("&Lock after idle for:", self.idle_lock_spin)

        explanation = QLabel(
            "The same setting applies to everyone who uses this workstation."
            if self.can_change
            else "Only an administrator can change these settings."
        )
        explanation.setObjectName("explanationLabel")
        explanation.setWordWrap(True)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveButton")
        self.save_button.setEnabled(self.can_change)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("cancelButton")
        if not self.can_change:
            self.save_button.hide()
            self.cancel_button.setText("Close")
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(explanation)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.idle_lock_spin.setFocus()

    def _save(self) -> None:
        if not self.can_change:
            return
        self.idle_lock_spin.interpretText()
        minutes = self.idle_lock_spin.value()
        if not ops_for(self._ws).run(self, settings.set_idle_lock_minutes, self._ws, minutes,
                                     on_error=self.error_label.refused).ok:
            return
        self.idle_lock_minutes = minutes
        self.accept()
