"""Recording her consent to share her data, before any referral that shares it."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import parse_uk_date, uk_date
from app.domain.referrals import CONSENT_METHODS
from app.domain.timezone import today_london
from app.services import consent
from app.services.workspace import Workspace
from ui.dialog_parts import ErrorLabel, beside_fields
from ui.ops import ops_for


def field_with_error(editor: QWidget) -> tuple[QWidget, ErrorLabel]:
    """An editor with its own inline error line underneath, as one form row."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(editor)
    error = ErrorLabel()
    error.setObjectName(f"{editor.objectName()}Error")
    layout.addWidget(error)
    return box, error


def date_edit(name: str, value: date | None) -> QLineEdit:
    edit = QLineEdit(uk_date(value))
    edit.setObjectName(name)
    edit.setPlaceholderText("DD/MM/YYYY")
    edit.setMaxLength(10)
    edit.setFixedWidth(edit.fontMetrics().horizontalAdvance("00/00/00000") + 24)
    return edit


class ConsentDialog(QDialog):
    """Scope, with whom, when and how she consented. Non-blocking: open() it."""

    def __init__(self, ws: Workspace, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consentDialog")
        self.setWindowTitle("Record consent to share her data")
        self.ws, self.person_id = ws, person_id
        self.consent_id: int | None = None

        self.scope = QComboBox()
        self.scope.setObjectName("scopeCombo")
        for code, label in consent.SCOPES.items():
            self.scope.addItem(label, code)
        self.shared_with = QLineEdit()
        self.shared_with.setObjectName("sharedWithEdit")
        self.shared_with.setPlaceholderText("e.g. Hackney Council housing options")
        self.shared_with.setMinimumWidth(320)
        self.given_on = date_edit("givenOnEdit", today_london())
        self.method = QComboBox()
        self.method.setObjectName("methodCombo")
        for code, label in CONSENT_METHODS.items():
            self.method.addItem(label, code)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notesEdit")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().height() * 3 + 14)

        self.errors: dict[str, ErrorLabel] = {}
        form = QFormLayout()
        for key, label, editor in (
            ("scope", "Consent to:", self.scope),
            ("shared_with", "Shared with:", self.shared_with),
            ("given_on", "Given on:", self.given_on),
            ("method", "How:", self.method),
            ("notes", "Notes:", self.notes),
        ):
            box, self.errors[key] = field_with_error(editor)
            form.addRow(label, box)
        intro = QLabel("Record consent only after explaining to her what will be shared, "
                       "with whom, and that she may withdraw it at any time.")
        intro.setWordWrap(True)
        self.summary = ErrorLabel()
        self.summary.setObjectName("consentSummary")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveConsentButton")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # errors never clip
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.show_message(errors.get(key, ""))
        others = [msg for key, msg in errors.items() if key not in self.errors]
        self.summary.show_message("\n".join(others))
        self.adjustSize()

    def save(self) -> bool:
        try:
            given_on = parse_uk_date(self.given_on.text())
        except ValueError as exc:
            self.show_errors({"given_on": str(exc)})
            return False
        done = ops_for(self.ws).run(
            self, consent.record, self.ws, self.person_id, scope=self.scope.currentData(),
            shared_with=self.shared_with.text(), given_on=given_on,
            method=self.method.currentData(), notes=self.notes.toPlainText(),
            on_error=beside_fields(self.show_errors, self.summary))
        if not done.ok:
            return False
        self.consent_id = done.value
        self.show_errors({})
        self.accept()
        return True

