"""Court dates for a woman whose release date is unknown: each hearing is a possible release."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import parse_uk_date
from app.domain.roles import Permission
from app.errors import UserError, ValidationFailed
from app.services import planning
from app.services.workspace import Workspace
from ui.ops import ops_for

HEARING_ID = 256


class HearingsBox(QGroupBox):
    """Her court dates. Adding or removing one goes through the operation runner; the list is
    re-read when the change events re-show her plan (the Plan tab watches hearings)."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__("Court dates (possible release points)", parent)
        self.ws = ws
        self.ops = ops_for(ws)
        self.person_id: int | None = None
        self.list = QListWidget()
        self.list.setObjectName("hearingList")
        self.list.setMaximumHeight(90)
        self.day = QLineEdit()
        self.day.setObjectName("hearingDate")
        self.day.setPlaceholderText("DD/MM/YYYY")
        self.day.setMaximumWidth(110)
        self.court = QLineEdit()
        self.court.setObjectName("hearingCourt")
        self.court.setPlaceholderText("Court")
        self.add_button = QPushButton("Add")
        self.add_button.setObjectName("addHearingButton")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setObjectName("removeHearingButton")
        self.message = QLabel()
        self.message.setObjectName("hearingMessage")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        row = QHBoxLayout()
        row.addWidget(self.day)
        row.addWidget(self.court, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(row)
        layout.addWidget(self.message)
        editable = ws.can(Permission.EDIT_PEOPLE)
        for w in (self.day, self.court, self.add_button, self.remove_button):
            w.setEnabled(editable)

    def show_person(self, person_id: int) -> None:
        self.person_id = person_id
        self.refresh()

    def clear(self) -> None:
        self.person_id = None
        self.list.clear()
        self.message.clear()

    def refresh(self) -> None:
        self.list.clear()
        if self.person_id is None:
            return
        found = self.ops.run(self, planning.hearings_for, self.ws, self.person_id)
        for hearing in found.value or ():
            item = QListWidgetItem(f"{hearing.hearing_on:%a %d/%m/%Y}  {hearing.court}")
            item.setData(HEARING_ID, hearing.id)
            self.list.addItem(item)

    def add(self) -> None:
        if self.person_id is None:
            return
        try:
            day = parse_uk_date(self.day.text())
        except ValueError as exc:
            self.message.setText(str(exc))
            return
        done = self.ops.run(self, planning.add_hearing, self.ws, self.person_id, day,
                            self.court.text(), on_error=self._show_inline)
        if done.ok:
            self.message.clear()
            self.day.clear()
            self.court.clear()

    def _show_inline(self, exc: UserError) -> bool:
        """A refused hearing is told under the box, where she is typing."""
        if isinstance(exc, ValidationFailed):
            self.message.setText(" ".join(exc.errors.values()))
        else:
            self.message.setText(str(exc))
        return True

    def remove(self) -> None:
        item = self.list.currentItem()
        if item is None:
            self.message.setText("Choose a hearing in the list first.")
            return
        self.ops.run(self, planning.remove_hearing, self.ws, item.data(HEARING_ID),
                     on_error=self._show_inline)
