"""Whose transfer bundles are imported, and what an imported record must obey.

A transfer bundle writes a whole record into the receiving database, so it is imported only from
a trusted sender (the team's own certificate, a prison added with `trust add`, or a --trust
certificate), or after the fingerprint is confirmed, and its record is checked like a typed one.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bundles import bundle_format as fmt
from app.cli import main
from app.domain.timezone import now_utc
from app.errors import UserError
from app.services import bundles, people, transfer_bundles
from app.services.workspace import Workspace
from app.store.models import AuditEntry
from tests.bundle_fixtures import NUMBER, RECEIVING
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, ESTABLISHMENT


def _untrust_sender(receiving: Workspace) -> str:
    [sender] = transfer_bundles.trusted_senders(receiving)
    transfer_bundles.remove_trusted_sender(receiving, sender.fingerprint)
    return sender.fingerprint


def _imports(ws: Workspace) -> list[str]:
    with ws.read() as session:
        return list(session.scalars(select(AuditEntry.detail).where(
            AuditEntry.action == "transfer_imported")))  # fmt: skip


def test_an_unknown_sender_is_refused_before_anything_is_written(exported, receiving):
    fingerprint = _untrust_sender(receiving)
    preview = transfer_bundles.preview_transfer(receiving, exported.path)
    assert preview.trusted_as == "" and preview.fingerprint == fingerprint
    with pytest.raises(UserError, match="does not trust") as refused:
        transfer_bundles.import_transfer(receiving, exported.path)
    assert fingerprint in str(refused.value)
    wrong = fingerprint[:-2] + ("00" if not fingerprint.endswith("00") else "11")
    with pytest.raises(UserError, match="does not trust"):
        transfer_bundles.import_transfer(receiving, exported.path, confirmed_fingerprint=wrong)
    assert people.find_id(receiving, NUMBER) is None and _imports(receiving) == []
    # Confirmed, as the sending prison read it out: imported, and the log says so.
    pid = transfer_bundles.import_transfer(receiving, exported.path,
                                           confirmed_fingerprint=fingerprint.lower())
    assert people.find_id(receiving, NUMBER) == pid
    [detail] = _imports(receiving)
    assert f"signer={fingerprint} trusted=confirmed" in detail


def test_trusted_by_list_by_trust_certificate_and_own_certificate(exported, workspace,
                                                                  receiving, tmp_path):
    [sender] = transfer_bundles.trusted_senders(receiving)
    assert sender.name == ESTABLISHMENT
    preview = transfer_bundles.preview_transfer(receiving, exported.path)
    assert preview.trusted_as == f"trusted sender {ESTABLISHMENT}"
    assert transfer_bundles.preview_transfer(workspace, exported.path).trusted_as == \
        "this team's own certificate"  # fmt: skip
    _untrust_sender(receiving)
    pem, _fingerprint = bundles.signing_certificate(workspace)
    given = transfer_bundles.preview_transfer(receiving, exported.path, trust_pem=pem)
    assert given.trusted_as == "the certificate given with --trust"
    transfer_bundles.import_transfer(receiving, exported.path, trust_pem=pem)
    with receiving.read() as session:
        actions = list(session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.in_(["trusted_sender_added", "trusted_sender_removed"]))
            .order_by(AuditEntry.id)))
    assert actions == ["trusted_sender_added", "trusted_sender_removed"]
    with pytest.raises(UserError, match="not a certificate|cannot be read|certificate"):
        transfer_bundles.add_trusted_sender(receiving, b"not a certificate", "HMP Nowhere")
    transfer_bundles.add_trusted_sender(receiving, pem, "HMP & YOI Testfield")
    with pytest.raises(UserError, match="already trusted"):
        transfer_bundles.add_trusted_sender(receiving, pem, "Again")


def _resigned(ws: Workspace, path: Path, out: Path, change) -> Path:  # noqa: ANN001
    """The bundle's transfer.json changed, then signed again with the sending team's real key
    (as a sender's own faulty or hostile Resettle would)."""
    with zipfile.ZipFile(path) as archive:
        document = json.loads(archive.read("transfer.json"))
        pdf = archive.read("handover.pdf")
    change(document)
    with ws.read() as session:
        signer = bundles.active_identity(session)
    built = fmt.build({"transfer.json": json.dumps(document).encode(), "handover.pdf": pdf},
                      signer, bundle_type="transfer", referral_type="TRANSFER",
                      created_at=now_utc(), created_by=("admin", "administrator"),
                      establishment=ESTABLISHMENT, recipient=RECEIVING)  # fmt: skip
    out.write_bytes(built.data)
    return out


def _set(*keys_and_value):  # noqa: ANN202
    *keys, value = keys_and_value

    def change(document: dict) -> None:
        target = document
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
    return change


@pytest.mark.parametrize("change, message", [
    (_set("person", "family_name", "A" * 5_000_000), "family_name longer than 100"),
    (_set("person", "nationality", "Atlantis"), "Nationality"),
    (_set("person", "date_of_birth", "2099-01-01"), "date of birth is in the future"),
    (_set("person", "release_date", "1999-01-01"), "release date is before"),
    (lambda d: d["tables"]["plans"][0]["children"]["plan_tasks"][0].update(
        notes="x" * 200_000), "plan_tasks row 1 of plans row 1 has a notes longer"),
])
def test_a_signed_record_that_breaks_the_rules_is_refused(exported, workspace, receiving,
                                                          tmp_path, change, message):
    bad = _resigned(workspace, exported.path, tmp_path / "bad.rsb", change)
    preview = transfer_bundles.preview_transfer(receiving, bad)
    assert preview.problems and message in preview.problems[0]
    with pytest.raises(UserError) as refused:
        transfer_bundles.import_transfer(receiving, bad)
    assert message in str(refused.value)
    assert people.find_id(receiving, NUMBER) is None


def _cli(monkeypatch, capsys, data_dir, *argv):
    monkeypatch.setattr("sys.stdin", io.StringIO(ADMIN_PASSPHRASE + "\n"))
    code = main([*argv, "--data-dir", str(data_dir), "--user", ADMIN, "--passphrase-stdin"])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_asks_for_a_trusted_sender(exported, workspace, receiving,
                                                    receiving_dir, data_dir, tmp_path,
                                                    monkeypatch, capsys):  # fmt: skip
    fingerprint = _untrust_sender(receiving)
    pem, _fingerprint = bundles.signing_certificate(workspace)
    cert = tmp_path / "sender.pem"
    cert.write_bytes(pem)
    receiving.lock()
    code, out, err = _cli(monkeypatch, capsys, receiving_dir, "import-transfer",
                          str(exported.path))
    assert code == 1 and "NOT TRUSTED" in out and "does not trust" in err
    code, out, err = _cli(monkeypatch, capsys, receiving_dir, "trust", "add", "--cert",
                          str(cert), "--name", "HMP & YOI Testfield (fictional)")
    assert code == 0 and fingerprint in out, err
    code, out, err = _cli(monkeypatch, capsys, receiving_dir, "trust", "list")
    assert "HMP & YOI Testfield (fictional)" in out and fingerprint in out
    code, out, err = _cli(monkeypatch, capsys, receiving_dir, "import-transfer",
                          str(exported.path))
    assert code == 0 and "trusted: trusted sender HMP & YOI Testfield" in out, err
    code, out, err = _cli(monkeypatch, capsys, receiving_dir, "trust", "remove",
                          "--fingerprint", fingerprint)
    assert code == 0, err


def test_the_command_line_takes_a_confirmed_fingerprint(exported, receiving, receiving_dir,
                                                        monkeypatch, capsys):  # fmt: skip
    fingerprint = _untrust_sender(receiving)
    receiving.lock()
    code, out, err = _cli(monkeypatch, capsys, receiving_dir, "import-transfer",
                          str(exported.path), "--fingerprint", "AB:CD")
    assert code == 1 and "does not trust" in err
    code, out, err = _cli(monkeypatch, capsys, receiving_dir, "import-transfer",
                          str(exported.path), "--fingerprint", fingerprint)
    assert code == 0 and f"Imported: {NUMBER}" in out, err
