"""A POM screens a newly received woman from the keyboard alone: BCST1, then BCST2."""

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLineEdit, QPlainTextEdit

from app.domain.timezone import now_utc
from app.services import induction, needs, people, screening
from tests.conftest import make_draft
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, workspace):
    people.add_person(workspace, make_draft(
        prison_number="Z5150KB", family_name="Keyboardson", given_names="Fictiona",
        custody_status="REMAND", release_date=None,
        reception_at=now_utc() - timedelta(hours=20)))
    w = MainWindow(workspace)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w


def answer_by_keyboard(qtbot, dialog) -> int:
    """Tab through the form answering each question: Down picks the first option of a list,
    Space ticks the first box of a set, text fields get typed into. Returns keystrokes used."""
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    keys = 0
    widgets = {row.widget for row in dialog.rows.values()}
    checks = {c for row in dialog.rows.values() for c in row.checks}
    seen_groups = set()
    for _ in range(400):
        focus = QApplication.focusWidget()
        if focus in (dialog.completed_date, dialog.save_button, dialog.complete_button):
            break
        if isinstance(focus, QComboBox) and focus in widgets:
            qtbot.keyClick(focus, Qt.Key.Key_Down)
            keys += 1
        elif isinstance(focus, QCheckBox) and focus in checks:
            group = focus.parentWidget()
            if group not in seen_groups:
                seen_groups.add(group)
                qtbot.keyClick(focus, Qt.Key.Key_Space)
                keys += 1
        elif isinstance(focus, QLineEdit) and focus in widgets:
            text = "01/02/2025" if focus.placeholderText() == "DD/MM/YYYY" else "Fictional"
            qtbot.keyClicks(focus, text)
            keys += len(text)
        elif isinstance(focus, QPlainTextEdit) and focus in widgets:
            qtbot.keyClicks(focus, "Fictional details")
            keys += 17
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        keys += 1
    else:
        raise AssertionError("never reached the end of the form")
    return keys


def test_bcst1_and_bcst2_from_the_keyboard(qtbot, window, workspace):
    # The queue loads just after the caseload is on screen.
    qtbot.waitUntil(lambda: window.induction.model.rowCount() == 1, timeout=3000)
    window.lists.setCurrentIndex(1)
    window.induction.table.setFocus()
    qtbot.keyClick(window.induction.table, Qt.Key.Key_Down)
    qtbot.keyClick(window.induction.table, Qt.Key.Key_Return)
    assert window.person.tabs.tabText(window.person.tabs.currentIndex()) == "Screening"
    person_id = window.person.person_id

    for kind in ("BCST1", "BCST2"):
        dialog = window.screening.open_form(kind)
        qtbot.waitUntil(dialog.isVisible)
        answer_by_keyboard(qtbot, dialog)
        qtbot.waitUntil(lambda d=dialog: d.saved_count > 0, timeout=3000)  # autosaved draft
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return,
                       Qt.KeyboardModifier.ControlModifier)
        assert not dialog.isVisible(), dialog.summary.text()
        state = screening.screenings_for(workspace, person_id)[kind]
        assert state.status == "COMPLETED"
        assert state.answers

    assert all(r.person_id != person_id for r in induction.queue(workspace))
    proposed = needs.needs_for(workspace, person_id)
    assert any(n.code for n in proposed)
    assert window.screening.needs_table.rowCount() == len(proposed)
    remand_need = [n for n in proposed if "court" in n.title.lower()]
    assert remand_need, [n.title for n in proposed]


def test_a_form_closed_by_the_lock_keeps_its_draft(qtbot, window, workspace):
    person_id = window.caseload.model.row_at(0).id
    window.open_person(person_id)
    dialog = window.screening.open_form("BCST1")
    first = next(iter(dialog.rows.values()))
    if isinstance(first.widget, QComboBox):
        first.widget.setCurrentIndex(1)
    else:
        first.widget.setText("Fictional")
    assert dialog.saved_count == 0  # the autosave timer has not fired yet
    window.clear()  # what a lock does first
    state = screening.screenings_for(workspace, person_id)["BCST1"]
    assert state.status == "DRAFT" and first.question.id in state.answers
