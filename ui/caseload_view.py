"""The caseload: type-ahead search, custody and release-window filters with counts, the table."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import reference
from app.domain.caseload import CaseloadFilter, CaseloadRow, ReleaseWindow
from app.services import people
from app.services.changes import Changes, Kind
from app.services.workspace import Workspace
from ui.caseload_model import COL_NAME, CaseloadModel
from ui.list_parts import person_table
from ui.ops import ChangeWatcher, ops_for

ALL = "all"
# Short enough for all seven buttons to fit beside the record on a 1366-pixel screen.
SHORT_LABELS = {
    ReleaseWindow.OVERDUE: "Overdue",
    ReleaseWindow.THIS_WEEK: "This week",
    ReleaseWindow.NEXT_WEEK: "Next week",
    ReleaseWindow.WITHIN_12_WEEKS: "12 weeks",
    ReleaseWindow.WITHIN_24_WEEKS: "24 weeks",
    ReleaseWindow.UNKNOWN: "Unknown",
}


class _SearchEdit(QLineEdit):
    """Down arrow moves into the table; Enter opens the first match."""

    move_down = Signal()
    open_first = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Down:
            self.move_down.emit()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_first.emit()
        else:
            super().keyPressEvent(event)


class CaseloadView(QWidget):
    person_activated = Signal(int)
    current_person_changed = Signal(object)  # int | None
    shown_changed = Signal(int, int)  # shown, total
    WATCHES = (Kind.PEOPLE, Kind.OUTCOMES, Kind.TRANSFERS)

    def __init__(self, today: Callable[[], date], parent: QWidget | None = None,
                 ws: Workspace | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self._today = today
        self.model = CaseloadModel(today)
        self._restoring = False

        self.search = _SearchEdit()
        self.search.setObjectName("caseloadSearch")
        self.search.setPlaceholderText("Find by name or prison number…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._apply_filter)
        self.search.move_down.connect(self._focus_table)
        self.search.open_first.connect(self._open_first)

        self.custody = QComboBox()
        self.custody.setObjectName("custodyFilter")
        self.custody.addItem("All custody statuses", None)
        for code, label in reference.CUSTODY_STATUSES.items():
            self.custody.addItem(label, code)
        self.custody.currentIndexChanged.connect(self._apply_filter)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.custody)

        self.window_group = QButtonGroup(self)
        self.window_group.setExclusive(True)
        self.window_buttons: dict[str, QToolButton] = {}
        windows = QHBoxLayout()
        windows.setSpacing(4)
        windows.addWidget(QLabel("Release:"))
        for key in [ALL, *[w.value for w in ReleaseWindow]]:
            button = QToolButton()
            button.setCheckable(True)
            button.setObjectName(f"window_{key}")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.window_group.addButton(button)
            self.window_buttons[key] = button
            windows.addWidget(button)
        windows.addStretch(1)
        self.window_buttons[ALL].setChecked(True)
        self.window_group.buttonToggled.connect(self._on_window_toggled)

        self.table = person_table("caseloadTable", self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # Release risks (the last column that matters) ends inside a 1366-pixel screen's list.
        for column, width in enumerate((78, 165, 82, 100, 120, 44, 160)):
            self.table.setColumnWidth(column, width)
        self.table.activated.connect(self._on_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(windows)
        layout.addWidget(self.table, 1)
        self._update_counts()
        if ws is not None:
            self.watcher = ChangeWatcher(self, ops_for(ws), self.WATCHES, self.refresh)

    # --- data ----------------------------------------------------------------------------
    def load(self) -> bool:
        """Everyone, read now (about 0.1 s at 5,000 women): the first thing she sees."""
        if self.ws is None:
            return False
        done = ops_for(self.ws).run(self, people.caseload, self.ws, self._today())
        if done.ok and done.value is not None:
            self.set_rows(done.value)
        return done.ok

    def refresh(self, changes: Changes) -> None:
        """After a change: only the women it names are read again (a few milliseconds)."""
        if self.ws is None:
            return
        if changes.all_people or not self.model.total():
            self.load()
            return
        done = ops_for(self.ws).run(self, people.caseload, self.ws, self._today(),
                                    only=changes.people)
        if done.ok and done.value is not None:
            self.update_rows(changes.people, done.value)

    def set_rows(self, rows: Sequence[CaseloadRow]) -> None:
        self._keeping_place(lambda: self.model.set_rows(rows))

    def update_rows(self, person_ids: Collection[int], rows: Sequence[CaseloadRow]) -> None:
        """Replace these women's rows (the others stay as they are)."""
        self._keeping_place(lambda: self.model.replace(person_ids, rows))

    def _keeping_place(self, change: Callable[[], None]) -> None:
        """Change the rows, keeping her selection and the scroll position: a change elsewhere
        must not move the list under the user's eyes nor close the open record."""
        current = self.table.currentIndex()
        chosen = self.model.row_at(current.row()).id if current.isValid() else None
        scrolled = self.table.verticalScrollBar().value()
        row = None
        self._restoring = True
        try:
            change()
            row = None if chosen is None else self.model.row_of(chosen)
            if row is not None:
                self.table.setCurrentIndex(self.model.index(row, current.column()))
        finally:
            self._restoring = False
        self.table.verticalScrollBar().setValue(scrolled)
        self._update_counts()
        if chosen is not None and row is None:
            self.current_person_changed.emit(None)

    def clear(self) -> None:
        self.search.clear()
        self.model.clear()
        self._update_counts()

    def current_filter(self) -> CaseloadFilter:
        checked = self.window_group.checkedButton()
        key = checked.objectName().removeprefix("window_") if checked else ALL
        return CaseloadFilter(
            text=self.search.text(),
            custody_status=self.custody.currentData(),
            window=None if key == ALL else ReleaseWindow(key),
        )

    def select_person(self, person_id: int, clear_filters_if_hidden: bool = False) -> None:
        row = self.model.row_of(person_id)
        if row is None and clear_filters_if_hidden:
            # A woman just added or changed must be seen, even if the filters would hide her.
            self.search.clear()
            self.custody.setCurrentIndex(0)
            self.window_buttons[ALL].setChecked(True)
            row = self.model.row_of(person_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    # --- reactions -----------------------------------------------------------------------
    def _apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())
        self._update_counts()
        if self.model.rowCount() == 1:
            self.table.selectRow(0)

    def _on_window_toggled(self, _button: QToolButton, checked: bool) -> None:
        if checked:
            self._apply_filter()

    def _update_counts(self) -> None:
        counts = self.model.window_counts()
        self.window_buttons[ALL].setText(f"All ({self.model.count_any_window()})")
        for window in ReleaseWindow:
            button = self.window_buttons[window.value]
            button.setText(f"{SHORT_LABELS[window]} ({counts[window]})")
            button.setToolTip(f"{window.label}: {counts[window]}")
        self.shown_changed.emit(self.model.rowCount(), self.model.total())

    def _focus_table(self) -> None:
        if self.model.rowCount():
            self.table.setFocus()
            if not self.table.currentIndex().isValid():
                self.table.selectRow(0)

    def _open_first(self) -> None:
        if self.model.rowCount():
            index = self.table.currentIndex()
            row = index.row() if index.isValid() else 0
            self.person_activated.emit(self.model.row_at(row).id)

    def _on_activated(self, index: QModelIndex) -> None:
        self.person_activated.emit(self.model.row_at(index.row()).id)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._restoring:
            return
        self.current_person_changed.emit(
            self.model.row_at(current.row()).id if current.isValid() else None
        )
