from app.services import people
from ui.person_dialog import PersonDialog


def fill_valid(dialog, qtbot, number="Z7777QQ"):
    qtbot.keyClicks(dialog.prison_number, number.lower())
    qtbot.keyClicks(dialog.family_name, "Quillfeather")
    qtbot.keyClicks(dialog.given_names, "Imaginary")
    qtbot.keyClicks(dialog.date_of_birth, "03/04/1991")
    dialog.nationality.setEditText("Poland")
    dialog.first_language.setEditText("polish")
    dialog.custody_status.setCurrentIndex(dialog.custody_status.findData("REMAND"))
    dialog.reception_date.setText("01/11/2026")
    dialog.reception_time.setText("16:45")
    dialog.home_local_authority.setEditText("Hackney")


def test_invalid_fields_get_their_own_messages_and_nothing_is_saved(qtbot, workspace):
    dialog = PersonDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.prison_number, "12AB")
    qtbot.keyClicks(dialog.date_of_birth, "31/02/1990")
    dialog.release_time.setText("25:00")
    dialog.save()
    assert dialog.result() == 0
    assert dialog.errors["prison_number"].isVisible()
    assert "one letter, four digits and two letters" in dialog.errors["prison_number"].text()
    assert "no such date" in dialog.errors["date_of_birth"].text()
    assert "no such time" in dialog.errors["release_time"].text()
    assert dialog.errors["family_name"].text() == "Enter her family name."
    assert "nothing was saved" in dialog.summary.text()
    assert people.caseload(workspace) == []


def test_a_valid_record_is_saved_with_codes(qtbot, workspace):
    dialog = PersonDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    fill_valid(dialog, qtbot)
    dialog.save()
    assert dialog.result() == PersonDialog.DialogCode.Accepted, dialog.summary.text()
    record = people.get_person(workspace, dialog.saved_id)
    assert record.draft.prison_number == "Z7777QQ"
    assert record.draft.nationality == "PL"
    assert record.draft.first_language == "pl"
    assert record.draft.home_local_authority == "E09000012"
    assert record.draft.release_date is None


def test_duplicate_prison_number_is_reported_on_the_field(qtbot, workspace):
    first = PersonDialog(workspace)
    qtbot.addWidget(first)
    fill_valid(first, qtbot)
    first.save()
    second = PersonDialog(workspace)
    qtbot.addWidget(second)
    second.show()
    fill_valid(second, qtbot)
    second.save()
    assert "already on the caseload" in second.errors["prison_number"].text()


def test_release_before_reception_is_refused(qtbot, workspace):
    dialog = PersonDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    fill_valid(dialog, qtbot)
    dialog.release_date.setText("01/10/2026")
    dialog.save()
    assert "before the reception date" in dialog.errors["release_date"].text()


def test_editing_keeps_values_and_records_changed_fields(qtbot, workspace):
    dialog = PersonDialog(workspace)
    qtbot.addWidget(dialog)
    fill_valid(dialog, qtbot)
    dialog.save()
    record = people.get_person(workspace, dialog.saved_id)
    edit = PersonDialog(workspace, record=record)
    qtbot.addWidget(edit)
    edit.show()
    assert edit.family_name.text() == "Quillfeather"
    assert edit.nationality.currentData() == "PL"
    edit.release_date.setText("15/01/2027")
    edit.release_time.setText("09:30")
    edit.save()
    assert edit.result() == PersonDialog.DialogCode.Accepted, edit.summary.text()
    history = people.history(workspace, record.id)
    assert history[0].action == "person_updated"
    # ";plan_opened" follows when the new date is within 12 weeks of today (her plan opens).
    assert history[0].detail.split(";")[0] == "fields=release_date,release_time"
