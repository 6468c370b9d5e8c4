"""The Release day tab: what is done and what is missing on her release morning, then the outcome.

Opened on the morning she leaves: her release time and risks in words at the top, the checklist
with what still blocks sign-off, and afterwards where she went and whether it lasted 12 weeks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain import release_day as rules
from app.domain.codes import ChecklistState
from app.domain.dates import hhmm, parse_uk_date, uk_date
from app.domain.person import PersonDraft
from app.domain.release_risks import RISK_LABELS, ReleaseRisk, release_risks
from app.domain.roles import Permission
from app.domain.timezone import today_london
from app.errors import UserError, ValidationFailed
from app.services import release_day
from app.services.changes import Kind
from app.services.release_day import ChecklistView, ItemView, OutcomeView
from app.services.workspace import Workspace
from ui.dialog_parts import (
    ERROR_COLOUR,
    ErrorLabel,
    fill_row,
    fit_columns,
    london_time,
    read_only_table,
)
from ui.ops import follow_her, ops_for

ACTION_WORDS = {"generated": "Started", "item_changed": "Item changed",
                "item_added": "Item added", "signed_off": "Signed off"}
NEEDS_REASON = rules.NEEDS_REASON
PROBLEMS_SHOWN = 6  # the rest are the items marked "To do" in the table
METHODS = release_day.CONTACT_METHODS
RISK_STYLE = (f"QLabel#riskBox {{ background: #fff4e5; color: #5c1a00; border: 2px solid "
              f"{ERROR_COLOUR}; border-radius: 4px; padding: 6px; }}")
PROBLEM_STYLE = (f"QLabel#problemsLabel {{ background: #fdecee; color: {ERROR_COLOUR}; "
                 f"border-left: 4px solid {ERROR_COLOUR}; padding: 6px; }}")


def state_label(state: str) -> str:
    return rules.STATE_LABELS.get(state, state)


def accommodation_text(code: str) -> str:
    """"A01C — Private rented (settled)", as the combo and the outcome line show it."""
    label = rules.ACCOMMODATION_CODES.get(code, (code, ""))[0]
    category = rules.outcome_category(code)
    kind = rules.CATEGORY_LABELS.get(category, category).lower()
    if category == rules.UNKNOWN_CATEGORY or f"({kind})" in label:
        return f"{code} — {label}"
    return f"{code} — {label} ({kind})"


def date_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText("DD/MM/YYYY")
    edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("00/00/00000") + 24)
    return edit


def lines_box(name: str, lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


def summary_line(items: tuple[ItemView, ...] | list[ItemView]) -> str:
    """"9 of 16 done · 5 to do · 1 blocked" (and how many are not needed, if any)."""
    count = {state: sum(1 for i in items if i.state == state) for state in rules.ITEM_STATES}
    parts = [f"{count[ChecklistState.DONE]} of {len(items)} done",
             f"{count[ChecklistState.OPEN]} to do", f"{count[ChecklistState.BLOCKED]} blocked"]
    if count[ChecklistState.NOT_NEEDED]:
        parts.append(f"{count[ChecklistState.NOT_NEEDED]} not needed")
    return " · ".join(parts)


def problem_lines(problems: tuple[str, ...] | list[str]) -> str:
    """What still blocks sign-off, as bullets (the first few; the rest are the To do rows)."""
    shown = list(problems[:PROBLEMS_SHOWN])
    more = len(problems) - len(shown)
    if more:
        shown.append(f"…and {more} more: see the items marked To do.")
    return "\n".join(f"• {p}" for p in shown)


def describe_changes(changes: dict) -> str:
    """An event's changes in words: "Phone: state To do → Done; reason — → Has none"."""
    parts = []
    if changes.get("title"):
        parts.append(str(changes["title"]))
    for key in ("state", "reason", "details"):
        value = changes.get(key)
        if isinstance(value, (tuple, list)) and len(value) == 2:
            old, new = (state_label(v) if key == "state" else v for v in value)
            parts.append(f"{key} {old or '—'} → {new or '—'}")
    if "states" in changes and isinstance(changes["states"], dict):
        states = list(changes["states"].values())
        parts.append(f"{len(states)} items: " + ", ".join(
            f"{states.count(s)} {state_label(s).lower()}" for s in rules.ITEM_STATES
            if states.count(s)))
    if "items" in changes and isinstance(changes["items"], list):
        parts.append(f"{len(changes['items'])} items")
    if changes.get("risks"):
        parts.append("risks: " + ", ".join(str(r) for r in changes["risks"]))
    if "reason" in changes and isinstance(changes["reason"], str):
        parts.append(changes["reason"])
    return "; ".join(parts)


class AddItemDialog(QDialog):
    """Add a line to her checklist (non-blocking)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("addItemDialog")
        self.setWindowTitle("Add a checklist item")
        self.title = QLineEdit()
        self.title.setObjectName("itemTitle")
        self.title.setMinimumWidth(360)
        self.title.setPlaceholderText("e.g. Collect her methadone script from the pharmacy")
        form = QFormLayout()
        form.addRow("Item:", self.title)
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)


class DateChangeDialog(QDialog):
    """Confirm a release on another day than her recorded date, and say why (non-blocking).

    A day typed wrong (today's date left in the box for a woman due out in weeks) must not pass
    unnoticed: the service refuses it without a reason, and this asks for one beside the field.
    """

    def __init__(self, question: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("dateChangeDialog")
        self.setWindowTitle("Released on another day?")
        self.question = QLabel(question)
        self.question.setObjectName("dateChangeQuestion")
        self.question.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("dateChangeReason")
        self.reason.setMinimumWidth(360)
        self.reason.setPlaceholderText("e.g. Released early by the court")
        self.error = ErrorLabel()
        self.error.setObjectName("dateChangeError")
        form = QFormLayout()
        form.addRow("Why:", self.reason)
        form.addRow("", self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Record outcome")
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addLayout(form)
        layout.addWidget(self.buttons)


class HistoryDialog(QDialog):
    """Every change to her checklist, marking those made after sign-off (non-blocking)."""

    def __init__(self, rows: list, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("checklistHistory")
        self.setWindowTitle("Release-day checklist: history")
        self.table = read_only_table("historyTable", ["When", "Who", "What", "Changes", "Sign-off"])
        self.table.setWordWrap(True)
        self.table.setRowCount(len(rows))
        late = 0
        for line, (at, user, action, changes, after) in enumerate(rows):
            late += bool(after)
            fill_row(self.table, line, [
                (london_time(at), at), (user, None), (ACTION_WORDS.get(action, action), None),
                (describe_changes(changes), None),
                ("After sign-off" if after else "", None),
            ])
            if after:
                for column in range(5):
                    item = self.table.item(line, column)
                    if item is not None:
                        font = item.font()
                        font.setBold(True)
                        item.setFont(font)
        fit_columns(self.table)
        self.table.setColumnWidth(3, min(self.table.columnWidth(3), 360))
        self.table.resizeRowsToContents()
        note = QLabel(f"{len(rows)} change(s); {late} made after sign-off." if rows
                      else "Nothing has been recorded yet.")
        note.setObjectName("historyNote")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(820, 380)


class ReleaseDayPanel(QWidget):
    """Her release day. Actions go through the operation runner; the panel does not reload
    itself afterwards: the change events re-show her (during the service call, so a handler
    reads nothing it took before the call once the call has returned)."""

    # The kinds of record this tab shows: a change to her in any of them re-shows her.
    WATCHES = (Kind.PEOPLE, Kind.RELEASE_DAY, Kind.OUTCOMES, Kind.PLAN, Kind.REFERRALS,
                  Kind.DIRECTORY, Kind.CALENDAR)

    def __init__(self, ws: Workspace, parent: QWidget | None = None,
                 today: Callable[[], date] = today_london) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops_for(ws)
        self._today = today
        self.person_id: int | None = None
        self.person: PersonDraft | None = None
        self.watcher = follow_her(self, ws, self.WATCHES)
        self.checklist: ChecklistView | None = None
        self.outcome: OutcomeView | None = None
        self.contacts: list = []
        self.add_dialog: AddItemDialog | None = None
        self.history_dialog: HistoryDialog | None = None
        self.date_dialog: DateChangeDialog | None = None
        self._selected_id: int | None = None
        # The item the form was last filled for, and what it was filled with: a refresh keeps
        # what she has typed since (see _item_selected).
        self._loaded: tuple[int, str, str, str] | None = None
        self._refusal_shown = False  # sign_error lists what blocked sign-off (see _show_checklist)
        self.file_dialog: QWidget | None = None

        # --- her release, and its risks in words
        self.release_label = QLabel()
        self.release_label.setObjectName("releaseLabel")
        self.release_label.setWordWrap(True)
        self.risk_box = QLabel()
        self.risk_box.setObjectName("riskBox")
        self.risk_box.setWordWrap(True)
        self.risk_box.setTextFormat(Qt.TextFormat.PlainText)
        self.risk_box.setStyleSheet(RISK_STYLE)

        # --- no checklist yet
        self.start_label = QLabel("No release-day checklist yet. Start it on her release "
                                  "morning to see what is done and what is missing.")
        self.start_label.setObjectName("startLabel")
        self.start_label.setWordWrap(True)
        self.start_button = QPushButton("Start the release-day checklist")
        self.start_button.setObjectName("startChecklistButton")
        self.start_button.clicked.connect(self.start_checklist)
        self.start_row = QWidget()
        start_layout = QHBoxLayout(self.start_row)
        start_layout.setContentsMargins(0, 0, 0, 0)
        start_layout.addWidget(self.start_label, 1)
        start_layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignTop)

        # --- the checklist
        self.checklist_box = QGroupBox("Release-day checklist")
        self.summary = QLabel()
        self.summary.setObjectName("checklistSummary")
        bold = QFont(self.summary.font())
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.1)
        self.summary.setFont(bold)
        self.problems = QLabel()
        self.problems.setObjectName("problemsLabel")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setStyleSheet(PROBLEM_STYLE)
        self.signed = QLabel()
        self.signed.setObjectName("signedOffLabel")
        self.signed.setWordWrap(True)
        self.items_table = read_only_table("itemsTable", ["Item", "State", "Details / reason"])
        self.items_table.setMinimumHeight(240)
        self.items_table.setWordWrap(True)
        self.items_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.items_table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.items_table.setColumnWidth(2, 150)
        self.items_table.itemSelectionChanged.connect(self._item_selected)

        self.item_box = QGroupBox("Selected item")
        self.item_title = QLabel("Choose an item above to record what happened.")
        self.item_title.setObjectName("itemTitleLabel")
        self.item_title.setWordWrap(True)
        self.state_combo = QComboBox()
        self.state_combo.setObjectName("itemStateCombo")
        for code in rules.ITEM_STATES:
            self.state_combo.addItem(state_label(code), code)
        self.state_combo.currentIndexChanged.connect(self._state_chosen)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("itemReason")
        self.reason_edit.setPlaceholderText("Why it is not needed, or what is blocking it")
        self.details_edit = lines_box("itemDetails")
        self.details_edit.setPlaceholderText("e.g. the address, and who confirmed it and when")
        self.reason_error = ErrorLabel()
        self.reason_error.setObjectName("reasonError")
        self.item_error = ErrorLabel()
        self.item_error.setObjectName("itemError")
        self.save_item_button = QPushButton("Save item")
        self.save_item_button.setObjectName("saveItemButton")
        self.save_item_button.clicked.connect(self.save_item)
        self.item_saved = QLabel()
        self.item_saved.setObjectName("itemSaved")
        item_form = QFormLayout(self.item_box)
        item_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        item_form.addRow(self.item_title)
        item_form.addRow("State:", self.state_combo)
        self.reason_caption = QLabel("Reason:")
        item_form.addRow(self.reason_caption, self._stacked(self.reason_edit, self.reason_error))
        item_form.addRow("Details:", self.details_edit)
        item_form.addRow(self.item_error)
        save_row = QHBoxLayout()
        save_row.addWidget(self.item_saved, 1)
        save_row.addWidget(self.save_item_button)
        item_form.addRow(save_row)

        self.add_button = QPushButton("Add item…")
        self.add_button.setObjectName("addItemButton")
        self.add_button.clicked.connect(self.open_add_dialog)
        self.history_button = QPushButton("History…")
        self.history_button.setObjectName("historyButton")
        self.history_button.clicked.connect(self.open_history)
        self.sign_button = QPushButton("Sign off")
        self.sign_button.setObjectName("signOffButton")
        self.sign_button.clicked.connect(self.sign_off)
        self.sign_error = ErrorLabel()
        self.sign_error.setObjectName("signOffError")
        self.sheet_button = QPushButton("Her day sheet (PDF)…")
        self.sheet_button.setObjectName("releaseSheetButton")
        self.sheet_button.setToolTip("One page for her to keep: what is arranged and who to call")
        self.sheet_button.clicked.connect(self.choose_sheet_file)
        actions = QHBoxLayout()
        actions.addWidget(self.add_button)
        actions.addWidget(self.history_button)
        actions.addWidget(self.sheet_button)
        actions.addStretch(1)
        actions.addWidget(self.sign_button)
        checklist_layout = QVBoxLayout(self.checklist_box)
        checklist_layout.addWidget(self.summary)
        checklist_layout.addWidget(self.signed)
        checklist_layout.addWidget(self.problems)
        checklist_layout.addWidget(self.items_table, 1)
        checklist_layout.addWidget(self.item_box)
        checklist_layout.addLayout(actions)
        checklist_layout.addWidget(self.sign_error)

        # --- the outcome
        self.outcome_box = self._build_outcome()

        content = QWidget()
        inner = QVBoxLayout(content)
        inner.addWidget(self.release_label)
        inner.addWidget(self.risk_box)
        inner.addWidget(self.start_row)
        inner.addWidget(self.checklist_box)
        inner.addWidget(self.outcome_box)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.clear()

    @staticmethod
    def _stacked(widget: QWidget, error: ErrorLabel) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(error)
        return box

    def _build_outcome(self) -> QGroupBox:
        box = QGroupBox("Outcome")
        self.outcome_label = QLabel()
        self.outcome_label.setObjectName("outcomeLabel")
        self.outcome_label.setWordWrap(True)
        self.outcome_label.setTextFormat(Qt.TextFormat.PlainText)
        self.errors: dict[str, ErrorLabel] = {}
        for name in ("released_on", "accommodation_code", "address", "sustained", "on",
                     "notes", "contacted_on", "method", "contact_notes"):
            self.errors[name] = ErrorLabel()
            self.errors[name].setObjectName(f"{name}_error")

        # at release
        self.released_on = date_edit("releasedOn")
        self.accommodation = QComboBox()
        self.accommodation.setObjectName("accommodationCombo")
        self.accommodation.addItem("Choose where she went…", None)
        for code in rules.ACCOMMODATION_CODES:
            self.accommodation.addItem(accommodation_text(code), code)
        self.accommodation.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.accommodation.setMinimumContentsLength(24)
        self.address = lines_box("outcomeAddress", 2)
        self.outcome_error = ErrorLabel()
        self.outcome_error.setObjectName("outcomeError")
        self.record_button = QPushButton("Record outcome")
        self.record_button.setObjectName("recordOutcomeButton")
        self.record_button.clicked.connect(self.save_outcome)
        at_release = QFormLayout()
        at_release.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        at_release.addRow("Released on:", self._stacked(self.released_on,
                                                        self.errors["released_on"]))
        at_release.addRow("Accommodation:", self._stacked(self.accommodation,
                                                          self.errors["accommodation_code"]))
        at_release.addRow("Address:", self._stacked(self.address, self.errors["address"]))
        at_release.addRow(self.outcome_error)
        record_row = QHBoxLayout()
        record_row.addStretch(1)
        record_row.addWidget(self.record_button)
        at_release.addRow(record_row)

        # 12-week follow-up
        self.follow_box = QGroupBox("12-week follow-up")
        self.follow_label = QLabel()
        self.follow_label.setObjectName("followUpLabel")
        self.follow_label.setWordWrap(True)
        self.sustained = QComboBox()
        self.sustained.setObjectName("sustainedCombo")
        self.sustained.addItem("Choose…", None)
        self.sustained.addItem("Yes: still in the same accommodation", True)
        self.sustained.addItem("No: not sustained", False)
        self.sustained_on = date_edit("sustainedOn")
        self.sustained_notes = QLineEdit()
        self.sustained_notes.setObjectName("sustainedNotes")
        self.sustained_notes.setPlaceholderText("How you know, e.g. phoned her CPP")
        self.follow_error = ErrorLabel()
        self.follow_error.setObjectName("followUpError")
        self.sustained_button = QPushButton("Save follow-up")
        self.sustained_button.setObjectName("saveFollowUpButton")
        self.sustained_button.clicked.connect(self.save_sustained)
        follow = QFormLayout(self.follow_box)
        follow.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        follow.addRow(self.follow_label)
        follow.addRow("Sustained?", self._stacked(self.sustained, self.errors["sustained"]))
        follow.addRow("Checked on:", self._stacked(self.sustained_on, self.errors["on"]))
        follow.addRow("Notes:", self._stacked(self.sustained_notes, self.errors["notes"]))
        follow.addRow(self.follow_error)
        follow_row = QHBoxLayout()
        follow_row.addStretch(1)
        follow_row.addWidget(self.sustained_button)
        follow.addRow(follow_row)

        # post-release support contacts
        self.contacts_box = QGroupBox("Support contacts after release")
        self.contacts_table = read_only_table("contactsTable", ["Date", "Method", "By", "Notes"])
        self.contacts_table.setMinimumHeight(110)
        self.contacted_on = date_edit("contactedOn")
        self.method = QComboBox()
        self.method.setObjectName("contactMethod")
        for code, label in METHODS.items():
            self.method.addItem(label, code)
        self.contact_notes = QLineEdit()
        self.contact_notes.setObjectName("contactNotes")
        self.contact_notes.setPlaceholderText("What was discussed")
        self.contact_error = ErrorLabel()
        self.contact_error.setObjectName("contactError")
        self.contact_button = QPushButton("Add contact")
        self.contact_button.setObjectName("addContactButton")
        self.contact_button.clicked.connect(self.save_contact)
        new_contact = QHBoxLayout()
        new_contact.addWidget(self.contacted_on)
        new_contact.addWidget(self.method)
        new_contact.addWidget(self.contact_notes, 1)
        new_contact.addWidget(self.contact_button)
        contacts = QVBoxLayout(self.contacts_box)
        contacts.addWidget(self.contacts_table, 1)
        contacts.addLayout(new_contact)
        for name in ("contacted_on", "method", "contact_notes"):
            contacts.addWidget(self.errors[name])
        contacts.addWidget(self.contact_error)

        layout = QVBoxLayout(box)
        layout.addWidget(self.outcome_label)
        layout.addLayout(at_release)
        layout.addWidget(self.follow_box)
        layout.addWidget(self.contacts_box)
        return box

    # --- data ----------------------------------------------------------------------------
    def show_person(self, person_id: int, person: PersonDraft) -> None:
        if person_id != self.person_id:
            # What was typed for the last woman's item is kept before her record is left (this
            # saves, and the change events re-show her first: still her, as nothing moved yet).
            self._flush_pending(self._selected_id)
            self._selected_id = None
            self.released_on.setText(uk_date(self._today()))
            self.contacted_on.setText(uk_date(self._today()))
            self.sustained_on.setText(uk_date(self._today()))
        self.person_id, self.person = person_id, person
        self.refresh()

    def _typed(self) -> tuple[str, str, str]:
        """The item form as it stands: state, reason, details (as typed)."""
        return (self.state_combo.currentData() or "", self.reason_edit.text(),
                self.details_edit.toPlainText())

    def _unsaved(self, item: ItemView) -> tuple[str, str, str] | None:
        """What was typed for `item` and differs from what is saved (None if nothing): the
        state, reason and details to save for it."""
        state, reason, details = self._typed()
        # As the service keeps them (a reason on one line), so what was saved is not unsaved.
        state, reason, details = state or item.state, " ".join(reason.split()), details.strip()
        if (state, reason, details) == (item.state, item.reason, item.details):
            return None
        return state, reason, details

    def _flush_pending(self, item_id: int | None) -> None:
        """Keep what was typed for an item before moving away from it (another item, another
        woman, the lock, closing the window): nothing on the checklist is lost unsaved."""
        if item_id is None or self.checklist is None or self.ws.locked:
            return
        if self._loaded is None or self._loaded[0] != item_id:
            return  # the form shows another item (or none): nothing typed for this one
        item = next((i for i in self.checklist.items if i.id == item_id), None)
        if item is None:
            return
        typed = self._unsaved(item)
        if typed is None:
            return
        state, reason, details = typed
        if state in NEEDS_REASON and not reason:
            state = item.state  # keep the typed details; the state change needs its reason
        # Saving re-shows her during the call (change events): nothing is read back here.
        # A refusal has nothing valid to keep; its message shows when she saves explicitly.
        self.ops.run(self, release_day.set_item, self.ws, item.id, state=state, reason=reason,
                     details=details, on_error=lambda _exc: True)

    def clear(self) -> None:
        self._flush_pending(self._selected_id)
        self.person_id, self.person, self.checklist, self.outcome = None, None, None, None
        self.contacts = []
        self._selected_id = None
        self._loaded = None
        self._refusal_shown = False
        self.release_label.clear()
        self.risk_box.hide()
        self.start_row.hide()
        self.checklist_box.hide()
        self.outcome_box.hide()
        self.items_table.setRowCount(0)
        self.contacts_table.setRowCount(0)
        for widget in (self.address, self.sustained_notes, self.contact_notes):
            widget.clear()
        self._clear_messages()

    def _clear_messages(self) -> None:
        for error in (*self.errors.values(), self.reason_error, self.item_error,
                      self.sign_error, self.outcome_error, self.follow_error,
                      self.contact_error):
            error.clear_message()
        self.item_saved.clear()

    def refresh(self) -> None:
        if self.person_id is None or self.person is None:
            return
        person_id = self.person_id

        def read() -> tuple[ChecklistView | None, OutcomeView | None,
                            list[tuple[int, date, str, str, str]]]:
            return (release_day.checklist_for(self.ws, person_id, create=False),
                    release_day.outcome_for(self.ws, person_id),
                    list(release_day.contacts_for(self.ws, person_id)))

        found = self.ops.run(self, read)
        if not found.ok or found.value is None:
            return
        self.checklist, self.outcome, self.contacts = found.value
        self._show_release()
        self._show_checklist()
        self._show_outcome()

    def _show_release(self) -> None:
        person = self.person
        assert person is not None
        if person.release_date is None:
            self.release_label.setText("<b>Release:</b> date not known yet")
        else:
            when = f"{person.release_date:%A} {uk_date(person.release_date)}"
            at = f" at {hhmm(person.release_time)}" if person.release_time else \
                 " (time not recorded)"
            self.release_label.setText(f"<b>Release:</b> {when}{at}")
        if self.checklist is not None:
            codes = list(self.checklist.risks)
        else:
            codes = list(release_risks(person.release_date, person.release_time,
                                       person.custody_status))
        words = []
        for code in codes:
            try:
                words.append(RISK_LABELS[ReleaseRisk(code)])
            except ValueError:
                words.append(str(code))
        self.risk_box.setText("\n".join(f"RISK: {w}" for w in words))
        self.risk_box.setVisible(bool(words))

    def _show_checklist(self) -> None:
        checklist = self.checklist
        can_edit = self.ws.can(Permission.EDIT_PEOPLE)
        self.start_row.setVisible(checklist is None)
        self.start_button.setEnabled(can_edit)
        self.checklist_box.setVisible(checklist is not None)
        if checklist is None:
            self.items_table.setRowCount(0)
            return
        self.summary.setText(summary_line(checklist.items))
        if checklist.problems:
            self.problems.setText("Before sign-off:\n" + problem_lines(checklist.problems))
            self.problems.setToolTip("\n".join(checklist.problems))
        self.problems.setVisible(bool(checklist.problems) and checklist.signed_off_at is None)
        if self._refusal_shown:
            # The list beside Sign off was what blocked it then: once the checklist is shown
            # again (an item saved), the box at the top says what blocks it now.
            self._refusal_shown = False
            self.sign_error.clear_message()
        if checklist.signed_off_at is not None:
            self.signed.setText(
                f"✔ Signed off {london_time(checklist.signed_off_at)} by "
                f"{checklist.signed_off_by}; changes after sign-off are recorded.")
            self.signed.setStyleSheet("color: #1d6b27; font-weight: 600;")
        else:
            self.signed.setText("Not signed off yet.")
            self.signed.setStyleSheet("")
        self.sign_button.setVisible(checklist.signed_off_at is None)
        self.sign_button.setEnabled(can_edit)
        self.add_button.setEnabled(can_edit)
        self._fill_items(checklist.items)

    def _fill_items(self, items: tuple[ItemView, ...] | list[ItemView]) -> None:
        table = self.items_table
        chosen = self._selected_id
        table.blockSignals(True)
        table.clearSelection()
        table.setRowCount(len(items))
        for line, item in enumerate(items):
            title = f"{item.title} (required)" if item.required else item.title
            note = item.reason if item.state in NEEDS_REASON and item.reason else item.details
            fill_row(table, line, [(title, None), (state_label(item.state), None),
                                   (note.replace("\n", "; "), None)])
            tip = item.title + ("\nRequired before sign-off" if item.required else "")
            if item.reason:
                tip += f"\nReason: {item.reason}"
            if item.details:
                tip += f"\n{item.details}"
            for column in range(3):
                cell = table.item(line, column)
                if cell is None:
                    continue
                cell.setToolTip(tip)
                if item.state in (ChecklistState.OPEN, ChecklistState.BLOCKED) and column == 1:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                    if item.state == ChecklistState.BLOCKED:
                        cell.setForeground(Qt.GlobalColor.darkRed)
        table.blockSignals(False)
        table.resizeRowsToContents()
        ids = [i.id for i in items]
        if chosen in ids:
            table.selectRow(ids.index(chosen))
        self._item_selected()

    def selected_item(self) -> ItemView | None:
        if self.checklist is None:
            return None
        rows = self.items_table.selectionModel().selectedRows()
        return self.checklist.items[rows[0].row()] if rows else None

    def select_item(self, item_id: int) -> None:
        """Select the item with this id (tests and the keyboard use this)."""
        assert self.checklist is not None
        ids = [i.id for i in self.checklist.items]
        self.items_table.selectRow(ids.index(item_id))

    def _item_selected(self) -> None:
        previous = self._selected_id
        item = self.selected_item()
        # The new choice is noted before the old item's typing is saved: saving refreshes
        # this tab (change events), and the refresh must keep the new choice, not the old.
        self._selected_id = item.id if item else None
        if previous is not None and (item is None or item.id != previous):
            self._flush_pending(previous)
            item = self.selected_item()  # from the checklist as re-shown, not as read before
        can_edit = self.ws.can(Permission.EDIT_PEOPLE)
        for widget in (self.state_combo, self.reason_edit, self.details_edit,
                       self.save_item_button):
            widget.setEnabled(can_edit and item is not None)
        if item is None:
            self._loaded = None
            self.reason_error.clear_message()
            self.item_error.clear_message()
            self.item_title.setText("Choose an item above to record what happened.")
            self.reason_edit.clear()
            self.details_edit.clear()
            return
        self.item_title.setText(f"<b>{item.title}</b>"
                                + (" — required before sign-off" if item.required else ""))
        if (self._loaded is not None and self._loaded[0] == item.id
                and self._typed() != self._loaded[1:] and self._unsaved(item) is not None):
            # A refresh while she is typing for this item (another action on the tab, a change
            # made elsewhere) keeps her typing: it is saved with Save item, or when she moves on.
            return
        self.reason_error.clear_message()
        self.item_error.clear_message()
        self.state_combo.setCurrentIndex(max(0, self.state_combo.findData(item.state)))
        self.reason_edit.setText(item.reason)
        self.details_edit.setPlainText(item.details)
        self._loaded = (item.id, *self._typed())
        self._state_chosen()

    def _state_chosen(self) -> None:
        needs = self.state_combo.currentData() in NEEDS_REASON
        self.reason_caption.setText("Reason (required):" if needs else "Reason:")

    # --- checklist -------------------------------------------------------------------------
    def start_checklist(self) -> bool:
        if self.person_id is None:
            return False
        return self.ops.run(self, release_day.checklist_for, self.ws, self.person_id,
                            create=True).ok

    def save_item(self) -> bool:
        item = self.selected_item()
        if item is None:
            return False
        self.reason_error.clear_message()
        self.item_error.clear_message()
        self.item_saved.clear()
        state = self.state_combo.currentData()
        reason = self.reason_edit.text().strip()
        if state in NEEDS_REASON and not reason:
            self.reason_error.show_message(
                f"Say why it is {state_label(state).lower()}: a reason is required.")
            self.reason_edit.setFocus()
            return False
        done = self.ops.run(self, release_day.set_item, self.ws, item.id, state=state,
                            reason=reason, details=self.details_edit.toPlainText().strip(),
                            on_error=self._item_refused)
        if done.ok:
            self.item_saved.setText("Saved.")  # after the change events re-showed the item
        return done.ok

    def _item_refused(self, exc: UserError) -> bool:
        """A refused save is told beside the reason, or under the item (an `on_error`)."""
        if isinstance(exc, ValidationFailed):
            for name, message in exc.errors.items():
                (self.reason_error if name == "reason" else self.item_error).show_message(
                    message)
        else:
            self.item_error.show_exception(exc)
        return True

    def open_add_dialog(self) -> AddItemDialog | None:
        if self.person_id is None or self.checklist is None:
            return None
        dialog = AddItemDialog(self)
        dialog.buttons.accepted.connect(self.submit_item)
        self.add_dialog = dialog
        dialog.open()
        return dialog

    def submit_item(self) -> bool:
        dialog = self.add_dialog
        if dialog is None or self.person_id is None:
            return False
        dialog.error.clear_message()
        done = self.ops.run(self, release_day.add_item, self.ws, self.person_id,
                            dialog.title.text().strip(), on_error=dialog.error.refused)
        if not done.ok or done.value is None:
            return False
        dialog.accept()
        # The tab was re-shown as the item was added; now choose it, as she moves to it (what
        # she had typed for the item chosen before is kept, as on any move).
        added = done.value.items[-1].id if done.value.items else None
        if self.checklist is not None and added in [i.id for i in self.checklist.items]:
            self.select_item(added)
        return True

    def sign_off(self) -> bool:
        if self.person_id is None:
            return False
        self.sign_error.clear_message()
        return self.ops.run(self, release_day.sign_off, self.ws, self.person_id,
                            on_error=self._sign_off_refused).ok

    def _sign_off_refused(self, exc: UserError) -> bool:
        """Say what still blocks sign-off, beside the button she pressed (an `on_error`)."""
        # A refused sign-off commits nothing, so no change event re-shows the tab for it: read
        # what is open as of now (someone may have changed an item elsewhere), so the list
        # below and the table above agree.
        self.refresh()
        problems = self.checklist.problems if self.checklist is not None else ()
        if not problems:
            self.sign_error.show_exception(exc)
            return True
        # The list once, beside the button she pressed: not again in the box at the top.
        self.problems.hide()
        self.sign_error.show_message("The checklist cannot be signed off yet:\n"
                                     + problem_lines(problems))
        self._refusal_shown = True
        return True

    def open_history(self) -> HistoryDialog | None:
        if self.person_id is None:
            return None
        found = self.ops.run(self, release_day.history, self.ws, self.person_id)
        if not found.ok:
            return None
        dialog = HistoryDialog(list(found.value or []), self)
        self.history_dialog = dialog
        dialog.open()
        return dialog

    # --- outcome -------------------------------------------------------------------------
    def _show_outcome(self) -> None:
        outcome = self.outcome
        can_edit = self.ws.can(Permission.EDIT_PEOPLE)
        self.outcome_box.setVisible(True)
        for widget in (self.released_on, self.accommodation, self.address, self.record_button,
                       self.sustained, self.sustained_on, self.sustained_notes,
                       self.sustained_button, self.contacted_on, self.method,
                       self.contact_notes, self.contact_button):
            widget.setEnabled(can_edit)
        self.follow_box.setVisible(outcome is not None)
        self.contacts_box.setVisible(outcome is not None)
        if outcome is None:
            self.outcome_label.setText("Record where she went on the day she was released.")
            self.record_button.setText("Record outcome")
            self.accommodation.setCurrentIndex(0)
            return
        self.outcome_label.setText(
            f"Released {uk_date(outcome.released_on)} to "
            f"{accommodation_text(outcome.accommodation_code)}"
            + (f", {outcome.address}" if outcome.address else "")
            + f". Recorded by {outcome.recorded_by}."
            + (f"\nNot her recorded release date: {outcome.date_change_reason}"
               if outcome.date_change_reason else ""))
        self.record_button.setText("Update outcome")
        self.released_on.setText(uk_date(outcome.released_on))
        self.accommodation.setCurrentIndex(
            max(0, self.accommodation.findData(outcome.accommodation_code)))
        self.address.setPlainText(outcome.address)
        due = uk_date(outcome.follow_up_due)
        if outcome.sustained_12_weeks is None:
            late = outcome.follow_up_due is not None and outcome.follow_up_due < self._today()
            self.follow_label.setText(
                f"Follow-up due {due}" + (" — overdue" if late else "")
                + ": is she still in the accommodation she went to?")
            self.follow_label.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: 600;"
                                            if late else "")
            self.sustained.setCurrentIndex(0)
        else:
            said = "sustained" if outcome.sustained_12_weeks else "not sustained"
            self.follow_label.setText(
                f"Follow-up due {due}: recorded as {said} on "
                f"{uk_date(outcome.sustained_recorded_on)}.")
            self.follow_label.setStyleSheet("")
            self.sustained.setCurrentIndex(
                max(0, self.sustained.findData(outcome.sustained_12_weeks)))
        self._fill_contacts()

    def _fill_contacts(self) -> None:
        table = self.contacts_table
        table.setSortingEnabled(False)
        table.setRowCount(len(self.contacts))
        for line, (_id, on, method, notes, by) in enumerate(self.contacts):
            fill_row(table, line, [(uk_date(on), on), (METHODS.get(method, method), None),
                                   (by, None), (notes, None)])
            notes_cell = table.item(line, 3)
            if notes_cell is not None:
                notes_cell.setToolTip(notes)
        fit_columns(table)

    def _read_date(self, edit: QLineEdit, error: ErrorLabel) -> date | None:
        try:
            return parse_uk_date(edit.text())
        except ValueError as exc:
            error.show_message(str(exc))
            return None

    def _show_failure(self, exc: UserError, fallback: ErrorLabel,
                      names: dict[str, str] | None = None) -> bool:
        """Show a refusal beside the fields it is about, else in `fallback` (an `on_error`:
        True, it has been shown)."""
        if isinstance(exc, ValidationFailed):
            for name, message in exc.errors.items():
                target = self.errors.get((names or {}).get(name, name))
                (target or fallback).show_message(message)
        else:
            fallback.show_exception(exc)
        return True

    def save_outcome(self) -> bool:
        """Record the outcome; a release far from her recorded date asks why first."""
        return self._record_outcome("")

    def _record_outcome(self, reason: str) -> bool:
        # Separate from save_outcome: `clicked(bool)` would hand its flag in as the reason.
        if self.person_id is None:
            return False
        self._clear_messages()
        released = self._read_date(self.released_on, self.errors["released_on"])
        code = self.accommodation.currentData()
        if code is None:
            self.errors["accommodation_code"].show_message("Choose where she went.")
        if released is None or code is None:
            return False
        done = self.ops.run(self, release_day.record_outcome, self.ws, self.person_id,
                            released_on=released, accommodation_code=code,
                            address=self.address.toPlainText().strip(), reason=reason,
                            on_error=self._outcome_refused)
        if done.ok:
            self._close_date_dialog()
        return done.ok

    def _outcome_refused(self, exc: UserError) -> bool:
        """A date far from her recorded one asks why (the dialog); anything else is told
        beside its field, the question closed (an `on_error`)."""
        if isinstance(exc, ValidationFailed) and set(exc.errors) == {"reason"}:
            self._ask_date_change(exc.errors["reason"])
            return True
        self._close_date_dialog()
        return self._show_failure(exc, self.outcome_error)

    def _ask_date_change(self, question: str) -> None:
        dialog = self.date_dialog
        if dialog is not None and dialog.isVisible():  # asked already: the answer was empty
            dialog.error.show_message(question)
            return
        dialog = DateChangeDialog(question, self)
        dialog.buttons.accepted.connect(self.confirm_date_change)
        self.date_dialog = dialog
        dialog.open()

    def confirm_date_change(self) -> bool:
        """The dialog's Record button: stays open, message beside the box, until there is a
        reason; then records the outcome with it."""
        dialog = self.date_dialog
        if dialog is None:
            return False
        reason = dialog.reason.text().strip()
        if not reason:
            dialog.error.show_message("Say why she left on this day, or Cancel to correct the "
                                      "date.")
            dialog.reason.setFocus()
            return False
        dialog.error.clear_message()
        return self._record_outcome(reason)

    def _close_date_dialog(self) -> None:
        if self.date_dialog is not None:
            self.date_dialog.accept()
            self.date_dialog = None

    def save_sustained(self) -> bool:
        if self.person_id is None:
            return False
        self._clear_messages()
        sustained = self.sustained.currentData()
        if sustained is None:
            self.errors["sustained"].show_message("Choose yes or no.")
        on = self._read_date(self.sustained_on, self.errors["on"])
        if sustained is None or on is None:
            return False
        return self.ops.run(
            self, release_day.record_sustained, self.ws, self.person_id, sustained=sustained,
            on=on, notes=self.sustained_notes.text().strip(),
            on_error=lambda exc: self._show_failure(exc, self.follow_error)).ok

    def save_contact(self) -> bool:
        if self.person_id is None:
            return False
        self._clear_messages()
        on = self._read_date(self.contacted_on, self.errors["contacted_on"])
        if on is None:
            return False
        done = self.ops.run(
            self, release_day.add_contact, self.ws, self.person_id, contacted_on=on,
            method=self.method.currentData(), notes=self.contact_notes.text().strip(),
            on_error=lambda exc: self._show_failure(exc, self.contact_error,
                                                    {"notes": "contact_notes"}))
        if done.ok:
            self.contact_notes.clear()  # it is in the table now (re-shown as it was saved)
        return done.ok

    # --- her day sheet ---------------------------------------------------------------------
    def choose_sheet_file(self) -> None:
        if self.person is None or self.person_id is None:
            return
        from PySide6.QtWidgets import QFileDialog

        # The woman is taken now, with the name the file is offered under: the sheet is hers
        # even if the record shown has changed by the time a file is chosen.
        person_id = self.person_id
        name = f"release-day-{self.person.prison_number}.pdf"
        dialog = QFileDialog(self, "Save her release-day sheet", str(Path.home() / name),
                             "PDF files (*.pdf)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(
            lambda chosen: self.write_sheet(Path(chosen), person_id=person_id))
        self.file_dialog = dialog
        dialog.open()

    def write_sheet(self, path: Path, on_done: Callable[[Path], None] | None = None,
                    person_id: int | None = None) -> bool:
        """Start writing her one-page sheet on a worker thread (rendering a PDF takes a
        moment); the reason is shown under the checklist if it cannot be made yet. False if
        no woman is shown."""
        person_id = self.person_id if person_id is None else person_id
        if person_id is None:
            return False

        def refused(exc: UserError) -> bool:
            # Beside her checklist only while it is still hers on screen; else a message box.
            return self.person_id == person_id and self.sign_error.refused(exc)

        self.sign_error.clear_message()
        self.ops.run_in_background(
            self, lambda: release_day.write_release_sheet(self.ws, person_id, path),
            busy="Writing the PDF…", on_done=on_done, on_error=refused)
        return True
