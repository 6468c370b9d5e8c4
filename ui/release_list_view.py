"""Releases and follow-ups across the prison: checklists due in the next fortnight and 12-week
follow-ups, so nothing waits until someone happens to open the right record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.timezone import today_london
from app.services import people, release_day
from app.services.changes import Kind
from app.services.workspace import Workspace
from ui.ops import ChangeWatcher, ops_for

KIND_LABELS = {"RELEASE_CHECKLIST": "Release-day checklist",
               "FOLLOW_UP_12_WEEKS": "12-week follow-up"}
STATUS_WORDS = {"due": "Due", "overdue": "Overdue", "done": "✓ Done"}
OVERDUE = QColor("#b00020")


class ReleaseListView(QWidget):
    person_activated = Signal(int)
    title_changed = Signal(str)  # the list's tab title, with its count of overdue steps
    WATCHES = (Kind.PEOPLE, Kind.OUTCOMES, Kind.TRANSFERS, Kind.RELEASE_DAY)

    def __init__(self, ws: Workspace, today: Callable[[], date] = today_london,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self._today = today
        self.items: list[tuple[str, str, date, str]] = []
        self.heading = QLabel()
        self.heading.setObjectName("releaseListHeading")
        self.show_done = QCheckBox("Show done")
        self.show_done.setObjectName("showDone")
        self.show_done.toggled.connect(lambda _on: self._fill())
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.show_done)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("releaseListTable")
        self.table.setHorizontalHeaderLabels(["Prison no.", "What", "Due", "Status"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; arrows move within it
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.cellActivated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.watcher = ChangeWatcher(self, ops_for(ws), self.WATCHES,
                                     lambda _changes: self.load(), background=True)

    def reload(self) -> None:
        done = ops_for(self.ws).run(self, release_day.due_items, self.ws, self._today())
        if done.ok and done.value is not None:
            self.set_items(done.value)

    def load(self) -> None:
        """Read the list on a worker thread, so neither the window nor a change waits."""
        if self.ws.locked:
            return
        today = self._today()
        ops_for(self.ws).fetch("releases", lambda: release_day.due_items(self.ws, today),
                               self.set_items)

    def set_items(self, items: list[tuple[str, str, date, str]]) -> None:
        self.items = sorted(items, key=lambda i: (i[3] == "done", i[2], i[0]))
        self._fill()

    def clear(self) -> None:
        self.items = []
        self._fill()

    def open_count(self) -> tuple[int, int]:
        """(still to do, overdue) among the listed items."""
        open_items = [i for i in self.items if i[3] != "done"]
        return len(open_items), sum(1 for i in open_items if i[3] == "overdue")

    def _fill(self) -> None:
        shown = [i for i in self.items if self.show_done.isChecked() or i[3] != "done"]
        to_do, overdue = self.open_count()
        self.title_changed.emit(f"Release && follow-up ({overdue} overdue)" if overdue
                                else "Release && follow-up")
        self.heading.setText(f"<b>{to_do}</b> to do · <b>{overdue}</b> overdue"
                             if self.items else "Nothing due around release just now.")
        self.table.setRowCount(len(shown))
        for row, (number, kind, due, status) in enumerate(shown):
            cells = (number, KIND_LABELS.get(kind, kind), due.strftime("%a %d/%m/%Y"),
                     STATUS_WORDS.get(status, status))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 3 and status == "overdue":
                    item.setForeground(QBrush(OVERDUE))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, number)
                self.table.setItem(row, column, item)
        for column in (0, 2, 3):
            self.table.resizeColumnToContents(column)

    def _activated(self, row: int, _column: int) -> None:
        number = self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
        found = ops_for(self.ws).run(self, people.find_id, self.ws, number)
        if found.ok and found.value is not None:
            self.person_activated.emit(found.value)
