"""Accommodation on release: where women went, month by month, and whether it lasted 12 weeks.

On screen the real counts are shown (the team needs to see every woman released to nothing);
the CSV and PDF exports are for sharing, so counts from 1 to 4 are shown there as "<5".

The report is read through the operation runner and read again when an outcome is recorded
(the change events); the PDF is written on a worker thread. The CSV, a few hundred bytes,
is written at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, QRectF, Qt, QUrl
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTabWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import parse_uk_date, uk_date
from app.domain.release_day import OutcomeCounts, OutcomeReport
from app.domain.roles import Permission
from app.domain.timezone import today_london
from app.services import release_day
from app.services.changes import Kind
from app.services.workspace import Workspace
from ui.dialog_parts import ErrorLabel, fill_row, fit_columns, read_only_table
from ui.ops import ChangeWatcher, ops_for

# Colour-blind-safe colours; homeless is also hatched, and every bar says its counts in words.
SERIES = (
    ("settled", "Settled", QColor("#0072b2"), Qt.BrushStyle.SolidPattern),
    ("transient", "Transient", QColor("#e69f00"), Qt.BrushStyle.SolidPattern),
    ("homeless", "Homeless", QColor("#c8102e"), Qt.BrushStyle.BDiagPattern),
    ("unknown", "Not known", QColor("#9e9e9e"), Qt.BrushStyle.SolidPattern),
)
HEADERS = ["", "Settled", "Transient", "Homeless", "Not known", "Total",
           "Sustained 12 wks", "Not sustained", "Follow-up not recorded"]
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_name(label: str) -> str:
    """"2026-11" → "Nov 2026" (other labels as they are)."""
    try:
        year, month = label.split("-")
        return f"{MONTHS[int(month) - 1]} {year}"
    except (ValueError, IndexError):
        return label


def in_words(counts: OutcomeCounts, label: str | None = None) -> str:
    who = "woman" if counts.total == 1 else "women"
    head = f"{label or counts.label}: {counts.total} {who} released"
    if not counts.total:
        return head
    return (f"{head} — {counts.settled} settled, {counts.transient} transient, "
            f"{counts.homeless} homeless, {counts.unknown} not known")


def year_before(day: date) -> date:
    """The first day of the month eleven months back: with this month, the last 12 months."""
    months = day.year * 12 + day.month - 1 - 11
    return date(months // 12, months % 12 + 1, 1)


class OutcomeChart(QWidget):
    """Stacked bars by month (settled, transient, homeless, not known), with a legend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcomeChart")
        self.months: list[OutcomeCounts] = []
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMouseTracking(True)

    def set_months(self, months: Sequence[OutcomeCounts]) -> None:
        self.months = list(months)
        self.setAccessibleDescription("; ".join(self.tooltip_for(i) for i in
                                                range(len(self.months))))
        self.update()

    def tooltip_for(self, index: int) -> str:
        counts = self.months[index]
        return in_words(counts, month_name(counts.label))

    # geometry shared by painting and tooltips
    def _plot(self) -> QRectF:
        metrics = self.fontMetrics()
        left = metrics.horizontalAdvance("000") + 12
        top = metrics.height() + 14  # the legend
        bottom = metrics.height() * 2 + 10  # month and year under each bar
        return QRectF(left, top, max(10, self.width() - left - 8),
                      max(10, self.height() - top - bottom))

    def _bar(self, index: int) -> QRectF:
        plot = self._plot()
        slot = plot.width() / max(1, len(self.months))
        width = max(4.0, min(48.0, slot * 0.7))
        return QRectF(plot.left() + slot * index + (slot - width) / 2, plot.top(), width,
                      plot.height())

    def index_at(self, x: float) -> int | None:
        for index in range(len(self.months)):
            bar = self._bar(index)
            if bar.left() - 3 <= x <= bar.right() + 3:
                return index
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.index_at(event.pos().x())
            if index is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip_for(index), self)
            return True
        return super().event(event)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette_text = self.palette().windowText().color()
        metrics = self.fontMetrics()
        # legend
        x = 4
        for _name, label, colour, pattern in SERIES:
            swatch = QRectF(x, 4, 12, 12)
            self._fill(painter, swatch, colour, pattern)
            painter.setPen(palette_text)
            painter.drawText(int(x + 16), 4 + metrics.ascent(), label)
            x += 16 + metrics.horizontalAdvance(label) + 18
        plot = self._plot()
        highest = max([m.total for m in self.months] + [1])
        step = max(1, -(-highest // 4))
        ceiling = step * 4 if highest > 4 else max(highest, 1)
        # axis and grid
        painter.setPen(QPen(QColor("#d0d0d0")))
        ticks = range(0, ceiling + 1, step if highest > 4 else 1)
        for value in ticks:
            y = plot.bottom() - plot.height() * value / ceiling
            painter.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            painter.setPen(palette_text)
            painter.drawText(QRectF(0, y - metrics.height() / 2, plot.left() - 6,
                                    metrics.height()),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             str(value))
            painter.setPen(QPen(QColor("#d0d0d0")))
        if not self.months:
            painter.setPen(palette_text)
            painter.drawText(plot, int(Qt.AlignmentFlag.AlignCenter), "No months to show")
            return
        slot = plot.width() / len(self.months)
        label_every = max(1, int((metrics.horizontalAdvance("Mmm") + 6) // max(1.0, slot)) + 1)
        for index, counts in enumerate(self.months):
            bar = self._bar(index)
            y = plot.bottom()
            for name, _label, colour, pattern in SERIES:
                value = getattr(counts, name)
                if not value:
                    continue
                height = plot.height() * value / ceiling
                segment = QRectF(bar.left(), y - height, bar.width(), height)
                self._fill(painter, segment, colour, pattern)
                y -= height
            if index % label_every == 0:
                month_label = month_name(counts.label).split(" ")
                painter.setPen(palette_text)
                below = QRectF(bar.center().x() - slot, plot.bottom() + 2, slot * 2,
                               metrics.height())
                painter.drawText(below, int(Qt.AlignmentFlag.AlignHCenter), month_label[0])
                if len(month_label) > 1 and (index == 0 or month_label[0] == "Jan"):
                    below.translate(0, metrics.height())
                    painter.drawText(below, int(Qt.AlignmentFlag.AlignHCenter), month_label[1])
        painter.setPen(palette_text)
        painter.drawLine(int(plot.left()), int(plot.bottom()), int(plot.right()),
                         int(plot.bottom()))

    @staticmethod
    def _fill(painter: QPainter, rect: QRectF, colour: QColor, pattern: Qt.BrushStyle) -> None:
        painter.fillRect(rect, QBrush(colour.lighter(160) if pattern != Qt.BrushStyle.SolidPattern
                                      else colour))
        if pattern != Qt.BrushStyle.SolidPattern:
            painter.fillRect(rect, QBrush(colour, pattern))
        painter.setPen(QPen(colour.darker(130)))
        painter.drawRect(rect)


class OutcomesDialog(QDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None,
                 today: Callable[[], date] = today_london) -> None:
        super().__init__(parent)
        self.setObjectName("outcomesDialog")
        self.setWindowTitle("Accommodation on release")
        self.ws = ws
        self.report: OutcomeReport | None = None
        self.start, self.end = year_before(today()), today()
        self.file_dialog: QFileDialog | None = None

        self.from_edit = QLineEdit(uk_date(self.start))
        self.from_edit.setObjectName("fromEdit")
        self.to_edit = QLineEdit(uk_date(self.end))
        self.to_edit.setObjectName("toEdit")
        for edit in (self.from_edit, self.to_edit):
            edit.setPlaceholderText("DD/MM/YYYY")
            edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("00/00/00000") + 24)
            edit.returnPressed.connect(self.reload)
        self.show_button = QPushButton("Show")
        self.show_button.setObjectName("showButton")
        self.show_button.clicked.connect(self.reload)
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel("Released from:"))
        chooser.addWidget(self.from_edit)
        chooser.addWidget(QLabel("to:"))
        chooser.addWidget(self.to_edit)
        chooser.addWidget(self.show_button)
        chooser.addStretch(1)

        self.error = ErrorLabel()
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.count_label.setWordWrap(True)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.sustained_label = QLabel()
        self.sustained_label.setObjectName("sustainedLabel")
        self.sustained_label.setWordWrap(True)
        self.chart = OutcomeChart()

        self.tables: dict[str, QTableWidget] = {}
        self.tabs = QTabWidget()
        self.tabs.setObjectName("outcomeTabs")
        for key, title, first in (("month", "By month", "Month"),
                                  ("quarter", "By quarter", "Quarter"),
                                  ("custody", "Remand or sentenced", "Custody"),
                                  ("nationality", "Nationality", "Nationality")):
            table = read_only_table(f"{key}Table", [first, *HEADERS[1:]])
            table.setMinimumHeight(150)
            self.tables[key] = table
            self.tabs.addTab(table, title)

        note = QLabel("On screen every count is shown. Exports show counts under 5 as <5, "
                      "so that no woman can be identified.")
        note.setObjectName("suppressionNote")
        note.setWordWrap(True)
        can_export = ws.can(Permission.EXPORT)
        self.csv_button = QPushButton("Export CSV…")
        self.csv_button.setObjectName("csvButton")
        self.csv_button.clicked.connect(lambda: self.choose_file("csv"))
        self.pdf_button = QPushButton("Print PDF…")
        self.pdf_button.setObjectName("pdfButton")
        self.pdf_button.clicked.connect(lambda: self.choose_file("pdf"))
        for button in (self.csv_button, self.pdf_button):
            button.setEnabled(can_export)
            if not can_export:
                button.setToolTip("Your role cannot export documents")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.csv_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(chooser)
        layout.addWidget(self.error)
        layout.addWidget(self.count_label)
        layout.addWidget(self.sustained_label)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(900, 640)
        self.ops = ops_for(ws)
        self.watcher = ChangeWatcher(self, self.ops, (Kind.OUTCOMES, Kind.PEOPLE),
                                     lambda _c: self.reload())
        self.reload()

    def _read_period(self) -> tuple[date, date] | None:
        try:
            start = parse_uk_date(self.from_edit.text())
            end = parse_uk_date(self.to_edit.text())
        except ValueError as exc:
            self.error.show_message(str(exc))
            return None
        if end < start:
            self.error.show_message("The 'to' date is before the 'from' date.")
            return None
        return start, end

    def reload(self) -> bool:
        period = self._read_period()
        if period is None:
            return False
        self.error.clear_message()
        found = self.ops.run(self, release_day.outcomes_report, self.ws, *period,
                             on_error=self.error.refused)
        if not found.ok or found.value is None:
            return False
        report = found.value
        self.start, self.end = period
        self.report = report
        self._fill(report)
        return True

    def _fill(self, report: OutcomeReport) -> None:
        overall = report.overall
        self.count_label.setText(in_words(
            overall, f"{uk_date(report.start)} to {uk_date(report.end)}") + ".")
        self.sustained_label.setText(
            f"12 weeks on: {overall.sustained} sustained, {overall.not_sustained} not "
            f"sustained, {overall.sustained_unknown} not recorded yet.")
        self.chart.set_months(report.by_month)
        groups = {"month": report.by_month, "quarter": report.by_quarter,
                  "custody": report.by_custody, "nationality": report.by_nationality}
        for key, rows in groups.items():
            table = self.tables[key]
            table.setRowCount(len(rows))
            for line, counts in enumerate(rows):
                label = month_name(counts.label) if key == "month" else counts.label
                numbers = (counts.settled, counts.transient, counts.homeless, counts.unknown,
                           counts.total, counts.sustained, counts.not_sustained,
                           counts.sustained_unknown)
                fill_row(table, line, [(label, counts.label),
                                       *((str(n), n) for n in numbers)])
                for column in range(1, len(HEADERS)):
                    item = table.item(line, column)
                    if item is not None:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                              | Qt.AlignmentFlag.AlignVCenter)
            fit_columns(table)

    # --- exports -------------------------------------------------------------------------
    def choose_file(self, kind: str) -> None:
        name = f"accommodation-outcomes-{self.start:%Y%m%d}-{self.end:%Y%m%d}.{kind}"
        title = "Export the outcomes as CSV" if kind == "csv" else "Save the outcomes as PDF"
        dialog = QFileDialog(self, title, str(Path.home() / name),
                             "CSV files (*.csv)" if kind == "csv" else "PDF files (*.pdf)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(kind)
        if kind == "csv":
            dialog.fileSelected.connect(lambda chosen: self.export_csv(Path(chosen)))
        else:
            dialog.fileSelected.connect(lambda chosen: self.write_pdf(Path(chosen), True))
        self.file_dialog = dialog
        dialog.open()

    def export_csv(self, path: Path | str) -> bool:
        done = self.ops.run(self, release_day.write_outcomes_csv, self.ws, self.start,
                            self.end, Path(path))
        if not done.ok:
            return False
        self.error.clear_message()
        self.count_label.setToolTip(f"Exported {done.value} rows to {Path(path).name}")
        return True

    def write_pdf(self, path: Path | str, open_it: bool = False) -> bool:
        """Start writing the report PDF on a worker thread (opened when written, if asked).
        True: started."""
        out, start, end = Path(path), self.start, self.end

        def written(_result: object) -> None:
            if open_it:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(out)))

        self.ops.run_in_background(
            self, lambda: release_day.write_outcomes_pdf(self.ws, start, end, out),
            busy="Writing the outcomes report…", on_done=written)
        return True
