"""On a 1366×768 workstation the window fits the screen and the deciding columns show without
scrolling sideways: release risks, BCST2, and the board's CRS / Accomm. / Rel. day."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QTableView, QTableWidgetItem

from app.services import settings
from ui import window_layout
from ui.main_window import MainWindow

SCREEN = (1366, 768)
TASKBAR = 40


def header_texts(table: QTableView) -> list[str]:
    model = table.model()
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def assert_in_viewport(table: QTableView, *titles: str) -> None:
    QApplication.processEvents()
    header = table.horizontalHeader()
    width = table.viewport().width()
    texts = header_texts(table)
    for title in titles:
        column = texts.index(title)
        left = header.sectionViewportPosition(column)
        right = left + header.sectionSize(column)
        assert 0 <= left and right <= width, f"{table.objectName()} {title}: {right} > {width}"
        assert header.sectionSize(column) >= header.fontMetrics().horizontalAdvance(title)


def test_window_is_narrow_enough_with_every_record_tab(main_window):
    window = main_window
    window._load_other_lists()
    window.open_person(window.caseload.model.row_at(0).id)
    assert (window.width(), window.height()) == SCREEN  # the offscreen screen is 800×600
    for index in range(window.person.tabs.count()):
        window.person.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        title = window.person.tabs.tabText(index)
        assert window.minimumSizeHint().width() <= 1280, title
        assert window.width() == SCREEN[0], title


def test_deciding_columns_show_at_1366(main_window):
    window = main_window
    window._load_other_lists()
    window.open_person(window.caseload.model.row_at(0).id)
    window.person.show_tab("Sheets")  # the widest tab before issue 12
    for number, titles in ((0, ("Prison no.", "Name", "Release", "Days", "Release risks")),
                           (1, ("Name", "BCST1", "BCST2")),
                           (2, ("Name", "Release", "CRS", "Accomm.", "Rel. day"))):
        window.lists.setCurrentIndex(number)
        assert_in_viewport(window.lists.widget(number).table, *titles)
    board = window.board.table
    name = header_texts(board).index("Name")
    assert board.horizontalHeader().sectionSize(name) >= 120  # names elide, not vanish
    assert window.statusBar().isVisible() and window.statusBar().geometry().bottom() < SCREEN[1]


def test_need_titles_keep_their_room_beside_a_long_decline_reason(main_window):
    main_window.open_person(main_window.caseload.model.row_at(0).id)
    main_window.person.show_tab("Screening")
    table = main_window.screening.needs_table
    table.setRowCount(1)
    for column, text in enumerate(("Open a bank account", "Prison",
                                   "Declined: " + "she has one already " * 6, "Help her apply")):
        table.setItem(0, column, QTableWidgetItem(text))
    QApplication.processEvents()
    header = table.horizontalHeader()
    assert header.sectionSize(0) >= table.fontMetrics().horizontalAdvance("Open a bank account")
    assert sum(header.sectionSize(c) for c in range(4)) <= table.viewport().width()


def test_opens_maximised_where_it_fits(qtbot, caseload, monkeypatch):
    window = MainWindow(caseload)
    qtbot.addWidget(window)
    screen = SimpleNamespace(availableGeometry=lambda: QRect(0, 0, SCREEN[0],
                                                              SCREEN[1] - TASKBAR))
    monkeypatch.setattr(window, "screen", lambda: screen)
    window.setWindowState(Qt.WindowState.WindowNoState)
    window_layout.fit_to_screen(window)
    assert window.windowState() & Qt.WindowState.WindowMaximized
    assert window.width() <= SCREEN[0] and window.height() <= SCREEN[1] - TASKBAR


def test_the_splitter_is_where_she_left_it(qtbot, caseload):
    first = MainWindow(caseload)
    qtbot.addWidget(first)
    first.show()
    total = sum(first.splitter.sizes())
    assert abs(first.splitter.sizes()[0] - total * window_layout.LIST_SHARE) <= 12
    first.splitter.moveSplitter(700, 1)  # as a drag does: splitterMoved, then a save
    qtbot.waitUntil(lambda: settings.list_width(caseload) == first.splitter.sizes()[0],
                    timeout=window_layout.SAVE_DELAY_MS + 2000)
    left = first.splitter.sizes()[0]
    first.close()

    second = MainWindow(caseload)
    qtbot.addWidget(second)
    second.show()
    QApplication.processEvents()
    assert abs(second.splitter.sizes()[0] - left) <= 2
