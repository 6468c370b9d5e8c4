"""The EDIC week list and the MAPPA quarter list on screen, and printed as A4 PDFs.

The list is read through the operation runner; the PDF is written on a worker thread, so a
long quarter does not freeze the window, and opened when it is on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import parse_uk_date, uk_date
from app.domain.meetings import MeetingRow
from app.domain.planning import following_week, iso_week, mappa_window
from app.domain.roles import Permission
from app.domain.timezone import today_london
from app.services import meetings
from app.services.workspace import Workspace
from ui.dialog_parts import ErrorLabel, fill_row, fit_columns, read_only_table
from ui.ops import ops_for

HEADERS = ["Name", "Prison no.", "Release", "Plan", "Accommodation", "Risks", "Open tasks"]
KINDS = ("EDIC", "MAPPA")
COL_RELEASE, COL_ACCOMMODATION, COL_RISKS, COL_TASKS = 2, 4, 5, 6


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def week_text(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def release_cell(row: MeetingRow) -> str:
    text = f"{row.release_date:%a} {uk_date(row.release_date)}"
    return f"{text} {row.release_time:%H:%M}" if row.release_time else text


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None
    return item


class MeetingsDialog(QDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None, kind: str = "EDIC",
                 today: Callable[[], date] = today_london) -> None:
        super().__init__(parent)
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")
        self.ws = ws
        self.kind = kind
        self._today = today
        self.rows: list[MeetingRow] = []
        self.start, self.end = following_week(today())
        self.file_dialog: QFileDialog | None = None
        self.setWindowTitle("EDIC list: releases in a week" if kind == "EDIC"
                            else "MAPPA list: releases in the coming three months")

        chooser = QHBoxLayout()
        self.period = QLineEdit()
        self.period.setObjectName("periodEdit")
        self.period.setMaximumWidth(self.period.fontMetrics().horizontalAdvance("00/00/00000")
                                    + 24)
        self.window_label = QLabel()
        self.window_label.setObjectName("windowLabel")
        if kind == "EDIC":
            chooser.addWidget(QLabel("Week:"))
            self.period.setPlaceholderText("2026-W49")
            self.period.setToolTip("ISO week: year-W-number, e.g. 2026-W49")
            self.period.setText(week_text(self.start))
            self.previous_button = QPushButton("◀ Previous week")
            self.previous_button.setObjectName("previousWeek")
            self.previous_button.clicked.connect(lambda: self.shift_week(-1))
            self.next_button = QPushButton("Next week ▶")
            self.next_button.setObjectName("nextWeek")
            self.next_button.clicked.connect(lambda: self.shift_week(1))
            chooser.addWidget(self.period)
            chooser.addWidget(self.previous_button)
            chooser.addWidget(self.next_button)
        else:
            chooser.addWidget(QLabel("From:"))
            self.period.setPlaceholderText("DD/MM/YYYY")
            self.period.setText(uk_date(today()))
            chooser.addWidget(self.period)
            chooser.addWidget(self.window_label)
        self.show_button = QPushButton("Show")
        self.show_button.setObjectName("showButton")
        self.show_button.clicked.connect(self.reload)
        self.period.returnPressed.connect(self.reload)
        chooser.addWidget(self.show_button)
        chooser.addStretch(1)

        self.error = ErrorLabel()
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.count_label.setWordWrap(True)
        self.table = read_only_table("meetingsTable", HEADERS)
        self.table.setWordWrap(True)
        self.table.setMinimumWidth(900)
        self.table.setMinimumHeight(260)

        self.print_button = QPushButton("Print PDF…")
        self.print_button.setObjectName("printButton")
        self.print_button.setEnabled(ws.can(Permission.EXPORT))
        if not self.print_button.isEnabled():
            self.print_button.setToolTip("Your role cannot export documents")
        self.print_button.clicked.connect(self.choose_file)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(chooser)
        layout.addWidget(self.error)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(1100, 460)
        self.reload()

    # --- period --------------------------------------------------------------------------
    def _read_period(self) -> tuple[date, date] | None:
        try:
            if self.kind == "EDIC":
                return iso_week(self.period.text())
            return mappa_window(parse_uk_date(self.period.text()))
        except ValueError as exc:
            self.error.show_message(str(exc))
            return None

    def shift_week(self, weeks: int) -> None:
        period = self._read_period()
        start = period[0] if period else self.start
        self.period.setText(week_text(start + timedelta(weeks=weeks)))
        self.reload()

    def reload(self) -> None:
        period = self._read_period()
        if period is None:
            return
        self.error.clear_message()
        self.start, self.end = period
        if self.kind == "MAPPA":
            self.window_label.setText(f"to {uk_date(self.end)} (three months)")
        fetch = meetings.edic_rows if self.kind == "EDIC" else meetings.mappa_rows
        found = ops_for(self.ws).run(self, fetch, self.ws, self.start, self.end)
        if not found.ok:
            return
        self.rows = found.value or []
        self._fill()

    def _fill(self) -> None:
        n = len(self.rows)
        who = ("woman" if n == 1 else "women") if self.kind == "EDIC" else \
              ("MAPPA case" if n == 1 else "MAPPA cases")
        self.count_label.setText(
            f"{n} {who} released {long_date(self.start)} to {long_date(self.end)}")
        table = self.table
        table.setSortingEnabled(False)
        table.setRowCount(n)
        for line, row in enumerate(self.rows):
            risks = "; ".join(row.risks) or "None noted"
            fill_row(table, line, [
                (row.name, None), (row.prison_number, None),
                (release_cell(row), (row.release_date, str(row.release_time or ""))),
                (row.plan_status, None), (row.accommodation_status, None),
                (risks, None), (str(len(row.open_tasks)), len(row.open_tasks)),
            ])
            cell(table, line, COL_RISKS).setToolTip("\n".join(row.risks) or "No risks noted")
            tasks = cell(table, line, COL_TASKS)
            tasks.setToolTip("\n".join(row.open_tasks) or "No open tasks")
            tasks.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            if row.risks:
                cell(table, line, COL_RISKS).setForeground(Qt.GlobalColor.darkRed)
        fit_columns(table)
        for column, cap in ((COL_ACCOMMODATION, 220), (COL_RISKS, 280)):
            table.setColumnWidth(column, min(table.columnWidth(column), cap))
        table.resizeRowsToContents()
        table.sortByColumn(COL_RELEASE, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)

    # --- printing ------------------------------------------------------------------------
    def choose_file(self) -> None:
        name = f"{self.kind}-{self.start:%Y%m%d}.pdf"
        dialog = QFileDialog(self, f"Save the {self.kind} list", str(Path.home() / name),
                             "PDF files (*.pdf)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(lambda chosen: self.write_pdf(Path(chosen), open_it=True))
        self.file_dialog = dialog
        dialog.open()

    def write_pdf(self, path: Path, open_it: bool = False) -> bool:
        """Start writing the list as a PDF on a worker thread (opened when written, if asked);
        the dialog is busy meanwhile. True: started."""
        write = meetings.write_edic if self.kind == "EDIC" else meetings.write_mappa
        start, end = self.start, self.end

        def written(_result: object) -> None:
            if open_it:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

        ops_for(self.ws).run_in_background(
            self, lambda: write(self.ws, start, end, path),
            busy=f"Writing the {self.kind} list…", on_done=written)
        return True
