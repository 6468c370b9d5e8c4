"""The CSV import dialog: preview, problems by line, and all-or-nothing import."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QPushButton

from app.domain.roles import Role
from app.services import audit, people
from tests.conftest import make_draft
from tests.gui.dialog_helpers import column, person_line, second_user, visible_top_level, write_csv
from ui.import_dialog import ImportDialog

LINE, NUMBER, FAMILY, GIVEN, DOB, CUSTODY, RELEASE = range(7)


@pytest.fixture
def dialog(qtbot, workspace):
    widget = ImportDialog(workspace)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _import_button(dialog: ImportDialog) -> QPushButton:
    return dialog.findChild(QPushButton, "importButton")


def test_a_good_file_imports_everyone_and_the_caseload_grows(qtbot, dialog, workspace, tmp_path):
    people.add_person(workspace, make_draft(prison_number="Z9999ZZ"))
    before = len(people.caseload(workspace))
    path = write_csv(
        tmp_path / "good.csv",
        [
            person_line("Z2000AB", "Ashdown"),
            person_line("z2001ab", "Brackwell", custody_status="remand", release_date=""),
            person_line("Z2002AB", "Corrin", date_of_birth="1985-12-01"),
        ],
    )
    dialog.load_file(path)

    assert dialog.summary_label.text() == "3 people ready to import."
    assert _import_button(dialog).isEnabled()
    assert not dialog.problems_box.isVisibleTo(dialog)
    table = dialog.preview_table
    assert column(table, LINE) == ["2", "3", "4"]
    assert column(table, NUMBER) == ["Z2000AB", "Z2001AB", "Z2002AB"]
    assert column(table, FAMILY) == ["Ashdown", "Brackwell", "Corrin"]
    assert column(table, GIVEN) == ["Testa Maria"] * 3
    assert column(table, DOB) == ["17/05/1990", "17/05/1990", "01/12/1985"]
    assert column(table, CUSTODY) == ["Sentenced", "Remand", "Sentenced"]
    assert column(table, RELEASE) == ["03/02/2027", "Not known", "03/02/2027"]

    with qtbot.waitSignal(dialog.accepted, timeout=30_000):  # imported on a worker thread
        _import_button(dialog).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.imported_count == 3
    rows = people.caseload(workspace)
    assert len(rows) == before + 3
    assert {"Z2000AB", "Z2001AB", "Z2002AB"} <= {r.prison_number for r in rows}
    assert [e.detail for e in audit.entries(workspace, action="people_imported")] == ["count=3"]


def test_a_bad_line_is_shown_with_its_line_number_and_nothing_can_be_imported(
    qtbot, dialog, workspace, tmp_path
):
    path = write_csv(
        tmp_path / "bad.csv",
        [
            person_line("Z2000AB"),
            person_line("Z2001AB", date_of_birth="1990-13-01"),
            person_line("Z2002AB"),
        ],
    )
    dialog.load_file(path)

    assert dialog.summary_label.text() == (
        "1 line has problems: nothing will be imported until the file is fixed."
    )
    assert dialog.problems_box.isVisible()
    problems = dialog.findChild(type(dialog.preview_table), "problemsTable")
    assert column(problems, 0) == ["3"]
    assert column(problems, 1) == ["Z2001AB"]
    assert "1990-13-01" in column(problems, 2)[0]
    assert column(dialog.preview_table, LINE) == ["2", "4"]
    assert not _import_button(dialog).isEnabled()

    _import_button(dialog).click()
    assert dialog.isVisible()
    assert dialog.imported_count == 0
    assert people.caseload(workspace) == []


def test_every_problem_line_is_counted_and_listed(qtbot, dialog, workspace, tmp_path):
    people.add_person(workspace, make_draft(prison_number="Z1234AB"))
    path = write_csv(
        tmp_path / "bad.csv",
        [
            person_line("Z1234AB"),
            person_line("Q12", nationality="Narnia"),
            person_line("Z2002AB"),
            person_line("Z2002AB"),
        ],
    )
    dialog.load_file(path)

    assert dialog.summary_label.text().startswith("3 lines have problems")
    problems = dialog.problems_table
    lines = column(problems, 0)
    reasons = column(problems, 2)
    assert lines[0] == "2" and "already on the caseload" in reasons[0]
    assert lines.count("3") == 2  # the prison number and the nationality
    assert any("Narnia" in r for r in reasons)
    assert lines[-1] == "5" and reasons[-1] == "prison number repeats line 4"
    assert dialog.problems_box.title() == "Problems to fix in the file (3 lines)"
    assert not _import_button(dialog).isEnabled()


def test_a_header_without_the_required_columns_is_reported_on_line_1(dialog, tmp_path):
    path = write_csv(tmp_path / "bad.csv", ["Z2000AB,Ashdown"], header="prison_number,surname")
    dialog.load_file(path)
    assert column(dialog.problems_table, 0) == ["1"]
    assert "family_name" in column(dialog.problems_table, 2)[0]
    assert dialog.summary_label.text().startswith("1 line has problems")
    assert not _import_button(dialog).isEnabled()


def test_an_empty_file_has_nothing_to_import(dialog, tmp_path):
    dialog.load_file(write_csv(tmp_path / "empty.csv", []))
    assert dialog.summary_label.text() == "The file has no people to import."
    assert not _import_button(dialog).isEnabled()


def test_an_unreadable_file_is_explained_in_plain_words(dialog, tmp_path):
    dialog.load_file(tmp_path / "missing.csv")
    assert dialog.summary_label.text().startswith("Could not read missing.csv")
    assert not _import_button(dialog).isEnabled()


def test_fixing_the_file_and_loading_it_again_enables_import(dialog, tmp_path):
    path = tmp_path / "caseload.csv"
    write_csv(path, [person_line("Z2000AB", custody_status="Lost")])
    dialog.load_file(path)
    assert not _import_button(dialog).isEnabled()

    write_csv(path, [person_line("Z2000AB")])
    dialog.load_file(path)
    assert _import_button(dialog).isEnabled()
    assert dialog.summary_label.text() == "1 person ready to import."
    assert not dialog.problems_box.isVisibleTo(dialog)
    assert dialog.problems_table.rowCount() == 0


def test_someone_adding_a_person_meanwhile_imports_nothing(qtbot, dialog, workspace, tmp_path):
    dialog.load_file(write_csv(tmp_path / "good.csv", [person_line("Z2000AB")]))
    people.add_person(workspace, make_draft(prison_number="Z2000AB", family_name="Meanwhile"))
    _import_button(dialog).click()

    qtbot.waitUntil(lambda: visible_top_level("errorBox", dialog) is not None, timeout=30_000)
    error = visible_top_level("errorBox", dialog)
    assert "Z2000AB was added meanwhile" in error.text()
    error.accept()
    assert dialog.isVisible() and dialog.imported_count == 0
    assert not _import_button(dialog).isEnabled()  # the fresh preview shows the clash
    assert "already on the caseload" in column(dialog.problems_table, 2)[0]
    assert [r.family_name for r in people.caseload(workspace)] == ["Meanwhile"]


def test_choose_file_opens_a_chooser_and_loads_the_chosen_file(qtbot, dialog, tmp_path):
    path = write_csv(tmp_path / "good.csv", [person_line("Z2000AB"), person_line("Z2001AB")])
    dialog.findChild(QPushButton, "chooseFileButton").click()

    qtbot.waitUntil(lambda: visible_top_level("importFileDialog", dialog) is not None)
    chooser = dialog.file_dialog
    assert isinstance(chooser, QFileDialog)
    chooser.setDirectory(str(tmp_path))
    chooser.selectFile(str(path))
    chooser.accept()

    qtbot.waitUntil(lambda: dialog.preview_table.rowCount() == 2)
    assert dialog.file_label.text() == str(path)
    assert _import_button(dialog).isEnabled()


def test_a_role_without_import_cannot_choose_a_file(qtbot, workspace):
    specialist = second_user(workspace, Role.HOUSING_SPECIALIST.value)
    try:
        widget = ImportDialog(specialist)
        qtbot.addWidget(widget)
        assert not widget.choose_button.isEnabled()
        assert not _import_button(widget).isEnabled()
        assert "cannot import" in widget.summary_label.text()
    finally:
        specialist.lock()


def test_cancel_imports_nothing(qtbot, dialog, workspace, tmp_path: Path):
    dialog.load_file(write_csv(tmp_path / "good.csv", [person_line("Z2000AB")]))
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        dialog.cancel_button.click()
    assert people.caseload(workspace) == []
