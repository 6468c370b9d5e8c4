"""One woman's record: a header that says what matters now, then tabs later issues fill."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import reference
from app.domain.dates import hhmm, uk_date
from app.domain.person import FIELD_LABELS, PersonDraft
from app.domain.timezone import to_london
from app.services.people import HistoryEntry, PersonRecord

# The record's tabs in order, with what each will hold where no panel is given yet.
DETAILED_ACTIONS = frozenset({"information_sheets_given"})  # their detail says what, plainly
TABS = (
    ("Screening", "BCST1 and BCST2 induction screening."),
    ("Plan", "The 12-week pre-release resettlement plan."),
    ("Release day", "The release-day checklist will be completed here."),
    ("Sheets", "Information sheets in her own language will be printed from here."),
    ("Referrals", "Consent, and the duty to refer, CRS and CAS3 referrals."),
)


def describe(draft: PersonDraft) -> list[tuple[str, str]]:
    """Label/value pairs for every field, in reading order, as a person would say them."""
    la = reference.local_authorities().get(draft.home_local_authority)
    reception = ""
    if draft.reception_at:
        reception = to_london(draft.reception_at).strftime("%d/%m/%Y %H:%M")
    release = "Unknown"
    if draft.release_date:
        release = f"{uk_date(draft.release_date)} {hhmm(draft.release_time)}".strip()
    language = reference.languages().get(draft.first_language, draft.first_language)
    if draft.interpreter_needed:
        language += " (needs an interpreter)"
    values = {
        "prison_number": draft.prison_number,
        "family_name": draft.family_name,
        "given_names": draft.given_names,
        "aliases": draft.aliases,
        "date_of_birth": uk_date(draft.date_of_birth),
        "nationality": reference.countries().get(draft.nationality, draft.nationality),
        "first_language": language,
        "custody_status": reference.CUSTODY_STATUSES.get(draft.custody_status, ""),
        "reception_at": reception,
        "release_date": release,
        "release_type": reference.RELEASE_TYPES.get(draft.release_type, ""),
        "home_local_authority": f"{la.name} ({la.code})" if la else "",
        "mappa_level": reference.MAPPA_LEVELS.get(draft.mappa_level, ""),
        "pom_name": draft.pom_name,
        "cpp_name": draft.cpp_name,
        "key_worker_name": draft.key_worker_name,
        "notes": draft.notes,
    }
    return [(FIELD_LABELS[k], v) for k, v in values.items()]


def release_summary(release: date | None, today: date) -> str:
    if release is None:
        return "Release date unknown"
    days = (release - today).days
    if days < 0:
        return f"Release date passed {-days} day{'s' * (days != -1)} ago"
    if days == 0:
        return "Released today"
    return f"Release in {days} day{'s' * (days != 1)} ({release.strftime('%A %d %B %Y')})"


class PersonView(QWidget):
    edit_requested = Signal(int)

    def __init__(self, panels: dict[str, QWidget] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._record: PersonRecord | None = None
        self.stack = QStackedWidget()
        empty = QLabel("Choose a woman from the caseload to see her record.")
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty.setWordWrap(True)
        empty.setStyleSheet("color: palette(mid); font-size: 13pt;")
        self.stack.addWidget(empty)

        page = QWidget()
        self.title = QLabel()
        self.title.setObjectName("personTitle")
        self.title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("personSubtitle")
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setObjectName("editPersonButton")
        self.edit_button.clicked.connect(self._edit)
        head = QHBoxLayout()
        names = QVBoxLayout()
        names.addWidget(self.title)
        names.addWidget(self.subtitle)
        head.addLayout(names, 1)
        head.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("personTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setElideMode(Qt.TextElideMode.ElideNone)
        self.details = QWidget()
        details_layout = QVBoxLayout(self.details)
        self.details_form = QFormLayout()
        self.details_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        # Notes sit below the form: a wrapping label inside a QFormLayout can clip its last line.
        self.notes_heading = QLabel("<b>Notes</b>")
        self.notes = QLabel()
        self.notes.setObjectName("personNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        details_layout.addLayout(self.details_form)
        details_layout.addSpacing(8)
        details_layout.addWidget(self.notes_heading)
        details_layout.addWidget(self.notes)
        details_layout.addStretch(1)
        details_scroll = QScrollArea()
        details_scroll.setWidgetResizable(True)
        details_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        details_scroll.setWidget(self.details)
        self.tabs.addTab(details_scroll, "Details")
        panels = panels or {}
        for title, text in TABS:
            widget = panels.get(title)
            if widget is None:
                label = QLabel(f"{text}\n\nThis part of Resettle is not built yet.")
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                label.setWordWrap(True)
                widget = label
            self.tabs.addTab(widget, title)
        self.history = QTableWidget(0, 3)
        self.history.setObjectName("historyTable")
        self.history.setHorizontalHeaderLabels(["When", "Who", "What"])
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.verticalHeader().setVisible(False)
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
        self.tabs.addTab(self.history, "History")

        layout = QVBoxLayout(page)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)
        self.stack.addWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

    @property
    def person_id(self) -> int | None:
        return self._record.id if self._record else None

    def show_record(self, record: PersonRecord, history: list[HistoryEntry] | None, today: date,
                    can_edit: bool) -> None:
        """Show her record; `history` None keeps the history shown (it refreshes itself)."""
        self._record = record
        d = record.draft
        self.title.setText(f"{d.family_name.upper()}, {d.given_names}  ·  {d.prison_number}")
        status = reference.CUSTODY_STATUSES.get(d.custody_status, "")
        if record.transferred_to:
            where = f"Transferred to {record.transferred_to}"
        elif record.released_on:
            where = f"Released {record.released_on.strftime('%A %d %B %Y')}"
        else:
            where = release_summary(d.release_date, today)
        self.subtitle.setText(f"{status}  ·  {where}")
        while self.details_form.rowCount():
            self.details_form.removeRow(0)
        for label, value in describe(d):
            if label == FIELD_LABELS["notes"]:
                self.notes.setText(value or "—")
                continue
            shown = QLabel(value or "—")
            shown.setTextFormat(Qt.TextFormat.PlainText)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.details_form.addRow(f"{label}:", shown)
        if history is not None:
            self.show_history(history)
        self.edit_button.setEnabled(can_edit)
        self.stack.setCurrentIndex(1)

    def show_history(self, history: list[HistoryEntry]) -> None:
        self.history.setRowCount(len(history))
        for row, entry in enumerate(history):
            when = to_london(entry.at).strftime("%d/%m/%Y %H:%M")
            what = entry.action.replace("person_", "").replace("_", " ")
            if entry.detail.startswith("fields="):
                fields = entry.detail.removeprefix("fields=").split(",")
                what += ": " + ", ".join(FIELD_LABELS.get(f, f) for f in fields if f)
            elif entry.action in DETAILED_ACTIONS and entry.detail:
                what += f": {entry.detail}"
            for column, text in enumerate((when, entry.username, what)):
                self.history.setItem(row, column, QTableWidgetItem(text))
        self.history.resizeColumnsToContents()

    def clear(self) -> None:
        """Forget everything shown (used at lock): no personal data stays in widgets."""
        self._record = None
        self.title.clear()
        self.subtitle.clear()
        while self.details_form.rowCount():
            self.details_form.removeRow(0)
        self.notes.clear()
        self.history.setRowCount(0)
        self.stack.setCurrentIndex(0)

    def show_tab(self, title: str) -> None:
        for index in range(self.tabs.count()):
            if self.tabs.tabText(index) == title:
                self.tabs.setCurrentIndex(index)
                return

    def _edit(self) -> None:
        if self._record:
            self.edit_requested.emit(self._record.id)
