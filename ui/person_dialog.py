"""Add or edit a woman's record, with a message beside each field that needs correcting.

Nothing is saved until the whole record is valid: the service validates again and either
saves everything in one transaction or returns the problems by field.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain import reference
from app.domain.dates import hhmm, parse_time, parse_uk_date, uk_date
from app.domain.person import PersonDraft, validate
from app.domain.timezone import london_to_utc, now_utc, to_london
from app.errors import UserError, ValidationFailed
from app.services import people
from app.services.workspace import Workspace
from ui.ops import ops_for


def _choice(items: dict[str, str], editable: bool) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(editable)
    for code, label in items.items():
        combo.addItem(label, code)
    if editable:
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter([combo.itemText(i) for i in range(combo.count())], combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        combo.setCompleter(completer)
        combo.setCurrentIndex(-1)
    return combo


class PersonDialog(QDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None,
                 record: people.PersonRecord | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.record = record
        self.saved_id: int | None = None
        self.moved: list[str] = []  # due dates a new release date moved, to tell the user
        self.setWindowTitle("Edit record" if record else "Add a woman to the caseload")
        self.setObjectName("personDialog")
        self.errors: dict[str, QLabel] = {}

        self.prison_number = QLineEdit()
        self.prison_number.setPlaceholderText("A1234BC")
        self.prison_number.setMaxLength(9)
        self.family_name = QLineEdit()
        self.given_names = QLineEdit()
        self.aliases = QLineEdit()
        self.aliases.setPlaceholderText("Other names she is known by, comma separated")
        self.date_of_birth = QLineEdit()
        self.date_of_birth.setPlaceholderText("DD/MM/YYYY")
        self.nationality = _choice(reference.countries(), editable=True)
        self.first_language = _choice(reference.languages(), editable=True)
        self.interpreter_needed = QCheckBox("Needs an interpreter")
        self.custody_status = _choice(reference.CUSTODY_STATUSES, editable=False)
        self.custody_status.setCurrentIndex(-1)
        self.reception_date = QLineEdit()
        self.reception_date.setPlaceholderText("DD/MM/YYYY")
        self.reception_time = QLineEdit()
        self.reception_time.setPlaceholderText("HH:MM")
        self.reception_time.setMaximumWidth(70)
        self.release_date = QLineEdit()
        self.release_date.setPlaceholderText("DD/MM/YYYY, or leave empty if unknown")
        self.release_time = QLineEdit()
        self.release_time.setPlaceholderText("HH:MM")
        self.release_time.setMaximumWidth(70)
        self.release_type = _choice(reference.RELEASE_TYPES, editable=False)
        councils = {"": ""} | {c: la.name for c, la in reference.local_authorities().items()}
        self.home_local_authority = _choice(councils, editable=True)
        self.mappa_level = _choice(reference.MAPPA_LEVELS, editable=False)
        self.pom_name = QLineEdit()
        self.cpp_name = QLineEdit()
        self.key_worker_name = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(70)
        for name, widget in vars(self).items():
            if isinstance(widget, QWidget) and not name.startswith("_"):
                widget.setObjectName(name)

        identity = self._group("Identity", [
            ("prison_number", "Prison number", self.prison_number),
            ("family_name", "Family name", self.family_name),
            ("given_names", "Given names", self.given_names),
            ("aliases", "Aliases", self.aliases),
            ("date_of_birth", "Date of birth", self.date_of_birth),
            ("nationality", "Nationality", self.nationality),
            ("first_language", "First language", self.first_language),
            ("interpreter_needed", "", self.interpreter_needed),
        ])
        custody = self._group("Custody and release", [
            ("custody_status", "Custody status", self.custody_status),
            ("reception_at", "Received", self._pair(self.reception_date, self.reception_time)),
            ("release_date", "Release date", self._pair(self.release_date, self.release_time)),
            ("release_time", "", None),
            ("release_type", "Release type", self.release_type),
            ("home_local_authority", "Home council", self.home_local_authority),
            ("mappa_level", "MAPPA", self.mappa_level),
        ])
        team = self._group("Team", [
            ("pom_name", "POM", self.pom_name),
            ("cpp_name", "CPP", self.cpp_name),
            ("key_worker_name", "Key worker", self.key_worker_name),
            ("notes", "Notes", self.notes),
        ])
        self.summary = QLabel()
        self.summary.setObjectName("formSummary")
        self.summary.setStyleSheet("color: #b00020;")
        self.summary.setWordWrap(True)

        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(identity)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(custody)
        right.addWidget(team)
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        body = QWidget()
        body.setLayout(columns)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("personButtons")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.resize(980, 640)
        if record:
            self._load(record.draft)
        else:
            now = to_london(now_utc())
            self.reception_date.setText(now.strftime("%d/%m/%Y"))
            self.reception_time.setText(now.strftime("%H:%M"))
        self.prison_number.setFocus()

    # --- layout helpers ------------------------------------------------------------------
    def _pair(self, first: QWidget, second: QWidget) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(first, 1)
        row.addWidget(second)
        return box

    def _group(self, title: str, rows: list[tuple[str, str, QWidget | None]]) -> QGroupBox:
        group = QGroupBox(title)
        grid = QGridLayout(group)
        grid.setColumnStretch(1, 1)
        line = 0
        for field, label, widget in rows:
            if widget is not None:
                if label:
                    grid.addWidget(QLabel(f"{label}:"), line, 0, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(widget, line, 1)
                line += 1
            error = QLabel()
            error.setObjectName(f"{field}Error")
            error.setStyleSheet("color: #b00020;")
            error.setWordWrap(True)
            error.hide()
            self.errors[field] = error
            grid.addWidget(error, line, 1)
            line += 1
        return group

    # --- values --------------------------------------------------------------------------
    def _load(self, d: PersonDraft) -> None:
        self.prison_number.setText(d.prison_number)
        self.family_name.setText(d.family_name)
        self.given_names.setText(d.given_names)
        self.aliases.setText(d.aliases)
        self.date_of_birth.setText(uk_date(d.date_of_birth))
        for combo, code in ((self.nationality, d.nationality),
                            (self.first_language, d.first_language),
                            (self.custody_status, d.custody_status),
                            (self.release_type, d.release_type),
                            (self.home_local_authority, d.home_local_authority),
                            (self.mappa_level, d.mappa_level)):
            combo.setCurrentIndex(combo.findData(code))
        self.interpreter_needed.setChecked(d.interpreter_needed)
        if d.reception_at:
            local = to_london(d.reception_at)
            self.reception_date.setText(local.strftime("%d/%m/%Y"))
            self.reception_time.setText(local.strftime("%H:%M"))
        self.release_date.setText(uk_date(d.release_date))
        self.release_time.setText(hhmm(d.release_time))
        self.pom_name.setText(d.pom_name)
        self.cpp_name.setText(d.cpp_name)
        self.key_worker_name.setText(d.key_worker_name)
        self.notes.setPlainText(d.notes)

    @staticmethod
    def _combo_code(combo: QComboBox, lookup: Callable[[str], str | None] | None = None) -> str:
        text = combo.currentText().strip()
        index = combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return str(combo.itemData(index))
        if lookup and text:
            return lookup(text) or f"?{text}"
        return ""

    def draft(self) -> tuple[PersonDraft, dict[str, str]]:
        """The form as a draft, plus the fields whose text could not even be read."""
        problems: dict[str, str] = {}

        def read(field: str, parse: Callable[[str], object], text: str) -> object:
            if not text.strip():
                return None
            try:
                return parse(text)
            except ValueError as exc:
                problems[field] = str(exc)
                return None

        dob = read("date_of_birth", parse_uk_date, self.date_of_birth.text())
        received_day = read("reception_at", parse_uk_date, self.reception_date.text())
        received_time = read("reception_at", parse_time, self.reception_time.text() or "00:00")
        reception_at = None
        if received_day is not None and received_time is not None:
            reception_at = london_to_utc(received_day, received_time)  # type: ignore[arg-type]
        draft = PersonDraft(
            prison_number=self.prison_number.text(),
            family_name=self.family_name.text(),
            given_names=self.given_names.text(),
            aliases=self.aliases.text(),
            date_of_birth=dob,  # type: ignore[arg-type]
            nationality=self._combo_code(self.nationality, reference.country_code),
            first_language=self._combo_code(self.first_language, reference.language_code),
            interpreter_needed=self.interpreter_needed.isChecked(),
            custody_status=str(self.custody_status.currentData() or ""),
            reception_at=reception_at,
            release_date=read("release_date", parse_uk_date, self.release_date.text()),  # type: ignore[arg-type]
            release_time=read("release_time", parse_time, self.release_time.text()),  # type: ignore[arg-type]
            release_type=str(self.release_type.currentData() or ""),
            home_local_authority=self._combo_code(
                self.home_local_authority, reference.local_authority_code
            ),
            mappa_level=str(self.mappa_level.currentData() or ""),
            pom_name=self.pom_name.text(),
            cpp_name=self.cpp_name.text(),
            key_worker_name=self.key_worker_name.text(),
            notes=self.notes.toPlainText(),
        )
        return draft, problems

    def show_errors(self, errors: dict[str, str]) -> None:
        for field, label in self.errors.items():
            message = errors.get(field, "")
            label.setText(message)
            label.setVisible(bool(message))
        if errors:
            count = len(errors)
            self.summary.setText(
                f"{count} field{'s need' if count > 1 else ' needs'} correcting; nothing was saved."
            )
            first = next(iter(errors))
            widget = getattr(self, first if first != "reception_at" else "reception_date", None)
            if isinstance(widget, QWidget):
                widget.setFocus()
        else:
            self.summary.clear()

    def save(self) -> None:
        draft, problems = self.draft()
        if problems:
            # Validate the rest too, so every problem is shown at once.
            self.show_errors({**validate(draft.normalised(), now_utc()), **problems})
            return
        ops = ops_for(self.ws)
        if self.record:
            edited = ops.run(self, people.update_person_and_replan, self.ws, self.record.id,
                             draft, self.record.version, on_error=self._show_inline)
            if not edited.ok or edited.value is None:
                return
            _version, self.moved = edited.value
            self.saved_id = self.record.id
        else:
            added = ops.run(self, people.add_person, self.ws, draft, on_error=self._show_inline)
            if not added.ok:
                return
            self.saved_id = added.value
        self.accept()

    def _show_inline(self, exc: UserError) -> bool:
        """Field problems go beside their fields; anything else (someone else saved her
        record first, say) is left to the runner's message box."""
        if isinstance(exc, ValidationFailed):
            self.show_errors(exc.errors)
            return True
        return False
