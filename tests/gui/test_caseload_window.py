from PySide6.QtCore import Qt

from app.domain.caseload import ReleaseWindow
from tests.gui.conftest import TODAY


def shown_numbers(window) -> list[str]:
    model = window.caseload.model
    return [model.row_at(i).prison_number for i in range(model.rowCount())]


def test_lists_everyone_sorted_by_family_name(main_window):
    assert shown_numbers(main_window) == ["Z1001AA", "Z1002AA", "Z1003AA", "Z1004AA"]
    assert main_window.shown_label.text() == "Showing 4 of 4"


def test_type_ahead_finds_by_prison_number_and_by_name(main_window, qtbot):
    qtbot.keyClicks(main_window.caseload.search, "z1003")
    assert shown_numbers(main_window) == ["Z1003AA"]
    main_window.caseload.search.clear()
    qtbot.keyClicks(main_window.caseload.search, "dunm")
    assert shown_numbers(main_window) == ["Z1004AA"]
    # the only match is selected and opened in the record view
    qtbot.waitUntil(lambda: "Z1004AA" in main_window.person.title.text())


def test_release_window_buttons_filter_and_count(main_window):
    buttons = main_window.caseload.window_buttons
    assert buttons[ReleaseWindow.OVERDUE.value].text() == "Overdue (1)"
    assert buttons[ReleaseWindow.THIS_WEEK.value].text() == "This week (1)"
    assert buttons[ReleaseWindow.NEXT_WEEK.value].text() == "Next week (1)"
    assert buttons[ReleaseWindow.UNKNOWN.value].text() == "Unknown (1)"
    assert buttons[ReleaseWindow.UNKNOWN.value].toolTip() == "Date unknown: 1"
    buttons[ReleaseWindow.NEXT_WEEK.value].click()
    assert shown_numbers(main_window) == ["Z1003AA"]
    buttons["all"].click()
    assert len(shown_numbers(main_window)) == 4


def test_custody_filter_updates_counts(main_window):
    combo = main_window.caseload.custody
    combo.setCurrentIndex(combo.findData("REMAND"))
    assert shown_numbers(main_window) == ["Z1004AA"]
    assert main_window.caseload.window_buttons["all"].text() == "All (1)"
    assert main_window.caseload.window_buttons["overdue"].text() == "Overdue (0)"


def test_sorting_by_release_date_puts_unknown_last(main_window):
    from ui.caseload_model import COL_RELEASE

    main_window.caseload.table.sortByColumn(COL_RELEASE, Qt.SortOrder.AscendingOrder)
    assert shown_numbers(main_window) == ["Z1001AA", "Z1002AA", "Z1003AA", "Z1004AA"]
    main_window.caseload.table.sortByColumn(COL_RELEASE, Qt.SortOrder.DescendingOrder)
    assert shown_numbers(main_window)[0] == "Z1004AA"


def test_opening_a_woman_shows_the_tabs_and_is_audited(main_window, qtbot, caseload):
    from app.services import audit

    qtbot.keyClicks(main_window.caseload.search, "Brackwell")
    qtbot.keyClick(main_window.caseload.search, Qt.Key.Key_Return)
    assert "BRACKWELL" in main_window.person.title.text()
    assert "Release in 4 days" in main_window.person.subtitle.text()
    tabs = [main_window.person.tabs.tabText(i) for i in range(main_window.person.tabs.count())]
    assert tabs == ["Details", "Screening", "Plan", "Release day", "Sheets", "Referrals",
                    "History"]
    viewed = audit.entries(caseload, action="person_viewed")
    assert viewed and all("Brackwell" not in e.detail for e in viewed)
    assert TODAY.weekday() == 0


def test_opening_the_same_woman_twice_is_audited_once(main_window, qtbot, caseload):
    from app.services import audit

    qtbot.keyClicks(main_window.caseload.search, "Z1002")  # the only match: selected, opened
    qtbot.keyClick(main_window.caseload.search, Qt.Key.Key_Return)  # Enter opens it again
    viewed = audit.entries(caseload, action="person_viewed")
    assert [e.record_id for e in viewed].count(str(main_window.person.person_id)) == 1


def test_a_new_woman_is_shown_even_when_the_filter_would_hide_her(main_window, qtbot):
    from tests.gui.test_person_dialog import fill_valid
    from ui.person_dialog import PersonDialog

    qtbot.keyClicks(main_window.caseload.search, "Ashdown")
    main_window.new_person()
    dialog = main_window.findChild(PersonDialog)
    fill_valid(dialog, qtbot, number="Z8888QQ")
    dialog.save()
    qtbot.waitUntil(lambda: "Z8888QQ" in main_window.person.title.text())
    assert main_window.caseload.search.text() == ""
    selected = main_window.caseload.table.currentIndex().row()
    assert main_window.caseload.model.row_at(selected).prison_number == "Z8888QQ"


def test_release_risks_are_shown_in_words(qtbot, workspace):
    from datetime import time

    from app.services import people
    from tests.conftest import make_draft
    from ui.caseload_model import COL_RISKS
    from ui.main_window import MainWindow

    people.add_person(workspace, make_draft(release_date=TODAY.replace(day=27),
                                            release_time=time(18, 0)))
    window = MainWindow(workspace, today=lambda: TODAY)
    qtbot.addWidget(window)
    index = window.caseload.model.index(0, COL_RISKS)
    assert index.data() == "Friday, After 17:00, Before a closed day"
    assert "council housing offices close" in index.data(Qt.ItemDataRole.ToolTipRole)
