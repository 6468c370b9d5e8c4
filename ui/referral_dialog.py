"""One referral: duty to refer, CRS, CAS3, supported housing or other, with the consent gate.

The fields shown follow the referral type; only the fields shown are saved. The rules (dates,
council list, CAS3 eligibility, consent) live in app.domain.referrals and come back as
ValidationFailed, shown beside each field.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import referrals as rules
from app.domain.codes import CouncilChoice, ReferralStatus, ReferralType
from app.domain.dates import parse_uk_date
from app.domain.person import PersonDraft
from app.domain.reference import local_authorities
from app.domain.referrals import (
    COUNCIL_CHOICE,
    CRS_COMPLEXITY,
    CRS_SERVICES,
    DTR_OUTCOMES,
    TYPE_LABELS,
    WITHDRAWAL_REASONS,
    ReferralDraft,
)
from app.domain.roles import Permission
from app.services import referrals
from app.services.referrals import ReferralView
from app.services.workspace import Workspace
from ui.consent_dialog import ConsentDialog, date_edit
from ui.dialog_parts import ErrorLabel, beside_fields
from ui.ops import ops_for

STATUS_LABELS = rules.STATUS_LABELS
DATE_FIELDS = ("submitted_on", "outcome_on")

# Which fields each type uses (status, submitted_on and notes are always shown).
_COMMON = ("status", "submitted_on", "withdrawal_reason", "notes")
TYPE_FIELDS: dict[str, tuple[str, ...]] = {
    ReferralType.DUTY_TO_REFER: ("council_code", "council_choice", "other_council_reason",
                                 "reference", *_COMMON, "outcome", "outcome_on"),
    ReferralType.CRS: ("crs_service", "complexity", "desired_outcomes", "provider", *_COMMON),
    ReferralType.CAS3: ("provider", *_COMMON),
    ReferralType.SUPPORTED_HOUSING: ("provider", *_COMMON),
    ReferralType.OTHER: ("provider", *_COMMON),
}
SUMMARY_KEYS = ("type", "consent", "nrpf")


class _FieldError(ErrorLabel):
    """An error under one field, as tall as its text needs at the field's width.

    QFormLayout sizes rows by sizeHint, and a wrapped QLabel's hint guesses a narrow width
    (two lines for a short message, too few for a long one); this hint uses the real width.
    """

    def __init__(self, editor: QWidget) -> None:
        super().__init__()
        self.setObjectName(f"{editor.objectName()}Error")
        self._editor = editor

    def sizeHint(self) -> QSize:
        width = self.width() if self.isVisible() and self.width() > 100 else max(
            self._editor.width(), self._editor.minimumSizeHint().width(), 320)
        return QSize(super().sizeHint().width(), self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()


def _choice(name: str, options: dict[str, str], blank: str | None = "Choose…") -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    if blank is not None:
        combo.addItem(blank, "")
    for code, label in options.items():
        combo.addItem(label, code)
    return combo


def _select(combo: QComboBox, code: str) -> None:
    combo.setCurrentIndex(max(0, combo.findData(code)))


class ReferralDialog(QDialog):
    """New or existing referral for one woman. Non-blocking: open() it."""

    def __init__(self, ws: Workspace, person_id: int, person: PersonDraft,
                 parent: QWidget | None = None, referral: ReferralView | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("referralDialog")
        self.ws, self.person_id, self.person, self.referral = ws, person_id, person, referral
        self.result_warnings: tuple[str, ...] = ()
        self.saved_id: int | None = None
        self.consent_dialog: ConsentDialog | None = None
        self.setWindowTitle("Edit referral" if referral else "New referral")

        self.type_combo = _choice("typeCombo", dict(TYPE_LABELS), blank=None)
        self.type_combo.setEnabled(referral is None)  # a referral does not change its kind
        self.councils = {la.code: la.name for la in local_authorities().values()}
        self.council = QComboBox()
        self.council.setObjectName("councilCombo")
        self.council.setEditable(True)
        self.council.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.council.addItem("", "")
        for code, name in self.councils.items():
            self.council.addItem(name, code)
        completer = QCompleter(list(self.councils.values()), self.council)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.council.setCompleter(completer)
        council_edit = self.council.lineEdit()
        assert council_edit is not None
        council_edit.setPlaceholderText("Type to find a council")
        self.council.setMinimumWidth(340)
        self.council_choice = _choice("councilChoiceCombo", COUNCIL_CHOICE)
        self.other_reason = QLineEdit()
        self.other_reason.setObjectName("otherCouncilReasonEdit")
        self.other_reason.setPlaceholderText("e.g. fleeing domestic abuse in her home area")
        self.reference = QLineEdit()
        self.reference.setObjectName("referenceEdit")
        self.submitted_on = date_edit("submittedOnEdit", None)
        self.status = _choice("statusCombo", STATUS_LABELS, blank=None)
        self.outcome = _choice("outcomeCombo", DTR_OUTCOMES, blank="Not yet known")
        self.outcome_on = date_edit("outcomeOnEdit", None)
        self.withdrawal_reason = _choice("withdrawalReasonCombo", WITHDRAWAL_REASONS)
        self.crs_service = _choice("crsServiceCombo", CRS_SERVICES)
        self.complexity = _choice("complexityCombo", CRS_COMPLEXITY)
        self.desired_outcomes = QPlainTextEdit()
        self.desired_outcomes.setObjectName("desiredOutcomesEdit")
        self.desired_outcomes.setTabChangesFocus(True)
        self.desired_outcomes.setFixedHeight(self.desired_outcomes.fontMetrics().height() * 3 + 14)
        self.provider = QLineEdit()
        self.provider.setObjectName("providerEdit")
        self.provider.setPlaceholderText("Organisation the referral goes to")
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("referralNotesEdit")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().height() * 3 + 14)

        self.editors: dict[str, QWidget] = {
            "council_code": self.council, "council_choice": self.council_choice,
            "other_council_reason": self.other_reason, "reference": self.reference,
            "crs_service": self.crs_service, "complexity": self.complexity,
            "desired_outcomes": self.desired_outcomes, "provider": self.provider,
            "status": self.status, "submitted_on": self.submitted_on,
            "outcome": self.outcome, "outcome_on": self.outcome_on,
            "withdrawal_reason": self.withdrawal_reason, "notes": self.notes,
        }
        labels = {
            "council_code": "Council:", "council_choice": "Why this council:",
            "other_council_reason": "Reason:", "reference": "Council reference:",
            "crs_service": "CRS service:", "complexity": "Complexity:",
            "desired_outcomes": "Desired outcomes:", "provider": "Provider:",
            "status": "Status:", "submitted_on": "Submitted on:", "outcome": "Decision:",
            "outcome_on": "Decision on:", "withdrawal_reason": "Why withdrawn:",
            "notes": "Notes:",
        }
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow("Type:", self.type_combo)
        self.rows: dict[str, QWidget] = {}
        self.errors: dict[str, _FieldError] = {}
        for key, editor in self.editors.items():
            # The error is a row of its own: QFormLayout sizes wrapped text in a row properly.
            error = _FieldError(editor)
            self.rows[key], self.errors[key] = editor, error
            self.form.addRow(labels[key], editor)
            self.form.addRow("", error)

        heading = QLabel(f"<b>{person.family_name.upper()}, {person.given_names}</b> "
                         f"({person.prison_number})")
        heading.setTextFormat(Qt.TextFormat.RichText)

        # Administrators only: the legal basis for sharing without her consent.
        self.exception_toggle = QToolButton()
        self.exception_toggle.setObjectName("exceptionToggle")
        self.exception_toggle.setText("Consent exception (legal basis)")
        self.exception_toggle.setCheckable(True)
        self.exception_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.exception_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.exception_toggle.setAutoRaise(True)
        self.exception = QPlainTextEdit()
        self.exception.setObjectName("consentExceptionEdit")
        self.exception.setTabChangesFocus(True)
        self.exception.setPlaceholderText(
            "Only where the law allows sharing without her consent: say which basis and why.")
        self.exception.setFixedHeight(self.exception.fontMetrics().height() * 3 + 14)
        self.exception.hide()
        self.exception_toggle.toggled.connect(self._toggle_exception)
        is_admin = ws.can(Permission.MANAGE_USERS)
        self.exception_toggle.setVisible(is_admin)
        self.exception_note = QLabel()
        self.exception_note.setObjectName("exceptionNote")
        self.exception_note.setWordWrap(True)
        self.exception_note.setTextFormat(Qt.TextFormat.PlainText)
        if referral is not None and referral.consent_exception:
            self.exception_note.setText(
                f"Consent exception recorded: {referral.consent_exception}")
        self.exception_note.setVisible(bool(self.exception_note.text()))

        self.summary = ErrorLabel()
        self.summary.setObjectName("referralSummary")
        self.consent_button = QPushButton("Record consent…")
        self.consent_button.setObjectName("dialogConsentButton")
        self.consent_button.clicked.connect(self.record_consent)
        self.consent_button.hide()
        self.info = QLabel()
        self.info.setObjectName("referralInfo")
        self.info.setWordWrap(True)
        self.info.hide()
        summary_row = QHBoxLayout()
        summary_col = QVBoxLayout()
        summary_col.addWidget(self.summary)
        summary_col.addWidget(self.info)
        summary_row.addLayout(summary_col, 1)
        summary_row.addWidget(self.consent_button, 0, Qt.AlignmentFlag.AlignTop)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveReferralButton")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(self.form)
        layout.addWidget(self.exception_note)
        layout.addWidget(self.exception_toggle)
        layout.addWidget(self.exception)
        layout.addLayout(summary_row)
        layout.addStretch(1)
        layout.addWidget(buttons)

        self._fill(referral)
        self.type_combo.currentIndexChanged.connect(lambda _i: self._update_rows())
        self.council_choice.currentIndexChanged.connect(lambda _i: self._update_rows())
        self.status.currentIndexChanged.connect(lambda _i: self._update_rows())
        self._update_rows()

    # --- filling and reading -------------------------------------------------------------
    def _fill(self, referral: ReferralView | None) -> None:
        if referral is None:
            _select(self.council, self.person.home_local_authority or "")
            return
        d = referral.draft
        _select(self.type_combo, d.type)
        _select(self.council, d.council_code)
        _select(self.council_choice, d.council_choice)
        self.other_reason.setText(d.other_council_reason)
        self.reference.setText(d.reference)
        self.submitted_on.setText(d.submitted_on.strftime("%d/%m/%Y") if d.submitted_on else "")
        _select(self.status, d.status)
        _select(self.outcome, d.outcome)
        self.outcome_on.setText(d.outcome_on.strftime("%d/%m/%Y") if d.outcome_on else "")
        _select(self.withdrawal_reason, d.withdrawal_reason)
        _select(self.crs_service, d.crs_service)
        _select(self.complexity, d.complexity)
        self.desired_outcomes.setPlainText(d.desired_outcomes)
        self.provider.setText(d.provider)
        self.notes.setPlainText(d.notes)

    def referral_type(self) -> str:
        return str(self.type_combo.currentData())

    def visible_fields(self) -> set[str]:
        shown = set(TYPE_FIELDS[self.referral_type()])
        if self.council_choice.currentData() != CouncilChoice.OTHER_COUNCIL:
            shown.discard("other_council_reason")
        if self.status.currentData() != ReferralStatus.WITHDRAWN:
            shown.discard("withdrawal_reason")
        return shown

    def _update_rows(self) -> None:
        shown = self.visible_fields()
        for key, row in self.rows.items():
            self.form.setRowVisible(row, key in shown)
            error = self.errors[key]
            self.form.setRowVisible(error, key in shown and bool(error.text()))
        self._fit()

    def _toggle_exception(self, on: bool) -> None:
        self.exception.setVisible(on)
        self.exception_toggle.setArrowType(Qt.ArrowType.DownArrow if on
                                           else Qt.ArrowType.RightArrow)
        self._fit()

    def _fit(self) -> None:
        """Grow (never shrink below her chosen size) so wrapped errors and new rows show."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        width = max(self.width(), self.minimumSizeHint().width())
        height = (layout.totalHeightForWidth(width) if layout.hasHeightForWidth()
                  else layout.totalSizeHint().height())
        self.resize(width, max(height, layout.totalMinimumSize().height()))

    def _council_code(self) -> str:
        text = self.council.currentText().strip()
        if not text:
            return ""
        index = self.council.findText(text, Qt.MatchFlag.MatchFixedString)
        return str(self.council.itemData(index)) if index > 0 else text

    def read_draft(self) -> tuple[ReferralDraft | None, dict[str, str]]:
        """The draft from the fields shown (hidden ones are left empty), or date errors."""
        shown = self.visible_fields()
        values: dict[str, object] = {"type": self.referral_type(),
                                     "status": self.status.currentData()}
        errors: dict[str, str] = {}
        for key in DATE_FIELDS:
            edit = self.editors[key]
            assert isinstance(edit, QLineEdit)
            if key not in shown or not edit.text().strip():
                continue
            try:
                values[key] = parse_uk_date(edit.text())
            except ValueError as exc:
                errors[key] = str(exc)
        text_fields = {
            "council_code": self._council_code,
            "council_choice": self.council_choice.currentData,
            "other_council_reason": self.other_reason.text,
            "reference": self.reference.text,
            "outcome": self.outcome.currentData,
            "withdrawal_reason": self.withdrawal_reason.currentData,
            "provider": self.provider.text,
            "crs_service": self.crs_service.currentData,
            "complexity": self.complexity.currentData,
            "desired_outcomes": self.desired_outcomes.toPlainText,
            "notes": self.notes.toPlainText,
        }
        for key, read in text_fields.items():
            if key in shown:
                values[key] = str(read() or "").strip()
        if errors:
            return None, errors
        return ReferralDraft(**values), {}  # type: ignore[arg-type]

    # --- saving --------------------------------------------------------------------------
    def show_errors(self, errors: dict[str, str]) -> None:
        self.info.hide()
        shown = self.visible_fields()
        for key, label in self.errors.items():
            label.show_message(errors.get(key, "") if key in shown else "")
            self.form.setRowVisible(label, bool(label.text()))
        others = [msg for key, msg in errors.items()
                  if key in SUMMARY_KEYS or key not in shown or key not in self.errors]
        self.summary.show_message("\n".join(dict.fromkeys(others)))
        self.consent_button.setVisible("consent" in errors
                                       and self.ws.can(Permission.EDIT_PEOPLE))
        self._fit()

    def save(self) -> bool:
        draft, errors = self.read_draft()
        if draft is None:
            self.show_errors(errors)
            return False
        exception = self.exception.toPlainText() if self.exception_toggle.isChecked() else ""
        done = ops_for(self.ws).run(
            self, referrals.save, self.ws, self.person_id, draft,
            referral_id=self.referral.id if self.referral else None,
            expected_version=self.referral.version if self.referral else None,
            consent_exception=exception, on_error=beside_fields(self.show_errors, self.summary))
        if not done.ok or done.value is None:
            return False
        self.show_errors({})
        self.saved_id, self.result_warnings = done.value.referral_id, done.value.warnings
        self.accept()
        return True


    def record_consent(self) -> ConsentDialog:
        dialog = ConsentDialog(self.ws, self.person_id, self)
        _select(dialog.scope, self.referral_type())
        dialog.accepted.connect(self._consent_recorded)
        self.consent_dialog = dialog
        dialog.open()
        return dialog

    def _consent_recorded(self) -> None:
        self.show_errors({})
        self.info.setText("Consent recorded: save the referral again.")
        self.info.show()
