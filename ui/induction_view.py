"""The induction queue: everyone not yet fully screened, most urgent first, with live countdowns.

Overdue rows say "overdue" in words as well as in colour. Counts per state sit on the filter
buttons. The countdowns tick every minute without touching the database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import reference
from app.domain.codes import ScreeningStatus
from app.domain.screening_deadlines import Deadline, DeadlineStatus, countdown
from app.domain.timezone import now_utc, to_london
from app.services import induction
from app.services.changes import Kind
from app.services.induction import STATE_LABELS, STATES, InductionRow
from app.services.workspace import Workspace
from ui.list_parts import Index, RowsModel, person_table
from ui.ops import ChangeWatcher, ops_for

COL_PRISON_NUMBER, COL_NAME, COL_CUSTODY, COL_RECEIVED, COL_BCST1, COL_BCST2 = range(6)
HEADERS = ("Prison no.", "Name", "Custody", "Received", "BCST1", "BCST2")
ALL = "all"
OVERDUE_COLOUR = QColor("#b00020")


def describe_deadline(deadline: Deadline, status_code: str, now: datetime) -> str:
    if deadline.completed_at is not None:
        when = to_london(deadline.completed_at).strftime("%d/%m %H:%M")
        return f"{'Not needed' if status_code == ScreeningStatus.SKIPPED else 'Done'} {when}"
    started = " · draft" if status_code == ScreeningStatus.DRAFT else ""
    return f"{countdown(deadline.remaining(now), compact=True)}{started}"


def due_tooltip(deadline: Deadline) -> str:
    return f"{deadline.kind} due {to_london(deadline.due):%A %d %B %Y, %H:%M}"


class InductionModel(RowsModel):
    def __init__(self, now: Callable[[], datetime]) -> None:
        super().__init__(HEADERS)
        self._now = now
        self._all: list[InductionRow] = []
        self._state: str = ALL
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: Sequence[InductionRow]) -> None:
        self._all = list(rows)
        self.set_state(self._state)

    def set_state(self, state: str) -> None:
        self.beginResetModel()
        self._state = state
        self._shown = self._all if state == ALL else [r for r in self._all if r.state == state]
        self.endResetModel()

    def tick(self) -> None:
        """Re-read the clock for the countdown columns only."""
        if self._shown:
            self.dataChanged.emit(self.index(0, COL_BCST1),
                                  self.index(len(self._shown) - 1, COL_BCST2))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._shown[index.row()]
        column = index.column()
        deadline = row.bcst1 if column == COL_BCST1 else row.bcst2
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_PRISON_NUMBER:
                return row.prison_number
            if column == COL_NAME:
                return f"{row.family_name.upper()}, {row.given_names}"
            if column == COL_CUSTODY:
                return reference.CUSTODY_STATUSES.get(row.custody_status, row.custody_status)
            if column == COL_RECEIVED:
                return to_london(row.reception_at).strftime("%d/%m/%Y %H:%M")
            status = row.bcst1_status if column == COL_BCST1 else row.bcst2_status
            return describe_deadline(deadline, status, self._now())
        if role == Qt.ItemDataRole.ToolTipRole and column in (COL_BCST1, COL_BCST2):
            return due_tooltip(deadline)
        if column in (COL_BCST1, COL_BCST2) and deadline.completed_at is None:
            overdue = deadline.status(self._now()) is DeadlineStatus.OVERDUE
            if role == Qt.ItemDataRole.ForegroundRole and overdue:
                return QBrush(OVERDUE_COLOUR)
            if role == Qt.ItemDataRole.FontRole and overdue:
                return self._bold
        return None


class InductionView(QWidget):
    person_activated = Signal(int)
    current_person_changed = Signal(object)  # int | None
    title_changed = Signal(str)  # the list's tab title, with its count of overdue screenings
    WATCHES = (Kind.PEOPLE, Kind.OUTCOMES, Kind.TRANSFERS, Kind.SCREENING, Kind.CALENDAR)

    def __init__(self, now: Callable[[], datetime] = now_utc,
                 parent: QWidget | None = None, ws: Workspace | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.model = InductionModel(now)
        self.heading = QLabel()
        self.heading.setObjectName("inductionHeading")
        self.heading.setWordWrap(True)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QToolButton] = {}
        filters = QHBoxLayout()
        filters.setSpacing(4)
        filters.addWidget(QLabel("Show:"))
        for key in (ALL, *STATES):
            button = QToolButton()
            button.setCheckable(True)
            button.setObjectName(f"induction_{key}")
            self.group.addButton(button)
            self.buttons[key] = button
            filters.addWidget(button)
        filters.addStretch(1)
        self.buttons[ALL].setChecked(True)
        self.group.buttonToggled.connect(self._on_filter)

        self.table = person_table("inductionTable", self.model)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((78, 180, 105, 115, 150)):
            self.table.setColumnWidth(column, width)
        self.table.activated.connect(lambda index: self.person_activated.emit(
            self.model.row_at(index.row()).person_id))
        self.table.selectionModel().currentRowChanged.connect(self._on_current)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        self.clock = QTimer(self)
        self.clock.setInterval(60_000)
        self.clock.timeout.connect(self.model.tick)
        self.clock.start()
        self.set_rows([])
        if ws is not None:
            # A hidden list catches up soon after a change, so its tab's count stays true.
            self.watcher = ChangeWatcher(self, ops_for(ws), self.WATCHES,
                                         lambda _changes: self.load(), background=True)

    def load(self) -> None:
        """Read the queue on a worker thread (every woman not yet screened)."""
        ws = self.ws
        if ws is not None and not ws.locked:
            ops_for(ws).fetch("induction", lambda: induction.queue(ws), self.set_rows)

    def set_rows(self, rows: Sequence[InductionRow]) -> None:
        self.model.set_rows(rows)
        counts = {state: 0 for state in STATES}
        for row in rows:
            counts[row.state] += 1
        self.buttons[ALL].setText(f"All ({len(rows)})")
        for state in STATES:
            self.buttons[state].setText(f"{STATE_LABELS[state]} ({counts[state]})")
        overdue = counts["BCST1_OVERDUE"] + counts["BCST2_OVERDUE"]
        self.heading.setText(
            f"<b>{len(rows)}</b> women still to be screened · "
            f"<b>{overdue}</b> overdue" if rows else "Every woman has been screened."
        )
        self.title_changed.emit(f"Induction ({overdue} overdue)" if overdue else "Induction")

    def clear(self) -> None:
        self.set_rows([])

    def _on_filter(self, button: QToolButton, checked: bool) -> None:
        if checked:
            self.model.set_state(button.objectName().removeprefix("induction_"))

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.current_person_changed.emit(
            self.model.row_at(current.row()).person_id if current.isValid() else None
        )
