"""The release planning board: every woman still here, by release date, with each step's state.

Each step cell says its state in a word ("Late", "Due", "✓ Done", "—", "n/a") as well as in
colour. Counts per lane sit on the filter buttons; "Late only" narrows any lane. The model holds
the BoardRow tuples app.services.planning returns, so thousands of rows cost no widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.planning import DTR_WINDOW_DAYS, LANES, STEP_LABELS, Step, StepState, step_due
from app.domain.release_risks import RISK_LABELS, SHORT_LABELS, ReleaseRisk
from app.domain.roles import Permission
from app.domain.timezone import today_london
from app.services import planning
from app.services.changes import Kind
from app.services.planning import BoardRow
from app.services.workspace import Workspace
from ui.list_parts import Index, RowsModel, person_table
from ui.meetings_dialog import MeetingsDialog
from ui.ops import ChangeWatcher, ops_for

ALL = "all"
LANE_LABELS = {
    "past": "Past",
    "0-2": "0–2",
    "2-4": "2–4",
    "4-8": "4–8",
    "8-12": "8–12",
    "12-24": "12–24",
    "24+": "24+",
    "unknown": "Date unknown",
}
STEP_HEADERS = {
    Step.PLAN: "Plan",
    Step.TENANCY_ADVICE: "Tenancy",
    Step.DUTY_TO_REFER: "DTR",
    Step.CRS: "CRS",
    Step.ACCOMMODATION: "Accomm.",
    Step.RELEASE_DAY: "Rel. day",
}
STATE_WORDS = {
    StepState.LATE: "Late",
    StepState.DUE: "Due",
    StepState.DONE: "✓ Done",
    StepState.NOT_YET: "—",
    StepState.NOT_NEEDED: "n/a",
}
STATE_PHRASES = {
    StepState.LATE: "late",
    StepState.DUE: "due now",
    StepState.DONE: "done",
    StepState.NOT_YET: "not yet due",
    StepState.NOT_NEEDED: "not needed",
}
STEPS = tuple(Step)
COL_PRISON_NUMBER, COL_NAME, COL_RELEASE, COL_WEEKS = range(4)
FIRST_STEP = 4
HEADERS = ("Prison no.", "Name", "Release", "Weeks", *(STEP_HEADERS[s] for s in STEPS))
LATE_COLOUR = QColor("#b00020")
DONE_COLOUR = QColor("#1d6b27")
QUIET_COLOUR = QColor("#5f6368")


def release_text(row: BoardRow) -> str:
    if row.release_date is not None:
        flags = ", ".join(SHORT_LABELS[ReleaseRisk(code)] for code in row.risks)
        return row.release_date.strftime("%d/%m/%Y") + (f" · {flags}" if flags else "")
    if row.next_court_date is not None:
        return f"Unknown · court {row.next_court_date:%d/%m}"
    return "Unknown"


def weeks_text(row: BoardRow) -> str:
    if row.weeks_to_release is None:
        return ""
    return "past" if row.weeks_to_release < 0 else str(row.weeks_to_release)


def step_tooltip(row: BoardRow, step: Step) -> str:
    state = row.states[step]
    text = f"{STEP_LABELS[step]}: {STATE_PHRASES[state]}"
    if row.release_date is not None and state in (StepState.DUE, StepState.LATE,
                                                   StepState.NOT_YET):
        text += f" (deadline {step_due(step, row.release_date, row.received_on):%d/%m/%Y})"
    return text


class BoardModel(RowsModel):
    def __init__(self) -> None:
        super().__init__(HEADERS)
        self._all: list[BoardRow] = []
        self._lane = ALL
        self._late_only = False
        self._bold = QFont()
        self._bold.setBold(True)

    def all_rows(self) -> list[BoardRow]:
        return self._all

    def set_rows(self, rows: Sequence[BoardRow]) -> None:
        self._all = list(rows)
        self.set_filter(self._lane, self._late_only)

    def set_filter(self, lane: str, late_only: bool) -> None:
        self.beginResetModel()
        self._lane, self._late_only = lane, late_only
        self._shown = [r for r in self._all
                       if (lane == ALL or r.lane == lane) and (not late_only or r.late)]
        self.endResetModel()

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole
                and section >= FIRST_STEP):
            return STEP_LABELS[STEPS[section - FIRST_STEP]]
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._shown[index.row()]
        column = index.column()
        if column < FIRST_STEP:
            if role == Qt.ItemDataRole.DisplayRole:
                if column == COL_PRISON_NUMBER:
                    return row.prison_number
                if column == COL_NAME:
                    return f"{row.family_name.upper()}, {row.given_names}"
                if column == COL_RELEASE:
                    return release_text(row)
                return weeks_text(row)
            if role == Qt.ItemDataRole.ToolTipRole and column == COL_RELEASE and row.risks:
                return "\n".join(RISK_LABELS[ReleaseRisk(code)] for code in row.risks)
            if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_WEEKS:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        step = STEPS[column - FIRST_STEP]
        state = row.states[step]
        if role == Qt.ItemDataRole.DisplayRole:
            return STATE_WORDS[state]
        if role == Qt.ItemDataRole.ToolTipRole:
            return step_tooltip(row, step)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if state is StepState.LATE:
                return QBrush(LATE_COLOUR)
            if state is StepState.DONE:
                return QBrush(DONE_COLOUR)
            if state in (StepState.NOT_YET, StepState.NOT_NEEDED):
                return QBrush(QUIET_COLOUR)
        if role == Qt.ItemDataRole.FontRole and state is StepState.LATE:
            return self._bold
        return None


class PlanningBoard(QWidget):
    person_activated = Signal(int)
    current_person_changed = Signal(object)  # int | None
    title_changed = Signal(str)  # the list's tab title, with its count of late plans
    WATCHES = (Kind.PEOPLE, Kind.OUTCOMES, Kind.TRANSFERS, Kind.PLAN, Kind.REFERRALS,
               Kind.HEARINGS, Kind.RELEASE_DAY)

    def __init__(self, ws: Workspace, parent: QWidget | None = None,
                 today: Callable[[], date] = today_london) -> None:
        super().__init__(parent)
        self.ws = ws
        self._today = today
        self.rows: list[BoardRow] = []
        self.meetings: MeetingsDialog | None = None
        self.model = BoardModel()

        self.heading = QLabel()
        self.heading.setObjectName("boardHeading")
        self.heading.setWordWrap(True)
        self.edic_button = QPushButton("EDIC list…")
        self.edic_button.setObjectName("edicButton")
        self.edic_button.setToolTip("Women released in a week, for the pre-release meeting")
        self.edic_button.clicked.connect(lambda: self.open_meetings("EDIC"))
        self.mappa_button = QPushButton("MAPPA list…")
        self.mappa_button.setObjectName("mappaButton")
        self.mappa_button.setToolTip("MAPPA cases released in the coming three months")
        self.mappa_button.clicked.connect(lambda: self.open_meetings("MAPPA"))
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.edic_button)
        top.addWidget(self.mappa_button)

        self.group = QButtonGroup(self)
        self.buttons: dict[str, QToolButton] = {}
        # Two rows of filters, so the board fits beside the record on a 1366-pixel screen.
        filters = QHBoxLayout()
        filters.setSpacing(4)
        filters.addWidget(QLabel("Show:"))
        second = QHBoxLayout()
        second.setSpacing(4)
        second.addWidget(QLabel("Weeks to release:"))
        for key in (ALL, *LANES):
            button = QToolButton()
            button.setCheckable(True)
            button.setObjectName(f"lane_{key}")
            self.group.addButton(button)
            self.buttons[key] = button
            (filters if key in (ALL, "past", "unknown") else second).addWidget(button)
        self.buttons[ALL].setChecked(True)
        self.group.buttonToggled.connect(self._on_lane)
        self.late_button = QToolButton()
        self.late_button.setCheckable(True)
        self.late_button.setObjectName("lateOnly")
        self.late_button.setToolTip("Only women with at least one late step")
        self.late_button.toggled.connect(lambda _checked: self._apply_filter())
        filters.addSpacing(12)
        filters.addWidget(self.late_button)
        filters.addStretch(1)
        second.addStretch(1)

        self.table = person_table("boardTable", self.model)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Beside the record on a 1366-pixel screen every step column must show: names elide at
        # a fixed width (full name in her record) and the release column takes what is left,
        # its risk flags eliding too (all of them are in its tooltip).
        header.setSectionResizeMode(COL_RELEASE, QHeaderView.ResizeMode.Stretch)
        metrics = self.table.fontMetrics()
        widths = {COL_PRISON_NUMBER: metrics.horizontalAdvance("Prison no.") + 14,
                  COL_NAME: metrics.horizontalAdvance("WWWWWWW, Wwwwww"),
                  COL_WEEKS: metrics.horizontalAdvance("Weeks") + 8}
        step_width = max(metrics.horizontalAdvance(w) for w in
                         (*STEP_HEADERS.values(), "✓ Done")) + 8
        for column in range(FIRST_STEP, len(HEADERS)):
            widths[column] = step_width
        for column, width in widths.items():
            self.table.setColumnWidth(column, width)
        self.table.activated.connect(lambda index: self.person_activated.emit(
            self.model.row_at(index.row()).person_id))
        self.table.selectionModel().currentRowChanged.connect(self._on_current)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addLayout(second)
        layout.addWidget(self.table, 1)
        self.set_rows([])
        self.watcher = ChangeWatcher(self, ops_for(ws), self.WATCHES,
                                     lambda _changes: self.load(), background=True)

    def load(self) -> None:
        """Read the board on a worker thread: every woman still here, a quarter of a second
        or more at 5,000, so neither the window nor a change waits for it."""
        if self.ws.locked:
            return
        today = self._today()
        ops_for(self.ws).fetch("board", lambda: planning.board(self.ws, today),
                               lambda rows: self.set_rows(rows, today))

    # --- data ----------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the board now, on the GUI thread (tests, and a caller that needs it shown
        before it goes on); `load` is what the window uses."""
        today = self._today()
        # Only reads: plans due at 12 weeks were opened by the service (unlock, dates).
        found = ops_for(self.ws).run(self, planning.board, self.ws, today)
        if found.ok and found.value is not None:
            self.set_rows(found.value, today)

    def clear(self) -> None:
        self.set_rows([])

    def set_rows(self, rows: Sequence[BoardRow], today: date | None = None) -> None:
        today = today or self._today()
        self.rows = list(rows)
        self.model.set_rows(self.rows)
        counts = dict.fromkeys(LANES, 0)
        late = no_dtr = 0
        for row in self.rows:
            counts[row.lane] += 1
            late += bool(row.late)
            if (row.release_date is not None
                    and 0 <= (row.release_date - today).days <= DTR_WINDOW_DAYS
                    and row.states[Step.DUTY_TO_REFER] in (StepState.DUE, StepState.LATE)):
                no_dtr += 1
        self.counts = counts
        self.late_count = late
        self.title_changed.emit(f"Planning ({late} late)" if late else "Planning")
        self.no_dtr_count = no_dtr
        self.buttons[ALL].setText(f"All ({len(self.rows)})")
        for lane in LANES:
            self.buttons[lane].setText(f"{LANE_LABELS[lane]} ({counts[lane]})")
        self.late_button.setText(f"Late only ({late})")
        can_print = self.ws.can(Permission.VIEW_PEOPLE)
        self.edic_button.setEnabled(can_print)
        self.mappa_button.setEnabled(can_print)
        if not self.rows:
            self.heading.setText("Nobody on the caseload yet.")
            return
        women = "woman" if late == 1 else "women"
        self.heading.setText(
            f"<b>{late}</b> {women} with a late step · <b>{no_dtr}</b> without a duty to "
            f"refer inside {DTR_WINDOW_DAYS} days"
        )

    def shown_count(self) -> int:
        return self.model.rowCount()

    # --- filters -------------------------------------------------------------------------
    def set_lane(self, lane: str) -> None:
        self.buttons[lane].setChecked(True)

    def _on_lane(self, _button: QToolButton, checked: bool) -> None:
        if checked:
            self._apply_filter()

    def _apply_filter(self) -> None:
        checked = self.group.checkedButton()
        lane = checked.objectName().removeprefix("lane_") if checked else ALL
        self.model.set_filter(lane, self.late_button.isChecked())
        self.current_person_changed.emit(None)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.current_person_changed.emit(
            self.model.row_at(current.row()).person_id if current.isValid() else None
        )

    # --- meetings ------------------------------------------------------------------------
    def open_meetings(self, kind: str) -> MeetingsDialog:
        if self.meetings is not None:
            self.meetings.close()
        dialog = MeetingsDialog(self.ws, self, kind=kind, today=self._today)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.meetings = dialog
        dialog.show()
        return dialog
