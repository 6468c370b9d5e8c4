"""The audit log: who did what, when, filtered by action, user and date (UK time)."""

from __future__ import annotations

from datetime import date, time, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.roles import Permission
from app.domain.timezone import london_to_utc, today_london
from app.services import audit
from app.services.audit import AuditRow
from app.services.workspace import Workspace
from ui.dialog_parts import (
    ErrorLabel,
    fill_row,
    fit_columns,
    london_time,
    read_only_table,
)
from ui.ops import ops_for

ALL_ACTIONS = "All"
HEADERS = ["Time (UK)", "User", "Action", "Record type", "Record id", "Detail"]
LIMIT = 5000
COL_TIME, COL_USER, COL_ACTION, COL_TYPE, COL_ID, COL_DETAIL = range(6)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def _id_key(record_id: str) -> tuple[int, int, str]:
    """Numeric ids sort as numbers, before any other text."""
    return (0, int(record_id), "") if record_id.isdigit() else (1, 0, record_id.casefold())


class AuditDialog(QDialog):
    """Fetches when opened and when Apply is pressed; filters are not applied as you type."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.rows: list[AuditRow] = []
        self.can_view = ws.can(Permission.VIEW_AUDIT)
        self.setObjectName("auditDialog")
        self.setWindowTitle("Audit log")
        self.setMinimumSize(900, 560)

        self.action_combo = QComboBox()
        self.action_combo.setObjectName("actionCombo")
        self.action_combo.addItem(ALL_ACTIONS, "")
        # The actions found in the log (a read through the runner, which tells any failure);
        # every known action for someone who cannot read it, or if it cannot be read.
        found = ops_for(ws).run(self, audit.actions_in_log, ws) if self.can_view else None
        for action in (found.value if found is not None and found.ok and found.value is not None
                       else audit.ACTIONS):
            self.action_combo.addItem(action, action)
        self.action_combo.setToolTip("Show only one kind of action")

        self.user_edit = QLineEdit()
        self.user_edit.setObjectName("userEdit")
        self.user_edit.setPlaceholderText("Any user")
        self.user_edit.setClearButtonEnabled(True)
        self.user_edit.setToolTip("Show only what this username did (the exact username)")

        today = today_london()
        self.from_check = QCheckBox("&From")
        self.from_check.setObjectName("fromCheck")
        self.from_date = QDateEdit(_qdate(today - timedelta(days=30)))
        self.from_date.setObjectName("fromDateEdit")
        self.to_check = QCheckBox("&To")
        self.to_check.setObjectName("toCheck")
        self.to_date = QDateEdit(_qdate(today))
        self.to_date.setObjectName("toDateEdit")
        for check, edit, tip in (
            (self.from_check, self.from_date, "Show only entries on or after this day"),
            (self.to_check, self.to_date, "Show only entries on or before this day"),
        ):
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setCalendarPopup(True)
            edit.setMinimumDate(QDate(2000, 1, 1))
            edit.setEnabled(False)
            edit.setToolTip(tip)
            check.setToolTip(tip)
            check.toggled.connect(edit.setEnabled)

        self.apply_button = QPushButton("&Apply")
        self.apply_button.setObjectName("applyButton")
        self.apply_button.setToolTip("Fetch the entries that match these filters")
        self.apply_button.setAutoDefault(True)
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.refresh)

        action_label = QLabel("Ac&tion:")
        action_label.setBuddy(self.action_combo)
        user_label = QLabel("&User:")
        user_label.setBuddy(self.user_edit)
        filters = QGroupBox("Filters")
        grid = QGridLayout(filters)
        grid.addWidget(action_label, 0, 0)
        grid.addWidget(self.action_combo, 0, 1)
        grid.addWidget(user_label, 0, 2)
        grid.addWidget(self.user_edit, 0, 3)
        grid.addWidget(self.from_check, 1, 0)
        grid.addWidget(self.from_date, 1, 1)
        grid.addWidget(self.to_check, 1, 2)
        grid.addWidget(self.to_date, 1, 3)
        grid.addWidget(self.apply_button, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        self.table = read_only_table("auditTable", HEADERS)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_TIME, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionMode(self.table.SelectionMode.ExtendedSelection)

        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.error_label = ErrorLabel()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("closeButton")
        close.setAutoDefault(False)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(filters)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        if self.can_view:
            self.refresh()
        else:
            filters.setEnabled(False)
            self.error_label.show_message(
                "Your role cannot read the audit log. Ask an administrator if you need to."
            )

    def refresh(self) -> None:
        """Fetch the entries matching the filters, newest first."""
        self.error_label.clear_message()
        since = until = None
        if self.from_check.isChecked():
            since = london_to_utc(_pydate(self.from_date.date()), time(0, 0))
        if self.to_check.isChecked():
            until = london_to_utc(_pydate(self.to_date.date()) + timedelta(days=1), time(0, 0))
        if since and until and since >= until:
            self.error_label.show_message("The 'From' day is after the 'To' day.")
            return
        # Read at once (she pressed Show and is waiting for the list), with a wait cursor; a
        # refusal is said above the list. Not watched: reading the log is itself logged.
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        found = ops_for(self._ws).run(
            self, audit.entries, self._ws,
            action=self.action_combo.currentData() or None,
            username=self.user_edit.text().strip().lower() or None,
            since=since, until=until, limit=LIMIT, on_error=self.error_label.refused)
        QGuiApplication.restoreOverrideCursor()
        if found.ok:
            self._show(found.value or [])

    def _show(self, rows: list[AuditRow]) -> None:
        self.rows = rows
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(rows))
        for row, entry in enumerate(rows):
            fill_row(
                self.table,
                row,
                [
                    (london_time(entry.at, seconds=True), (entry.at, entry.id)),
                    (entry.username, None),
                    (entry.action, None),
                    (entry.record_type, None),
                    (entry.record_id, _id_key(entry.record_id)),
                    (entry.detail, None),
                ],
            )
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()  # keep whatever order she chose
        self.table.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
        fit_columns(self.table)
        if len(rows) >= LIMIT:
            self.count_label.setText(
                f"Showing the latest {LIMIT} entries; narrow the filters to see older ones."
            )
        elif rows:
            self.count_label.setText(f"{len(rows)} entr{'y' if len(rows) == 1 else 'ies'}")
        else:
            self.count_label.setText("No entries match these filters.")
