"""Export a signed bundle from the Referrals tab, the outbox and the signing certificate dialog."""

from __future__ import annotations

import os
import subprocess
from datetime import date

import pytest

from app.domain.referrals import ReferralDraft
from app.services import bundles, consent, people, referrals
from tests.conftest import make_draft
from ui.bundle_dialogs import ExportBundleDialog, OutboxDialog, SigningDialog
from ui.referrals_panel import ReferralsPanel


@pytest.fixture
def referral(workspace):
    draft = make_draft(prison_number="Z7001AB", release_date=date(2027, 2, 12))
    pid = people.add_person(workspace, draft)
    consent.record(workspace, pid, scope="ALL", shared_with="Fictional council",
                   given_on=date(2026, 11, 2), method="VERBAL")  # fmt: skip
    saved = referrals.save(workspace, pid, ReferralDraft(
        type="CRS", crs_service="ACCOMMODATION", complexity="MEDIUM",
        desired_outcomes="Settled accommodation (fictional)"))  # fmt: skip
    return pid, draft, saved.referral_id


def test_export_dialog_previews_every_field_then_writes_a_verified_bundle(
        qtbot, workspace, referral, tmp_path):  # fmt: skip
    _pid, _draft, referral_id = referral
    dialog = ExportBundleDialog(workspace, referral_id)
    qtbot.addWidget(dialog)
    fields = {(dialog.table.item(r, 0).text(), dialog.table.item(r, 1).text()):
              dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())}  # fmt: skip
    assert fields[("About her", "Prison number")] == "Z7001AB"
    assert fields[("Details", "Complexity")] == "Medium"  # words, not the code
    assert ("About her", "Nationality") not in fields  # CRS does not share nationality
    assert not dialog.export()  # no folder yet
    assert "Choose the folder" in dialog.error.text()
    dialog.folder.setText(str(tmp_path))
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):  # written on a worker
        assert dialog.export()
        assert not dialog.isEnabled()  # busy meanwhile: it cannot be exported twice
    assert dialog.exported is not None and dialog.exported.path.exists()
    assert bundles.verify_file(dialog.exported.path).manifest["referral_type"] == "CRS"


def test_export_without_consent_is_refused_in_plain_words(qtbot, workspace):
    pid = people.add_person(workspace, make_draft(prison_number="Z7002AB"))
    saved = referrals.save(workspace, pid, ReferralDraft(type="OTHER", provider="Fictional"))
    dialog = ExportBundleDialog(workspace, saved.referral_id)
    qtbot.addWidget(dialog)
    assert not dialog.export_button.isEnabled()
    assert "no current consent" in dialog.error.text()


def test_referrals_tab_has_the_export_button(qtbot, workspace, referral):
    pid, draft, _rid = referral
    panel = ReferralsPanel(workspace)
    qtbot.addWidget(panel)
    panel.show_person(pid, draft)
    panel.referrals_table.selectRow(0)
    assert panel.export_button.isEnabled()
    dialog = panel.export_bundle()
    assert isinstance(dialog, ExportBundleDialog)
    dialog.reject()


def test_outbox_marks_uploaded_and_shows_the_history(qtbot, workspace, referral, tmp_path):
    _pid, _draft, referral_id = referral
    made = bundles.export_referral(workspace, referral_id, tmp_path)
    dialog = OutboxDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()  # the list follows the change events while it is on screen
    assert dialog.table.rowCount() == 1
    dialog.table.selectRow(0)
    assert dialog.buttons["UPLOADED"].isEnabled()
    assert dialog.mark(made.bundle_id, "UPLOADED", "probation portal")
    assert "Uploaded by admin: probation portal" in dialog.history.text()
    assert not dialog.mark(made.bundle_id, "WITHDRAWN", "")
    assert "Say why" in dialog.error.text()


def test_signing_dialog_saves_the_certificate_and_the_recipient_guide(qtbot, workspace,
                                                                      tmp_path):  # fmt: skip
    dialog = SigningDialog(workspace)
    qtbot.addWidget(dialog)
    pem, fingerprint = bundles.signing_certificate(workspace)
    assert fingerprint in dialog.summary.text()
    assert dialog.save_certificate(tmp_path / "team.pem")
    assert (tmp_path / "team.pem").read_bytes() == pem
    dialog.save_guide(tmp_path / "guide.pdf")  # written on a worker thread
    qtbot.waitUntil(lambda: dialog.note.text().endswith("guide.pdf"), timeout=30_000)
    text = subprocess.run(["pdftotext", str(tmp_path / "guide.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "openssl cms -verify" in text
    assert fingerprint.replace(":", "")[:8] in text.replace(":", "").replace(" ", "")
    if os.environ.get("RESETTLE_SCREENSHOTS"):
        dialog.show()
        dialog.grab().save(os.path.join(os.environ["RESETTLE_SCREENSHOTS"], "signing.png"))


def test_export_to_a_missing_folder_is_told_in_the_dialog(qtbot, workspace, referral,
                                                         tmp_path):
    _pid, _draft, referral_id = referral
    dialog = ExportBundleDialog(workspace, referral_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.folder.setText(str(tmp_path / "not-there"))
    assert dialog.export()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=30_000)
    assert dialog.isVisible() and dialog.isEnabled() and dialog.exported is None
    assert bundles.outbox(workspace) == []


def test_window_has_outbox_and_signing_actions(qtbot, main_window):
    assert main_window.outbox_action.isEnabled()
    assert main_window.signing_action.isEnabled()
    main_window.show_outbox()
    assert main_window.outbox_dialog.isVisible()
    main_window.outbox_dialog.reject()
