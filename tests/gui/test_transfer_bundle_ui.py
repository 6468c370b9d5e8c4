"""Receiving and sending transfer bundles in the window."""

from __future__ import annotations

from app.services import people, transfer_bundles
from tests.bundle_fixtures import NUMBER
from ui.transfer_bundle_dialogs import ExportTransferDialog, ImportTransferDialog


def test_receiving_previews_then_imports_and_refuses_a_second_time(qtbot, exported, receiving):
    dialog = ImportTransferDialog(receiving)
    qtbot.addWidget(dialog)
    assert dialog.load(exported.path)
    text = dialog.summary.text()
    assert NUMBER in text and "fingerprint" in text and "will be added" in text
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):  # imported on a worker
        assert dialog.do_import()
    assert people.find_id(receiving, NUMBER) == dialog.person_id
    again = ImportTransferDialog(receiving)
    qtbot.addWidget(again)
    again.load(exported.path)
    assert not again.import_button.isEnabled()


def test_a_damaged_file_is_refused_in_plain_words(qtbot, receiving, tmp_path):
    bad = tmp_path / "bad.rsb"
    bad.write_bytes(b"not a bundle at all")
    dialog = ImportTransferDialog(receiving)
    qtbot.addWidget(dialog)
    assert not dialog.load(bad)
    assert "damaged" in dialog.error.text() and not dialog.import_button.isEnabled()


def test_sending_writes_a_bundle(qtbot, workspace, woman, tmp_path):
    dialog = ExportTransferDialog(workspace, woman)
    qtbot.addWidget(dialog)
    assert not dialog.export()
    dialog.folder.setText(str(tmp_path))
    dialog.recipient.setText("HMP Receiving (fictional)")
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):  # written on a worker
        assert dialog.export()
    [row] = [r for r in transfer_bundles.bundles.outbox(workspace) if r.bundle_type == "transfer"]
    assert row.recipient == "HMP Receiving (fictional)"


def test_transfer_out_writes_the_handover_on_a_worker_then_closes(qtbot, workspace, woman,
                                                                  tmp_path):
    from ui.transfer_dialog import TransferDialog

    dialog = TransferDialog(workspace, woman, people.get_person(workspace, woman).draft)
    qtbot.addWidget(dialog)
    dialog.show()
    out = tmp_path / "handover.pdf"
    dialog.path.setText(str(out))
    dialog.submit()  # no destination: refused in the dialog, not in a box
    qtbot.waitUntil(lambda: "receiving prison" in dialog.message.text(), timeout=30_000)
    assert dialog.isVisible() and dialog.isEnabled() and not out.exists()
    dialog.destination.setText("HMP Elsewhere (fictional)")
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        dialog.submit()
    assert out.read_bytes()[:4] == b"%PDF"


def test_an_unknown_sender_is_imported_only_after_the_fingerprint_is_checked(
        qtbot, exported, receiving):
    [sender] = transfer_bundles.trusted_senders(receiving)
    transfer_bundles.remove_trusted_sender(receiving, sender.fingerprint)
    dialog = ImportTransferDialog(receiving)
    qtbot.addWidget(dialog)
    assert dialog.load(exported.path)
    text = dialog.summary.text()
    assert sender.fingerprint in text and "NOT A TRUSTED SENDER" in text
    assert not dialog.fingerprint_checked.isHidden()
    assert not dialog.import_button.isEnabled()
    dialog.fingerprint_checked.setChecked(True)
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        assert dialog.do_import()
    assert people.find_id(receiving, NUMBER) == dialog.person_id


def test_a_trusted_sender_needs_no_fingerprint_tick(qtbot, exported, receiving):
    dialog = ImportTransferDialog(receiving)
    qtbot.addWidget(dialog)
    assert dialog.load(exported.path)
    assert "Trusted: trusted sender" in dialog.summary.text()
    assert dialog.fingerprint_checked.isHidden() and dialog.import_button.isEnabled()
