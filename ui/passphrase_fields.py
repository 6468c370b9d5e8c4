"""New passphrase + confirmation + live strength hint: one widget, used wherever one is set."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QProgressBar, QWidget

from app.domain.passphrase import MIN_LENGTH, assess


class NewPassphraseFields(QWidget):
    changed = Signal()

    def __init__(self, username_source: QLineEdit | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._username_source = username_source
        self.first = QLineEdit()
        self.first.setObjectName("newPassphraseEdit")
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setPlaceholderText(f"At least {MIN_LENGTH} characters; several words work well")
        self.second = QLineEdit()
        self.second.setObjectName("confirmPassphraseEdit")
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(8)
        self.hint = QLabel()
        self.hint.setObjectName("strengthHint")
        self.hint.setWordWrap(True)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("New passphrase:", self.first)
        form.addRow("", self.meter)
        form.addRow("", self.hint)
        form.addRow("Type it again:", self.second)
        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)
        self._update()

    def _username(self) -> str:
        return self._username_source.text().strip() if self._username_source else ""

    def _update(self) -> None:
        text = self.first.text()
        strength = assess(text, self._username())
        self.meter.setValue(strength.score)
        self.hint.setText(strength.hint if text else f"At least {MIN_LENGTH} characters.")
        if text and self.second.text() and text != self.second.text():
            self.hint.setText("The two passphrases are not the same yet.")
        self.changed.emit()

    def value(self) -> str:
        return self.first.text()

    def acceptable(self) -> bool:
        return assess(self.first.text(), self._username()).acceptable and (
            self.first.text() == self.second.text()
        )

    def clear(self) -> None:
        self.first.clear()
        self.second.clear()
