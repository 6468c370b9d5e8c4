"""The caseload table model: all rows in memory, filtered by the domain's CaseloadFilter.

Rows are small frozen tuples from app.services.people.caseload, so a keystroke re-filters
5,000 women in a few milliseconds without touching the database.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Collection, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain import reference
from app.domain.caseload import CaseloadFilter, CaseloadRow, ReleaseWindow, evaluate
from app.domain.dates import hhmm, uk_date
from app.domain.release_risks import RISK_LABELS, SHORT_LABELS, ReleaseRisk
from ui.list_parts import Index, RowsModel

# One name column ("FAMILY, Given"), as prison lists write it: the record view needs the width.
# Release risks sit beside the date, before the council, so they are seen without scrolling.
COL_PRISON_NUMBER, COL_NAME, COL_DOB, COL_CUSTODY, COL_RELEASE, COL_DAYS, COL_RISKS, COL_LA = (
    range(8)
)
HEADERS = ("Prison no.", "Name", "Born", "Custody", "Release", "Days", "Release risks",
           "Home council")
RISK_COLOUR = QColor("#8a4b00")
ROW_ROLE = Qt.ItemDataRole.UserRole + 1



def _council(code: str) -> str:
    la = reference.local_authorities().get(code)
    return la.name if la else ""


class CaseloadModel(RowsModel):
    def __init__(self, today: Callable[[], date]) -> None:
        super().__init__(HEADERS)
        self._today = today
        self._all: list[CaseloadRow] = []  # kept in the current sort order
        self._matching: list[CaseloadRow] = []  # text and custody match, any window
        self._counts: dict[ReleaseWindow, int] = dict.fromkeys(ReleaseWindow, 0)
        self._filter = CaseloadFilter()
        self._sort: tuple[int, Qt.SortOrder] = (COL_NAME, Qt.SortOrder.AscendingOrder)

    # --- data in -------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[CaseloadRow]) -> None:
        """Rows arrive in name order (people.caseload promises it), the default sort."""
        self._all = list(rows)
        if self._sort != (COL_NAME, Qt.SortOrder.AscendingOrder):
            self._all.sort(key=self._key(self._sort[0]),
                           reverse=self._sort[1] == Qt.SortOrder.DescendingOrder)
        self._refilter(self._all)

    def clear(self) -> None:
        self.set_rows([])

    def replace(self, person_ids: Collection[int], rows: Sequence[CaseloadRow]) -> None:
        """These women re-read after a change (a row missing from `rows` has left the
        caseload). Only their lines move: the others, the sort and the filter stay, so one
        change costs a fraction of a millisecond per woman, not a re-sort of 5,000."""
        if self._replace_in_place(person_ids, rows):
            return
        gone = set(person_ids)
        for row in self._matching:
            if row.id in gone:
                for window in row.windows:
                    self._counts[window] -= 1
        self._all = [r for r in self._all if r.id not in gone]
        self._matching = [r for r in self._matching if r.id not in gone]
        for line in range(len(self._shown) - 1, -1, -1):
            if self._shown[line].id in gone:
                self.beginRemoveRows(QModelIndex(), line, line)
                del self._shown[line]
                self.endRemoveRows()
        flt = self._filter
        for row in rows:
            self._insert(self._all, row)
            if not flt.matching([row]):
                continue
            self._insert(self._matching, row)
            for window in row.windows:
                self._counts[window] += 1
            if flt.window is None or flt.window in row.windows:
                line = self._position(self._shown, row)
                self.beginInsertRows(QModelIndex(), line, line)
                self._shown.insert(line, row)
                self.endInsertRows()

    def _replace_in_place(self, person_ids: Collection[int],
                          rows: Sequence[CaseloadRow]) -> bool:
        """The usual change (a date, a worker's name): each woman keeps her place in the sort
        and the filter, so her line is repainted and nothing moves. False otherwise."""
        if len(rows) != len(person_ids) or {r.id for r in rows} != set(person_ids):
            return False
        key = self._key(self._sort[0])
        new = {r.id: r for r in rows}
        flt = self._filter
        places: list[tuple[list[CaseloadRow], int]] = []
        for rows_list in (self._all, self._matching, self._shown):
            for index, old in enumerate(rows_list):
                if old.id in new:
                    places.append((rows_list, index))
        if sum(1 for rows_list, _ in places if rows_list is self._all) != len(new):
            return False  # someone new (or gone): her line must be inserted or removed
        for rows_list, index in places:
            old = rows_list[index]
            row = new[old.id]
            if (key(row) != key(old) or old.windows != row.windows
                    or bool(flt.matching([row])) != bool(flt.matching([old]))):
                return False
        for rows_list, index in places:
            rows_list[index] = new[rows_list[index].id]
            if rows_list is self._shown:
                self.dataChanged.emit(self.index(index, 0),
                                      self.index(index, self.columnCount() - 1))
        return True

    def _position(self, rows: list[CaseloadRow], row: CaseloadRow) -> int:
        """Where `row` goes in `rows`, which are in the current sort order."""
        key = self._key(self._sort[0])
        wanted = key(row)
        if self._sort[1] == Qt.SortOrder.DescendingOrder:
            low, high = 0, len(rows)
            while low < high:
                middle = (low + high) // 2
                if key(rows[middle]) > wanted:
                    low = middle + 1
                else:
                    high = middle
            return low
        return bisect.bisect_right(rows, wanted, key=key)

    def _insert(self, rows: list[CaseloadRow], row: CaseloadRow) -> None:
        rows.insert(self._position(rows, row), row)

    def set_filter(self, flt: CaseloadFilter) -> None:
        base = self._matching if flt.narrows(self._filter) else self._all
        self._filter = flt
        self._refilter(base)

    @property
    def current_filter(self) -> CaseloadFilter:
        return self._filter

    def window_counts(self) -> dict[ReleaseWindow, int]:
        return dict(self._counts)

    def count_any_window(self) -> int:
        """How many rows the text and custody filters let through, whatever the window."""
        return len(self._matching)

    def total(self) -> int:
        return len(self._all)

    def row_of(self, person_id: int) -> int | None:
        for i, r in enumerate(self._shown):
            if r.id == person_id:
                return i
        return None

    def _refilter(self, base: Sequence[CaseloadRow]) -> None:
        result = evaluate(self._filter, base)  # base is sorted, so the result is too
        self.beginResetModel()
        self._matching, self._shown, self._counts = result.matching, result.shown, result.counts
        self.endResetModel()

    # --- sorting -------------------------------------------------------------------------
    def _key(self, column: int) -> Callable[[CaseloadRow], Any]:
        far = date.max
        keys: dict[int, Callable[[CaseloadRow], Any]] = {
            COL_PRISON_NUMBER: lambda r: r.prison_number,
            COL_NAME: lambda r: (r.family_name.casefold(), r.given_names.casefold()),
            COL_DOB: lambda r: r.date_of_birth,
            COL_CUSTODY: lambda r: r.custody_status,
            COL_RELEASE: lambda r: (r.release_date or far, r.release_time or 0),
            COL_DAYS: lambda r: r.release_date or far,
            COL_LA: lambda r: _council(r.home_local_authority),
            COL_RISKS: lambda r: (-len(r.risks), r.risks),
        }
        return keys[column]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        key, reverse = self._key(column), order == Qt.SortOrder.DescendingOrder
        for rows in (self._all, self._matching, self._shown):
            rows.sort(key=key, reverse=reverse)
        self.layoutChanged.emit()

    # --- Qt model API --------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._shown[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole and column in (COL_NAME, COL_CUSTODY, COL_LA):
            return self._display(row, column)  # the full text where a narrow column elides it
        if column in (COL_RISKS, COL_RELEASE) and row.risks:
            if role == Qt.ItemDataRole.ToolTipRole:
                return "\n".join(RISK_LABELS[ReleaseRisk(code)] for code in row.risks)
            if role == Qt.ItemDataRole.ForegroundRole and column == COL_RISKS:
                return QBrush(RISK_COLOUR)
        if role == Qt.ItemDataRole.ForegroundRole and column in (COL_RELEASE, COL_DAYS):
            if ReleaseWindow.OVERDUE in row.windows:
                return QBrush(QColor("#b00020"))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_DAYS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: CaseloadRow, column: int) -> str:
        if column == COL_PRISON_NUMBER:
            return row.prison_number
        if column == COL_NAME:
            return f"{row.family_name.upper()}, {row.given_names}"
        if column == COL_DOB:
            return uk_date(row.date_of_birth)
        if column == COL_CUSTODY:
            if row.transferred_to:
                return "Transferred"
            if row.released_on:
                return "Released"
            return reference.CUSTODY_STATUSES.get(row.custody_status, row.custody_status)
        if column == COL_RELEASE:
            if row.release_date is None:
                return "Unknown"
            when = hhmm(row.release_time)
            return f"{uk_date(row.release_date)} {when}".strip()
        if column == COL_DAYS:
            if row.release_date is None or row.released_on is not None:
                return ""  # no countdown once she has gone
            return str((row.release_date - self._today()).days)
        if column == COL_LA:
            return _council(row.home_local_authority)
        return ", ".join(SHORT_LABELS[ReleaseRisk(code)] for code in row.risks)
