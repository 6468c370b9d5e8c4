"""Keyboard paths around the main window, for staff who never use a mouse.

The map (also in the Help menu's "Keyboard shortcuts"):

* Ctrl+1 … Ctrl+4 — show the Caseload, Induction, Planning or Release list, focus in its table.
* F6 / Shift+F6 — move focus between the list on screen and the open record (its tab bar).
* Ctrl+F — the caseload search (one find for everyone: the caseload holds every woman, so
  Ctrl+F switches to the Caseload list first when another list is on screen).
* Tab / Shift+Tab — leave a table (arrows move inside it); from a list, Tab reaches the record's
  Edit… button, its tab bar and every control on the tab shown.
* Ctrl+Tab / Ctrl+Shift+Tab, Ctrl+PgDn / Ctrl+PgUp — the next or previous tab of the tab set
  that holds the focus (the lists, or her record's tabs). Ctrl+Tab is Qt's own; the PgDn/PgUp
  pair is added here because tables and scrolling pages would otherwise swallow it.
* Enter on a row opens her record at once; arrow keys open it once the selection settles.

Focus alone never changes whose record is open: a table that gains focus with no current row
keeps none (Qt would otherwise make row 0 current, and the window would open her record and
audit a view nobody asked for).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QMessageBox,
    QTabWidget,
    QWidget,
)

if TYPE_CHECKING:
    from ui.main_window import MainWindow

KEY_MAP = (
    ("Ctrl+1 … Ctrl+4", "Caseload, Induction, Planning, Release list"),
    ("F6", "Between the list and her record"),
    ("Ctrl+F", "Find in the caseload"),
    ("Tab / Shift+Tab", "Next / previous control; leaves a table"),
    ("Arrow keys", "Move in a table; her record opens when you stop"),
    ("Enter", "Open her record now"),
    ("Ctrl+Tab, Ctrl+PgDn", "Next tab (Shift or PgUp: previous)"),
    ("F5", "Refresh the lists"),
    ("Ctrl+L", "Lock"),
)


def leave_by_tab(view: QAbstractItemView) -> None:
    """Tab and Shift+Tab move focus out of the table instead of from cell to cell."""
    view.setTabKeyNavigation(False)


class _NoCurrentOnFocus(QObject):
    """On focus-in, tell a view with no current row that its current row is 'none, on purpose'.

    QAbstractItemView.focusInEvent makes the first row current when none is set (unless the
    focus came by mouse). setCurrentIndex(QModelIndex()) marks the current index as chosen, so
    Qt leaves it alone; the view emits nothing because nothing changed. An arrow key still
    moves to the first row, which is a deliberate choice and opens her record.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (event.type() == QEvent.Type.FocusIn and isinstance(watched, QAbstractItemView)
                and watched.model() is not None and not watched.currentIndex().isValid()):
            watched.setCurrentIndex(QModelIndex())
        return False


def guard_tables(root: QWidget) -> None:
    """Every table under `root`: Tab leaves it, and gaining focus never picks a row."""
    guard = root.findChild(_NoCurrentOnFocus, "noCurrentOnFocus")
    if guard is None:
        guard = _NoCurrentOnFocus(root)
        guard.setObjectName("noCurrentOnFocus")
    for view in root.findChildren(QAbstractItemView):
        if view.property("keyboardGuarded") or view.window() is not root.window():
            continue  # a combo box's drop-down list is its own window, with its own keys
        leave_by_tab(view)
        view.installEventFilter(guard)
        view.setProperty("keyboardGuarded", True)


def _focus_target(widget: QWidget) -> QWidget:
    """The table inside a list (each list view keeps it as `.table`), else the list itself."""
    target = getattr(widget, "table", None)
    return target if isinstance(target, QWidget) else widget


def _tab_keys(tabs: QTabWidget, scope: QWidget | None = None) -> list[QAction]:
    """Ctrl+PgDn / Ctrl+PgUp for `tabs` wherever the focus is inside `scope`.

    QTabWidget handles these keys itself, but only if nothing under the focus took them
    first: a table or a scrolling page (Plan, Release day, Details) takes PgUp/PgDn, Ctrl or
    not. As shortcuts they win over the focused widget; plain PgUp/PgDn still page a table.
    Ctrl+Tab and Ctrl+Shift+Tab need no help: no child takes them.
    """
    scope = scope or tabs
    actions = []
    for key, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
        action = QAction(scope)
        action.setObjectName(f"{tabs.objectName()}{'Next' if step > 0 else 'Previous'}Tab")
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(
            lambda _c=False, s=step: tabs.setCurrentIndex((tabs.currentIndex() + s)
                                                         % max(1, tabs.count())))
        scope.addAction(action)
        actions.append(action)
    return actions


class KeyboardNavigator(QObject):
    """Window-wide shortcuts that move focus between the lists and the record."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("keyboardNavigator")
        self.list_actions: list[QAction] = []
        for number in range(window.lists.count()):
            action = QAction(f"List {number + 1}", window)
            action.setObjectName(f"showList{number + 1}Action")
            action.setShortcut(QKeySequence(f"Ctrl+{number + 1}"))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _c=False, n=number: self.show_list(n))
            window.addAction(action)
            self.list_actions.append(action)
        self.cycle_action = QAction("Between list and record", window)
        self.cycle_action.setObjectName("cycleFocusAction")
        self.cycle_action.setShortcuts([QKeySequence("F6"), QKeySequence("Shift+F6")])
        self.cycle_action.triggered.connect(lambda _c=False: self.cycle_focus())
        window.addAction(self.cycle_action)
        self.tab_actions = [*_tab_keys(window.lists), *_tab_keys(window.person.tabs,
                                                                 window.person)]
        self.help_action = QAction("&Keyboard shortcuts", window)
        self.help_action.setObjectName("keyboardHelpAction")
        self.help_action.triggered.connect(lambda _c=False: self.show_help())
        for menu_action in window.menuBar().actions():
            if menu_action.menu() is not None and menu_action.text() == "&Help":
                menu_action.menu().insertAction(menu_action.menu().actions()[0]
                                                if menu_action.menu().actions() else None,
                                                self.help_action)
        guard_tables(window)

    def show_help(self) -> QMessageBox:
        rows = "".join(f"<tr><td><b>{keys}</b>&nbsp;&nbsp;</td><td>{what}</td></tr>"
                       for keys, what in KEY_MAP)
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts",
                          f"<table>{rows}</table>", QMessageBox.StandardButton.Close,
                          self.window)
        box.setObjectName("keyboardHelp")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    @property
    def window(self) -> MainWindow:
        """The window, found through Qt rather than held: a Python reference back from its
        child would make a cycle that keeps the window's wrapper alive after lock."""
        return cast("MainWindow", self.parent())

    def show_list(self, number: int) -> None:
        """Show list `number` (0-based) and put the focus in its table, choosing no row."""
        lists = self.window.lists
        if not 0 <= number < lists.count():
            return
        lists.setCurrentIndex(number)
        _focus_target(lists.widget(number)).setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_list(self) -> None:
        lists = self.window.lists
        _focus_target(lists.currentWidget()).setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_record(self) -> bool:
        """Focus her record's tab bar; False when no record is open."""
        person = self.window.person
        if person.person_id is None:
            return False
        person.tabs.tabBar().setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def cycle_focus(self) -> None:
        """F6: from anywhere in the record to the list; from anywhere else to the record."""
        focus = QApplication.focusWidget()
        in_record = focus is not None and self.window.person.isAncestorOf(focus)
        if in_record or not self.focus_record():
            self.focus_list()


def install(window: MainWindow) -> KeyboardNavigator:
    """Give `window` its keyboard paths; call once, after its lists and record are built."""
    return KeyboardNavigator(window)
