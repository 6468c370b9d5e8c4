"""New passphrase + confirmation + live strength and match hints, as one widget.

Built from the same pieces as the administration dialogs (ui.dialog_parts), so every place a
passphrase is chosen gives the same advice.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLineEdit, QProgressBar, QWidget

from app.domain.passphrase import MIN_LENGTH, assess
from ui.dialog_parts import MatchHint, StrengthHint, passphrase_edit


class NewPassphraseFields(QWidget):
    changed = Signal()

    def __init__(self, username_source: QLineEdit | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._username_source = username_source
        self.first = passphrase_edit(
            "newPassphraseEdit", f"At least {MIN_LENGTH} characters; several words work well"
        )
        self.second = passphrase_edit("confirmPassphraseEdit")
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(8)
        self.hint = StrengthHint(self.first, self._username)
        self.match = MatchHint(self.first, self.second)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("New passphrase:", self.first)
        form.addRow("", self.meter)
        form.addRow("", self.hint)
        form.addRow("Type it again:", self.second)
        form.addRow("", self.match)
        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)
        self._update()

    def _username(self) -> str:
        return self._username_source.text().strip() if self._username_source else ""

    def _update(self) -> None:
        self.meter.setValue(assess(self.first.text(), self._username()).score)
        self.changed.emit()

    def value(self) -> str:
        return self.first.text()

    def acceptable(self) -> bool:
        return assess(self.first.text(), self._username()).acceptable and self.match.matches

    def clear(self) -> None:
        self.first.clear()
        self.second.clear()
