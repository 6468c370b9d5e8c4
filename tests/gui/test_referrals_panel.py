"""The Referrals tab: the consent gate, CAS3 rules and warnings, history, withdrawal, clear."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.dates import uk_date
from app.domain.timezone import today_london
from app.services import people, referrals
from tests.conftest import make_draft
from tests.gui.dialog_helpers import column
from ui.consent_dialog import ConsentDialog
from ui.referral_dialog import ReferralDialog
from ui.referrals_panel import ReferralsPanel

TODAY = today_london()
CONSENT_COLUMN = 4


def add(ws, **overrides):
    draft = make_draft(release_date=TODAY + timedelta(days=40), **overrides)
    return people.add_person(ws, draft), draft


@pytest.fixture
def panel(qtbot, workspace):
    widget = ReferralsPanel(workspace)
    qtbot.addWidget(widget)
    widget.resize(560, 640)
    widget.show()
    return widget


def choose(combo, code):
    index = combo.findData(code)
    assert index >= 0, code
    combo.setCurrentIndex(index)


def fill_dtr(dialog: ReferralDialog, status="SUBMITTED"):
    choose(dialog.type_combo, "DUTY_TO_REFER")
    dialog.council.setEditText("Hackney")
    choose(dialog.council_choice, "LOCAL_CONNECTION")
    dialog.reference.setText("FICT-42")
    choose(dialog.status, status)
    dialog.submitted_on.setText(uk_date(TODAY))


def record_consent(dialog: ConsentDialog, scope="ALL", given_on=TODAY):
    choose(dialog.scope, scope)
    dialog.shared_with.setText("Hackney Council housing options (fictional)")
    dialog.given_on.setText(uk_date(given_on))
    choose(dialog.method, "SIGNED_FORM")
    assert dialog.save(), dialog.summary.text()


def test_submitted_duty_to_refer_needs_consent_then_saves(qtbot, panel, workspace):
    pid, person = add(workspace)
    panel.show_person(pid, person)
    dialog = panel.new_referral()
    assert dialog.isVisible()
    assert dialog.council.currentText() == "Westminster"  # her home council by default
    fill_dtr(dialog)
    assert not dialog.save()
    assert "Record her consent" in dialog.summary.text()
    assert dialog.summary.isVisible() and dialog.consent_button.isVisible()
    assert referrals.referrals_for(workspace, pid) == []
    assert panel.referrals_table.rowCount() == 0

    # Record the consent from the referral dialog itself, then save again.
    record_consent(dialog.record_consent(), scope="DUTY_TO_REFER")
    assert not dialog.consent_button.isVisible()
    assert panel.consent_table.rowCount() == 1  # shown on the tab behind at once
    assert dialog.save()
    assert not dialog.isVisible()
    table = panel.referrals_table
    assert table.rowCount() == 1
    assert column(table, 0) == ["Duty to refer"]
    assert column(table, 1) == ["Submitted"]
    assert column(table, 2) == ["Hackney"]
    assert column(table, CONSENT_COLUMN) == ["Recorded"]
    assert panel.consent_table.rowCount() == 1
    expires = uk_date(TODAY + timedelta(days=182))
    assert expires in table.item(0, 0).toolTip()


def test_consent_recorded_in_panel_then_referral_shows_recorded(qtbot, panel, workspace):
    pid, person = add(workspace)
    panel.show_person(pid, person)
    dialog = panel.record_consent()
    assert dialog.objectName() == "consentDialog"
    dialog.shared_with.setText("   ")
    dialog.given_on.setText("31/02/2026")
    assert not dialog.save()
    assert dialog.errors["given_on"].isVisible()
    dialog.given_on.setText(uk_date(TODAY + timedelta(days=2)))
    assert not dialog.save()
    assert "future" in dialog.errors["given_on"].text()
    assert dialog.errors["shared_with"].isVisible()
    assert panel.consent_table.rowCount() == 0
    record_consent(dialog)
    assert column(panel.consent_table, 2) == [uk_date(TODAY)]
    assert column(panel.consent_table, 0) == ["All referrals"]

    referral = panel.new_referral()
    fill_dtr(referral)
    assert referral.save(), referral.summary.text()
    assert column(panel.referrals_table, CONSENT_COLUMN) == ["Recorded"]


def test_unreadable_date_is_a_field_error_and_nothing_is_saved(qtbot, panel, workspace):
    pid, person = add(workspace)
    panel.show_person(pid, person)
    dialog = panel.new_referral()
    fill_dtr(dialog, status="DRAFT")
    dialog.submitted_on.setText("next tuesday")
    assert not dialog.save()
    assert dialog.errors["submitted_on"].isVisible()
    assert "day/month/year" in dialog.errors["submitted_on"].text()
    assert referrals.referrals_for(workspace, pid) == []


def test_cas3_refused_for_a_remanded_woman(qtbot, panel, workspace):
    pid, person = add(workspace, custody_status="REMAND")
    panel.show_person(pid, person)
    dialog = panel.new_referral()
    choose(dialog.type_combo, "CAS3")
    assert not dialog.rows["council_code"].isVisible()
    assert dialog.rows["provider"].isVisible()
    dialog.provider.setText("Fictional Housing Trust")
    assert not dialog.save()
    assert "sentenced women only" in dialog.summary.text()
    assert referrals.referrals_for(workspace, pid) == []
    assert panel.referrals_table.rowCount() == 0


def test_cas3_for_a_sentenced_woman_warns_to_refer_first(qtbot, panel, workspace):
    pid, person = add(workspace, custody_status="SENTENCED")
    panel.show_person(pid, person)
    assert not panel.warnings.isVisible()
    dialog = panel.new_referral()
    choose(dialog.type_combo, "CAS3")
    dialog.provider.setText("Fictional Housing Trust")
    assert dialog.save(), dialog.summary.text()
    assert any("before CAS3" in w for w in dialog.result_warnings)
    assert panel.warnings.isVisible()
    assert "before CAS3" in panel.warnings.text()
    assert column(panel.referrals_table, 0) == ["CAS3"]
    assert column(panel.referrals_table, 2) == ["Fictional Housing Trust"]
    assert column(panel.referrals_table, CONSENT_COLUMN) == ["MISSING"]
    # Another woman's tab does not carry her warnings.
    other, draft = add(workspace, prison_number="Z7777ZZ")
    panel.show_person(other, draft)
    assert not panel.warnings.isVisible()


def test_history_lists_created_then_updated(qtbot, panel, workspace):
    pid, person = add(workspace)
    panel.show_person(pid, person)
    dialog = panel.new_referral()
    fill_dtr(dialog, status="DRAFT")
    dialog.submitted_on.clear()
    assert dialog.save(), dialog.summary.text()
    assert panel.selected_referral() is not None  # the saved one stays chosen
    edit = panel.edit_referral()
    assert not edit.type_combo.isEnabled()
    assert edit.reference.text() == "FICT-42"
    edit.reference.setText("FICT-43")
    assert edit.save(), edit.summary.text()
    panel.referrals_table.selectRow(0)
    history = panel.show_history()
    assert history.isVisible()
    assert column(history.table, 2) == ["Updated", "Created"]
    assert "FICT-42 → FICT-43" in history.table.item(0, 3).text()


def test_withdrawing_consent_shows_the_date(qtbot, panel, workspace):
    pid, person = add(workspace)
    panel.show_person(pid, person)
    record_consent(panel.record_consent(), given_on=TODAY - timedelta(days=3))
    assert not panel.withdraw_button.isEnabled()  # nothing chosen yet
    panel.consent_table.selectRow(0)
    prompt = panel.withdraw_consent()
    assert prompt.date.text() == uk_date(TODAY)  # today by default
    prompt.date.setText(uk_date(TODAY - timedelta(days=10)))  # before she consented
    assert not prompt.save()
    assert prompt.error.isVisible()
    assert column(panel.consent_table, 4) == [""]
    prompt.date.setText(uk_date(TODAY - timedelta(days=1)))
    assert prompt.save()
    assert column(panel.consent_table, 4) == [uk_date(TODAY - timedelta(days=1))]
    panel.consent_table.selectRow(0)
    assert not panel.withdraw_button.isEnabled()


def test_clear_forgets_everything(qtbot, panel, workspace):
    pid, person = add(workspace, custody_status="SENTENCED")
    panel.show_person(pid, person)
    record_consent(panel.record_consent())
    cas3 = panel.new_referral()
    choose(cas3.type_combo, "CAS3")
    assert cas3.save()
    assert panel.consent_table.rowCount() == 1 and panel.referrals_table.rowCount() == 1
    panel.clear()
    assert panel.consent_table.rowCount() == 0
    assert panel.referrals_table.rowCount() == 0
    assert not panel.warnings.isVisible()
    assert not panel.new_button.isEnabled() and not panel.record_button.isEnabled()
    assert panel.person_id is None and panel.referrals == [] and panel.consents == []
