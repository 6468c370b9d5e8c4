"""Small pieces the administration dialogs share: messages, passphrase fields, table cells.

Nothing here knows about the database; it only formats what app.services return and turns
exceptions into the plain sentences the user reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.domain import passphrase as passphrase_rules
from app.domain.timezone import to_london
from app.errors import UserError, ValidationFailed
from ui.messages import plain_message

__all__ = ["plain_message"]

ERROR_COLOUR = "#a4000f"
_STRENGTH_COLOURS = {0: ERROR_COLOUR, 1: "#8a4b00", 2: "#6b5900", 3: "#1d6b27", 4: "#1d6b27"}


def london_time(instant: datetime | None, *, seconds: bool = False, never: str = "") -> str:
    """An instant as the prison's clock shows it: 22/11/2025 13:19 (GMT or BST)."""
    if instant is None:
        return never
    return to_london(instant).strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")


class ErrorLabel(QLabel):
    """An inline message in plain words, hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorLabel")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))
        if text:
            self._make_room()

    def _make_room(self) -> None:
        """A small dialog grows to show the whole message (it never shrinks what she sized):
        a wrapped label appearing in a fixed-size window was clipped at its last line."""
        window = self.window()
        layout = window.layout()
        if window is self or not window.isVisible() or layout is None:
            return
        layout.activate()
        wanted = window.sizeHint()
        if window.windowType() == Qt.WindowType.Dialog:
            window.resize(max(window.width(), wanted.width()),
                          max(window.height(), wanted.height()))

    def show_exception(self, exc: Exception) -> None:
        self.show_message(plain_message(exc))

    def clear_message(self) -> None:
        self.show_message("")

    def refused(self, exc: UserError) -> bool:
        """An `on_error` for the operation runner: say why here, in the dialog, not in a
        message box (a ValidationFailed by its field messages); True: it has been shown."""
        if isinstance(exc, ValidationFailed):
            self.show_message(" ".join(exc.errors.values()))
        else:
            self.show_exception(exc)
        return True


def beside_fields(show_errors: Callable[[dict[str, str]], None],
                  summary: ErrorLabel) -> Callable[[UserError], bool]:
    """An `on_error` for a form: field problems beside their fields, anything else in the
    form's summary line; never a message box."""

    def shown(exc: UserError) -> bool:
        if isinstance(exc, ValidationFailed):
            show_errors(exc.errors)
        else:
            show_errors({})
            summary.show_exception(exc)
        return True

    return shown


def passphrase_edit(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    edit.setMinimumWidth(280)
    return edit


class StrengthHint(QLabel):
    """A live hint under a new passphrase: is it long enough, and how strong is it."""

    def __init__(
        self,
        edit: QLineEdit,
        username: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("strengthLabel")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._edit = edit
        self._username = username
        edit.textChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        text = self._edit.text()
        if not text:
            self.setText(
                f"At least {passphrase_rules.MIN_LENGTH} characters; "
                "several unrelated words are strongest."
            )
            self.setStyleSheet("")
            return
        strength = passphrase_rules.assess(text, self._username())
        self.setText(strength.hint)
        self.setStyleSheet(f"color: {_STRENGTH_COLOURS[strength.score]};")


class MatchHint(QLabel):
    """Says whether the confirmation matches, once she has started typing it."""

    def __init__(self, first: QLineEdit, second: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("matchLabel")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._first, self._second = first, second
        first.textChanged.connect(self.refresh)
        second.textChanged.connect(self.refresh)
        self.refresh()

    @property
    def matches(self) -> bool:
        return self._first.text() == self._second.text()

    def refresh(self) -> None:
        if not self._second.text():
            self.setText("")
        elif self.matches:
            self.setText("The passphrases match.")
            self.setStyleSheet(f"color: {_STRENGTH_COLOURS[4]};")
        else:
            self.setText("The passphrases do not match yet.")
            self.setStyleSheet(f"color: {ERROR_COLOUR};")


class SortableItem(QTableWidgetItem):
    """A read-only cell that sorts by a key (a date, a number) rather than by its text."""

    def __init__(self, text: str, key: object = None) -> None:
        super().__init__(text)
        self.sort_key = text.casefold() if key is None else key
        self.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.sort_key, getattr(other, "sort_key", other.text().casefold())
        try:
            return mine < theirs  # type: ignore[operator]
        except TypeError:
            return str(mine) < str(theirs)


def read_only_table(name: str, headers: list[str]) -> QTableWidget:
    """A table for reading: whole-row selection, no editing, alternating rows, tab moves on."""
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.setStyleSheet("QTableView::item { padding: 0px 6px; }")
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    fit_columns(table)  # headers readable before any row arrives
    return table


def fit_columns(table: QTableWidget, columns: range | None = None) -> None:
    """Size columns to their cells or header, whichever is wider, leaving room for the sort arrow.

    The last column stretches to the table's edge, so it is left alone.
    """
    header = table.horizontalHeader()
    last = table.columnCount() - 1
    for column in columns if columns is not None else range(last):
        if column == last and header.stretchLastSection():
            continue
        width = max(table.sizeHintForColumn(column), header.sectionSizeHint(column) + 14)
        table.setColumnWidth(column, width)


@contextmanager
def filling(table: QTableWidget) -> Iterator[None]:
    """Refill a table fast: while rows go in, columns that fit their contents (or stretch) and
    sorting are switched off, so each cell does not re-measure every other one (180 ms for 28
    tasks inside the window, 8 ms this way); they are switched back on once, at the end."""
    header = table.horizontalHeader()
    modes = [header.sectionResizeMode(c) for c in range(table.columnCount())]
    sorting = table.isSortingEnabled()
    table.setSortingEnabled(False)
    for column, mode in enumerate(modes):
        if mode != QHeaderView.ResizeMode.Interactive:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    try:
        yield
    finally:
        for column, mode in enumerate(modes):
            if mode != QHeaderView.ResizeMode.Interactive:
                header.setSectionResizeMode(column, mode)
        table.setSortingEnabled(sorting)


def fill_row(table: QTableWidget, row: int, cells: list[tuple[str, object]]) -> None:
    """One row of read-only cells, each (text shown, sort key or None to sort by the text)."""
    for column, (text, key) in enumerate(cells):
        table.setItem(row, column, SortableItem(text, key))


def button_row(prefix: str, specs: list[tuple[str, str, Callable[[], object], bool]],
               ) -> tuple[QHBoxLayout, dict[str, QPushButton]]:  # fmt: skip
    """A left-aligned row of push buttons: (key, text, action, enabled) each, named
    `<prefix>_<key>` for tests; the action's result is dropped (slots must return None)."""
    row = QHBoxLayout()
    buttons: dict[str, QPushButton] = {}
    for key, text, action, enabled in specs:
        button = QPushButton(text)
        button.setObjectName(f"{prefix}_{key}")
        button.clicked.connect(lambda _checked=False, act=action: (act(), None)[1])
        button.setEnabled(enabled)
        buttons[key] = button
        row.addWidget(button)
    row.addStretch(1)
    return row, buttons
