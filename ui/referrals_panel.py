"""The Referrals tab: her consent to share data, and the referrals that leave the prison."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.codes import ConsentMethod, CouncilChoice, ReferralStatus, ReferralType
from app.domain.dates import parse_uk_date, uk_date
from app.domain.person import PersonDraft
from app.domain.reference import local_authorities
from app.domain.referrals import (
    CONSENT_METHODS,
    COUNCIL_CHOICE,
    CRS_COMPLEXITY,
    CRS_SERVICES,
    DTR_OUTCOMES,
    TYPE_LABELS,
    WITHDRAWAL_REASONS,
)
from app.domain.roles import Permission
from app.domain.timezone import today_london
from app.errors import UserError, ValidationFailed
from app.services import consent, referrals
from app.services.changes import Kind
from app.services.consent import ConsentView
from app.services.referrals import ReferralEventView, ReferralView
from app.services.workspace import Workspace
from ui.consent_dialog import ConsentDialog, date_edit
from ui.dialog_parts import ErrorLabel, fill_row, fit_columns, london_time, read_only_table
from ui.ops import follow_her, ops_for
from ui.referral_dialog import STATUS_LABELS, ReferralDialog

SHORT_TYPES = {ReferralType.DUTY_TO_REFER: "Duty to refer", ReferralType.CRS: "CRS",
               ReferralType.CAS3: "CAS3", ReferralType.SUPPORTED_HOUSING: "Supported housing",
               ReferralType.OTHER: "Other"}
CONSENT_STATES = {  # word, colour: never colour alone
    "Recorded": "#1d6b27",
    "Exception": "#8a4b00",
    "MISSING": "#a4000f",
}
WARNING_COLOUR = "#8a4b00"
SHORT_METHODS = {ConsentMethod.VERBAL: "Verbal", ConsentMethod.SIGNED_FORM: "Signed form",
                 ConsentMethod.INTERPRETER: "Interpreter"}
FIELD_LABELS = {
    "type": "type", "status": "status", "council_code": "council",
    "council_choice": "why this council", "other_council_reason": "reason for another council",
    "reference": "reference", "submitted_on": "submitted on", "outcome": "decision",
    "outcome_on": "decision on", "withdrawal_reason": "why withdrawn", "provider": "provider",
    "crs_service": "CRS service", "complexity": "complexity",
    "desired_outcomes": "desired outcomes", "notes": "notes",
    "consent_exception": "consent exception",
}
_CODE_LABELS = {**STATUS_LABELS, **DTR_OUTCOMES, **COUNCIL_CHOICE, **CRS_SERVICES,
                **CRS_COMPLEXITY, **TYPE_LABELS}


def _stretch(table: QTableWidget, wide: int) -> None:
    """Fit a ~560 px tab: short columns sized to their text, one long column takes the rest
    (elided; the whole text is in each row's tooltip), so there is no sideways scrolling."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for index in range(table.columnCount()):
        header.setSectionResizeMode(index, QHeaderView.ResizeMode.Stretch if index == wide
                                    else QHeaderView.ResizeMode.ResizeToContents)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)


def _items(table: QTableWidget, row: int) -> list[QTableWidgetItem]:
    return [item for column in range(table.columnCount())
            if (item := table.item(row, column)) is not None]


def consent_state(view: ReferralView) -> str:
    if view.consent_recorded:
        return "Recorded"
    return "Exception" if view.consent_exception else "MISSING"


def describe_change(field: str, values: list[object]) -> str:
    def show(value: object) -> str:
        if value in (None, ""):
            return "—"
        text = str(value)
        if field == "council_code":
            council = local_authorities().get(text)
            return council.name if council else text
        if field == "withdrawal_reason":
            return WITHDRAWAL_REASONS.get(text, text)
        if field.endswith("_on"):
            try:
                return uk_date(parse_uk_date(text))
            except ValueError:
                return text
        return _CODE_LABELS.get(text, text)

    before, after = (values + [None, None])[:2]
    label = FIELD_LABELS.get(field, field.replace("_", " "))
    return f"{label}: {show(before)} → {show(after)}" if before not in (None, "") \
        else f"{label}: {show(after)}"


class _WithdrawDialog(QDialog):
    """When she withdrew her consent (default today); errors shown inline."""

    def __init__(self, ws: Workspace, view: ConsentView, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("withdrawConsentDialog")
        self.setWindowTitle("Withdraw consent")
        self.ws, self.view = ws, view
        self.date = date_edit("withdrawnOnEdit", today_london())
        self.error = ErrorLabel()
        what = consent.SCOPES.get(view.scope, view.scope)
        intro = QLabel(f"{what}, shared with {view.shared_with}, given on "
                       f"{uk_date(view.given_on)}.")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        form = QFormLayout()
        form.addRow("Withdrawn on:", self.date)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Withdraw")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)

    def save(self) -> bool:
        try:
            withdrawn_on = parse_uk_date(self.date.text())
        except ValueError as exc:
            self.error.show_message(str(exc))
            return False
        done = ops_for(self.ws).run(self, consent.withdraw, self.ws, self.view.id, withdrawn_on,
                                    on_error=self._show_inline)
        if done.ok:
            self.accept()
        return done.ok

    def _show_inline(self, exc: UserError) -> bool:
        """A refused date (before she consented) is told in the dialog, where it was typed."""
        if isinstance(exc, ValidationFailed):
            self.error.show_message("\n".join(exc.errors.values()))
        else:
            self.error.show_exception(exc)
        return True


class _HistoryDialog(QDialog):
    """Who changed a referral, when, and what changed (newest first)."""

    def __init__(self, events: list[ReferralEventView], title: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("referralHistoryDialog")
        self.setWindowTitle(f"History: {title}")
        self.table = read_only_table("historyTable", ["When", "Who", "Action", "Changes"])
        self.table.setRowCount(len(events))
        for row, event in enumerate(events):
            changes = [describe_change(k, list(v)) for k, v in event.changes.items()]
            fill_row(self.table, row, [
                (london_time(event.at), event.at), (event.username, None),
                (event.action.capitalize(), None), ("; ".join(changes), None)])
            _items(self.table, row)[3].setToolTip("\n".join(changes))
        fit_columns(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(720, 320)


class ReferralsPanel(QWidget):
    # The kinds of record this tab shows: a change to her in any of them re-shows her.
    WATCHES = (Kind.PEOPLE, Kind.REFERRALS, Kind.CONSENT, Kind.NEEDS, Kind.SCREENING,
                  Kind.PLAN, Kind.BUNDLES)
    """Her consents and referrals. The dialogs save through the operation runner and the change
    events re-show this tab (ui/main_window.py): nothing here reloads itself or anyone else."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops_for(ws)
        self.person_id: int | None = None
        self.person: PersonDraft | None = None
        self.watcher = follow_her(self, ws, self.WATCHES)
        self.consents: list[ConsentView] = []
        self.referrals: list[ReferralView] = []
        self.dialog: QDialog | None = None  # the sub-dialog open now, kept alive here
        self.councils = {la.code: la.name for la in local_authorities().values()}
        can_edit = ws.can(Permission.EDIT_PEOPLE)

        consent_box = QGroupBox("Consent to share her data")
        self.consent_table = read_only_table(
            "consentTable", ["Consent to", "Shared with", "Given", "How", "Withdrawn"])
        _stretch(self.consent_table, 1)
        self.consent_table.itemSelectionChanged.connect(self._update_buttons)
        self.record_button = QPushButton("Record consent…")
        self.record_button.setObjectName("recordConsentButton")
        self.record_button.clicked.connect(self.record_consent)
        self.record_button.setEnabled(can_edit)
        self.withdraw_button = QPushButton("Withdraw…")
        self.withdraw_button.setObjectName("withdrawConsentButton")
        self.withdraw_button.clicked.connect(self.withdraw_consent)
        row = QHBoxLayout()
        row.addWidget(self.record_button)
        row.addWidget(self.withdraw_button)
        row.addStretch(1)
        consent_layout = QVBoxLayout(consent_box)
        consent_layout.addWidget(self.consent_table, 1)
        consent_layout.addLayout(row)

        referrals_box = QGroupBox("Referrals")
        self.referrals_table = read_only_table(
            "referralsTable", ["Type", "Status", "Council or provider", "Submitted", "Consent"])
        _stretch(self.referrals_table, 2)
        self.referrals_table.itemSelectionChanged.connect(self._update_buttons)
        self.referrals_table.cellDoubleClicked.connect(lambda _r, _c: self.edit_referral())
        self.detail = QLabel()
        self.detail.setObjectName("referralDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.warnings = QLabel()
        self.warnings.setObjectName("referralWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.PlainText)
        self.warnings.setStyleSheet(f"color: {WARNING_COLOUR}; font-weight: 600;")
        self.warnings.hide()
        self.new_button = QPushButton("New referral…")
        self.new_button.setObjectName("newReferralButton")
        self.new_button.clicked.connect(self.new_referral)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setObjectName("editReferralButton")
        self.edit_button.clicked.connect(self.edit_referral)
        self.history_button = QPushButton("History…")
        self.history_button.setObjectName("historyButton")
        self.history_button.clicked.connect(self.show_history)
        self.export_button = QPushButton("Export signed bundle…")
        self.export_button.setObjectName("exportBundleButton")
        self.export_button.clicked.connect(self.export_bundle)
        row = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.history_button,
                       self.export_button):
            row.addWidget(button)
        row.addStretch(1)
        referrals_layout = QVBoxLayout(referrals_box)
        referrals_layout.addWidget(self.referrals_table, 1)
        referrals_layout.addWidget(self.detail)
        referrals_layout.addWidget(self.warnings)
        referrals_layout.addLayout(row)

        layout = QVBoxLayout(self)
        layout.addWidget(consent_box, 2)
        layout.addWidget(referrals_box, 3)
        self._update_buttons()

    # --- data ----------------------------------------------------------------------------
    def show_person(self, person_id: int, person: PersonDraft) -> None:
        if person_id != self.person_id:
            self._show_warnings(())
        self.person_id, self.person = person_id, person
        self.refresh()

    def clear(self) -> None:
        self.person_id, self.person, self.consents, self.referrals = None, None, [], []
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None
        self.consent_table.setRowCount(0)
        self.referrals_table.setRowCount(0)
        self._show_warnings(())
        self._update_buttons()

    def refresh(self) -> None:
        if self.person_id is None:
            return
        consents = self.ops.run(self, consent.consents_for, self.ws, self.person_id)
        if not consents.ok:
            return
        found = self.ops.run(self, referrals.referrals_for, self.ws, self.person_id)
        if not found.ok:
            return
        self.consents, self.referrals = consents.value or [], found.value or []
        self._fill_consents()
        self._fill_referrals()
        self._update_buttons()

    def _fill_consents(self) -> None:
        table = self.consent_table
        table.setRowCount(len(self.consents))
        for line, c in enumerate(self.consents):
            scope = "All referrals" if c.scope == consent.ALL_REFERRALS \
                else SHORT_TYPES.get(c.scope, c.scope)
            fill_row(table, line, [
                (scope, None), (c.shared_with, None), (uk_date(c.given_on), c.given_on),
                (SHORT_METHODS.get(c.method, c.method), None),
                (uk_date(c.withdrawn_on), c.withdrawn_on or ""),
            ])
            tip = [f"{consent.SCOPES.get(c.scope, c.scope)}",
                   f"Shared with: {c.shared_with}",
                   f"Given on {uk_date(c.given_on)} "
                   f"({CONSENT_METHODS.get(c.method, c.method).lower()}), "
                   f"recorded by {c.recorded_by}"]
            if c.withdrawn_on:
                tip.append(f"Withdrawn on {uk_date(c.withdrawn_on)}")
            if c.notes:
                tip.append(f"Notes: {c.notes}")
            for item in _items(table, line):
                item.setToolTip("\n".join(tip))
                if c.withdrawn_on:
                    item.setForeground(QColor("#6b6b6b"))

    def _fill_referrals(self) -> None:
        table = self.referrals_table
        table.setRowCount(len(self.referrals))
        for line, r in enumerate(self.referrals):
            d = r.draft
            where = self.councils.get(d.council_code, d.council_code) \
                if d.type == ReferralType.DUTY_TO_REFER else d.provider
            state = consent_state(r)
            fill_row(table, line, [
                (SHORT_TYPES.get(d.type, d.type), None),
                (STATUS_LABELS.get(d.status, d.status), None),
                (where, None),
                (uk_date(d.submitted_on), d.submitted_on or ""),
                (state, None),
            ])
            tip = self._describe(r)
            cells = _items(table, line)
            for item in cells:
                item.setToolTip(tip)
            cell = cells[4]
            cell.setForeground(QColor(CONSENT_STATES[state]))
            font = cell.font()
            font.setBold(state != "Recorded")
            cell.setFont(font)

    def _describe(self, r: ReferralView) -> str:
        d = r.draft
        lines = [f"{TYPE_LABELS.get(d.type, d.type)} — {STATUS_LABELS.get(d.status, d.status)}"]
        if d.type == ReferralType.DUTY_TO_REFER:
            council = self.councils.get(d.council_code, d.council_code)
            lines.append(f"Council: {council} ({COUNCIL_CHOICE.get(d.council_choice, '—')})")
            if d.council_choice == CouncilChoice.OTHER_COUNCIL and d.other_council_reason:
                lines.append(f"Reason: {d.other_council_reason}")
            if d.reference:
                lines.append(f"Reference: {d.reference}")
        if d.type == ReferralType.CRS:
            lines.append(f"Service: {CRS_SERVICES.get(d.crs_service, d.crs_service)}, "
                         f"complexity {CRS_COMPLEXITY.get(d.complexity, d.complexity).lower()}")
        if d.provider:
            lines.append(f"Provider: {d.provider}")
        if d.submitted_on:
            lines.append(f"Submitted on {uk_date(d.submitted_on)}")
        if d.outcome:
            when = f" on {uk_date(d.outcome_on)}" if d.outcome_on else ""
            lines.append(f"Decision: {DTR_OUTCOMES.get(d.outcome, d.outcome)}{when}")
        if r.expires_on:
            lines.append(f"Expires on {uk_date(r.expires_on)} (26 weeks after submission)")
        if d.status == ReferralStatus.WITHDRAWN and d.withdrawal_reason:
            lines.append(f"Withdrawn: {WITHDRAWAL_REASONS.get(d.withdrawal_reason, '')}")
        state = consent_state(r)
        lines.append({"Recorded": "Consent recorded",
                      "Exception": f"Consent exception: {r.consent_exception}",
                      "MISSING": "Consent MISSING: record it before submitting"}[state])
        return "\n".join(lines)

    def _show_warnings(self, warnings: tuple[str, ...]) -> None:
        self.warnings.setText("\n".join(f"⚠ {w}" for w in warnings))
        self.warnings.setVisible(bool(warnings))

    # --- selection -----------------------------------------------------------------------
    def selected_consent(self) -> ConsentView | None:
        rows = self.consent_table.selectionModel().selectedRows()
        return self.consents[rows[0].row()] if rows else None

    def selected_referral(self) -> ReferralView | None:
        rows = self.referrals_table.selectionModel().selectedRows()
        return self.referrals[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        can_edit = self.ws.can(Permission.EDIT_PEOPLE) and self.person_id is not None
        chosen = self.selected_consent()
        referral = self.selected_referral()
        self.record_button.setEnabled(can_edit)
        self.withdraw_button.setEnabled(can_edit and chosen is not None
                                        and chosen.withdrawn_on is None)
        self.new_button.setEnabled(can_edit)
        self.edit_button.setEnabled(can_edit and referral is not None)
        self.history_button.setEnabled(referral is not None)
        self.export_button.setEnabled(referral is not None and self.ws.can(Permission.EXPORT))
        if referral is not None:
            self.detail.setText(self._describe(referral).replace("\n", " · "))
        elif self.referrals:
            self.detail.setText("Choose a referral to see its details.")
        else:
            self.detail.setText("")
        self.detail.setVisible(bool(self.detail.text()))

    # --- actions -------------------------------------------------------------------------
    def _keep(self, dialog: QDialog, on_accept: Callable[[], None] | None = None) -> QDialog:
        if on_accept is not None:
            dialog.accepted.connect(on_accept)
        self.dialog = dialog
        dialog.open()
        return dialog

    def record_consent(self) -> ConsentDialog | None:
        if self.person_id is None:
            return None
        dialog = ConsentDialog(self.ws, self.person_id, self)
        self._keep(dialog)
        return dialog

    def withdraw_consent(self) -> _WithdrawDialog | None:
        chosen = self.selected_consent()
        if chosen is None:
            return None
        dialog = _WithdrawDialog(self.ws, chosen, self)
        self._keep(dialog)
        return dialog

    def new_referral(self) -> ReferralDialog | None:
        return self._open_referral(None)

    def edit_referral(self) -> ReferralDialog | None:
        chosen = self.selected_referral()
        return self._open_referral(chosen) if chosen is not None else None

    def _open_referral(self, referral: ReferralView | None) -> ReferralDialog | None:
        if self.person_id is None or self.person is None:
            return None
        if not self.ws.can(Permission.EDIT_PEOPLE):
            return None
        dialog = ReferralDialog(self.ws, self.person_id, self.person, self, referral=referral)

        def done() -> None:
            # The tab was re-shown by the change events as the referral was saved (and as
            # any consent recorded from inside the dialog was, even if it is then cancelled).
            self._show_warnings(dialog.result_warnings)
            self._select_referral(dialog.saved_id)

        self._keep(dialog, done)
        return dialog

    def _select_referral(self, referral_id: int | None) -> None:
        for line, r in enumerate(self.referrals):
            if r.id == referral_id:
                self.referrals_table.selectRow(line)

    def export_bundle(self) -> QDialog | None:
        """Preview what will leave, then write the signed bundle (ui.bundle_dialogs)."""
        from ui.bundle_dialogs import ExportBundleDialog

        chosen = self.selected_referral()
        if chosen is None:
            return None
        dialog = ExportBundleDialog(self.ws, chosen.id, self)
        self._keep(dialog, self._exported)
        return dialog

    def _exported(self) -> None:
        dialog = self.dialog
        made = getattr(dialog, "exported", None)
        if made is not None:
            self.detail.setText(f"Bundle written and checked: {made.path} "
                                f"(id {made.bundle_id[:8]})")  # fmt: skip
            self.detail.setVisible(True)

    def show_history(self) -> _HistoryDialog | None:
        chosen = self.selected_referral()
        if chosen is None:
            return None
        events = self.ops.run(self, referrals.history, self.ws, chosen.id)
        if not events.ok:
            return None
        title = TYPE_LABELS.get(chosen.draft.type, chosen.draft.type)
        dialog = _HistoryDialog(events.value or [], title, self)
        self.dialog = dialog
        dialog.open()
        return dialog
