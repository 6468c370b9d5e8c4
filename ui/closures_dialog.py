"""Closure days: days the team does not work, which screening deadlines then skip.

Adding and removing go through the operation runner; the list re-reads itself from the change
events (and the induction queue's deadlines follow from the same events).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
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
from app.errors import UserError
from app.services import calendar
from app.services.changes import Kind
from app.services.workspace import Workspace
from ui.ops import ChangeWatcher, ops_for


class ClosuresDialog(QDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops_for(ws)
        self.setWindowTitle("Closure days")
        self.setObjectName("closuresDialog")
        intro = QLabel(
            "Weekends and England and Wales bank holidays are already excluded from working "
            "days. Add the days your team is closed as well; BCST2 deadlines skip them."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("closureList")
        self.day = QLineEdit()
        self.day.setObjectName("closureDate")
        self.day.setPlaceholderText("DD/MM/YYYY")
        self.day.setMaximumWidth(120)
        self.reason = QLineEdit()
        self.reason.setObjectName("closureReason")
        self.reason.setPlaceholderText("Reason, e.g. office move")
        add = QPushButton("Add")
        add.setObjectName("addClosureButton")
        add.clicked.connect(self.add)
        self.remove_button = QPushButton("Remove selected")
        self.remove_button.setObjectName("removeClosureButton")
        self.remove_button.clicked.connect(self.remove)
        self.message = QLabel()
        self.message.setObjectName("closureMessage")
        self.message.setStyleSheet("color: #b00020;")
        row = QHBoxLayout()
        row.addWidget(self.day)
        row.addWidget(self.reason, 1)
        row.addWidget(add)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.remove_button)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(520, 420)
        self.watcher = ChangeWatcher(self, self.ops, (Kind.CALENDAR,), lambda _c: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        found = self.ops.run(self, calendar.closures, self.ws, on_error=self._say)
        for day, reason in found.value or ():
            item = QListWidgetItem(f"{day:%a %d/%m/%Y}  {reason}")
            item.setData(256, day)
            self.list.addItem(item)

    def add(self) -> None:
        try:
            day = parse_uk_date(self.day.text())
        except ValueError as exc:
            self.message.setText(str(exc))
            return
        if self.ops.run(self, calendar.add_closure, self.ws, day, self.reason.text(),
                        on_error=self._say).ok:
            self.message.clear()
            self.day.clear()
            self.reason.clear()

    def _say(self, exc: UserError) -> bool:
        """Refusals are told under the list, where the day was typed."""
        self.message.setText(str(exc))
        return True

    def remove(self) -> None:
        item = self.list.currentItem()
        if item is None:
            self.message.setText("Choose a day in the list first.")
            return
        if self.ops.run(self, calendar.remove_closure, self.ws, item.data(256),
                        on_error=self._say).ok:
            self.message.clear()
