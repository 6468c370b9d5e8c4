"""The service directory (Administration): the contact details information sheets print.

Only what is typed here reaches a woman's sheet, so every entry shows where it is used (its
topics) and the form says plainly that numbers must be checked. Organisations named in the
source documents are listed by name only until the team adds details it has checked.

Changes go through the operation runner; the list re-reads itself from the change events
(keeping the chosen service chosen), so no action here reloads it by hand.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.directory import (
    TOPIC_CODES,
    DirectoryEntry,
    language_names,
    parse_languages,
)
from app.domain.roles import Permission
from app.services import sheets
from app.services.changes import Kind
from app.services.workspace import Workspace
from app.sheets.library import TOPICS
from ui.dialog_parts import ErrorLabel, button_row, fill_row, fit_columns, read_only_table
from ui.messages import confirm
from ui.ops import ChangeWatcher, ops_for


class ServiceDialog(QDialog):
    """Add or change one service."""

    def __init__(self, ws: Workspace, entry: DirectoryEntry | None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.ws = ws
        self.entry = entry
        self.setObjectName("serviceDialog")
        self.setWindowTitle("Change service" if entry else "Add a service")
        self.organisation = QLineEdit(entry.organisation if entry else "")
        self.organisation.setObjectName("serviceOrganisation")
        self.service = QLineEdit(entry.service if entry else "")
        self.service.setObjectName("serviceName")
        self.service.setPlaceholderText("What they help with, in a few words")
        self.phone = QLineEdit(entry.phone if entry else "")
        self.phone.setObjectName("servicePhone")
        self.phone.setPlaceholderText("As checked with the service, e.g. 0800 123 4567")
        self.address = QPlainTextEdit(entry.address if entry else "")
        self.address.setObjectName("serviceAddress")
        self.address.setMaximumHeight(70)
        self.hours = QLineEdit(entry.hours if entry else "")
        self.hours.setObjectName("serviceHours")
        self.hours.setPlaceholderText("e.g. Monday to Friday, 9:00 to 17:00")
        self.languages = QLineEdit(language_names(entry.languages) if entry else "")
        self.languages.setObjectName("serviceLanguages")
        self.languages.setPlaceholderText("e.g. English, Polish, Arabic")
        self.topics: dict[str, QCheckBox] = {}
        topics_row = QHBoxLayout()
        for code in TOPIC_CODES:
            box = QCheckBox(TOPICS[code])
            box.setObjectName(f"serviceTopic_{code}")
            box.setChecked(bool(entry and code in entry.topics))
            self.topics[code] = box
            topics_row.addWidget(box)
        topics_row.addStretch(1)
        self.active = QCheckBox("Print this service on sheets")
        self.active.setObjectName("serviceActive")
        self.active.setChecked(entry.active if entry else True)
        note = QLabel("Sheets print these details exactly as typed. Check every number with the "
                      "service before adding it.")  # fmt: skip
        note.setWordWrap(True)
        self.error = ErrorLabel()
        form = QFormLayout()
        form.addRow("&Organisation:", self.organisation)
        form.addRow("&Service:", self.service)
        form.addRow("&Phone:", self.phone)
        form.addRow("&Address:", self.address)
        form.addRow("Opening &hours:", self.hours)
        form.addRow("&Languages spoken:", self.languages)
        form.addRow("On the sheets about:", topics_row)
        form.addRow("", self.active)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(620, self.sizeHint().height())

    def _on_save(self) -> None:  # a slot returns None (PySide6 and returned bools)
        self.save()

    def save(self) -> bool:
        codes, unknown = parse_languages(self.languages.text())
        if unknown:
            self.error.show_message(f"Not a language on the list: {', '.join(unknown)}.")
            return False
        entry = DirectoryEntry(
            self.organisation.text(), self.service.text(), self.phone.text(),
            self.address.toPlainText(), self.hours.text(), codes,
            tuple(code for code, box in self.topics.items() if box.isChecked()),
            self.active.isChecked(), self.entry.id if self.entry else None)  # fmt: skip
        done = ops_for(self.ws).run(self, sheets.save_service, self.ws, entry,
                                    on_error=self.error.refused)
        if done.ok:
            self.accept()
        return done.ok


class DirectoryDialog(QDialog):
    """Every service, in the order sheets list them."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops_for(ws)
        self.entries: list[DirectoryEntry] = []
        self.child: ServiceDialog | None = None
        self.setObjectName("directoryDialog")
        self.setWindowTitle("Service directory")
        intro = QLabel("Information sheets list these services under each topic, in this order. "
                       "A service without a phone number or address is printed by name with "
                       "\u201cAsk staff for their contact details\u201d.")  # fmt: skip
        intro.setWordWrap(True)
        self.table = read_only_table("directoryTable",
                                     ["Organisation", "Phone", "On sheets about", "Languages",
                                      "Printed"])  # fmt: skip
        self.table.doubleClicked.connect(lambda _index: self.edit())
        self.error = ErrorLabel()
        can = ws.can(Permission.CHANGE_SETTINGS)
        row, self.buttons = button_row("directory", [
            ("add", "&Add…", self.add, can), ("edit", "&Change…", self.edit, can),
            ("up", "Move &up", lambda: self.move(-1), can),
            ("down", "Move &down", lambda: self.move(1), can),
            ("remove", "&Remove", self.remove, can)])
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(close)
        self.resize(1120, 560)
        self.watcher = ChangeWatcher(self, self.ops, (Kind.DIRECTORY,), self._changed)
        self.load()

    def _changed(self, _changes: object) -> None:
        entry = self.current()
        self.load(entry.id if entry is not None else None)

    def load(self, select: int | None = None) -> None:
        found = self.ops.run(self, sheets.directory, self.ws, on_error=self.error.refused)
        if not found.ok:
            return
        self.entries = found.value or []
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self.entries))
        for r, e in enumerate(self.entries):
            fill_row(self.table, r, [
                (e.organisation, None), (e.phone or "\u2014 ask staff", None),
                (", ".join(TOPICS[t] for t in e.topics if t in TOPICS), None),
                (language_names(e.languages), None), ("Yes" if e.active else "No", None)])
        fit_columns(self.table)
        if select is not None:
            index = next((i for i, e in enumerate(self.entries) if e.id == select), None)
            if index is not None:
                self.table.selectRow(index)

    def current(self) -> DirectoryEntry | None:
        row = self.table.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def add(self) -> None:
        self._open(None)

    def edit(self) -> None:
        entry = self.current()
        if entry is not None and self.ws.can(Permission.CHANGE_SETTINGS):
            self._open(entry)

    def _open(self, entry: DirectoryEntry | None) -> None:
        dialog = ServiceDialog(self.ws, entry, self)
        self.child = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()

    def move(self, step: int) -> None:
        entry = self.current()
        if entry is None or entry.id is None:
            return
        if self.ops.run(self, sheets.move_service, self.ws, entry.id, step,
                        on_error=self.error.refused).ok:
            self.error.clear_message()

    def remove(self) -> None:
        entry = self.current()
        if entry is None or entry.id is None:
            return
        if not confirm(self, "Remove service", f"Remove {entry.organisation} from the "
                       "directory? Sheets printed from now on will not list it."):  # fmt: skip
            return
        if self.ops.run(self, sheets.remove_service, self.ws, entry.id,
                        on_error=self.error.refused).ok:
            self.error.clear_message()
