"""Transfer bundles between two prisons' Resettles: two real encrypted databases, real keys,
real zips, real OpenSSL, and the record that arrives compared with the one that left."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bundles import bundle_format as fmt
from app.domain.timezone import now_utc, today_london
from app.errors import PermissionDenied, UserError
from app.services import (
    bundles,
    consent,
    people,
    planning,
    referrals,
    release_day,
    screening,
    sheets,
    transfer_bundles,
    transfers,
    users,
    vault,
)
from app.services.workspace import Workspace
from app.store.models import AuditEntry, Base, Person
from tests.bundle_fixtures import _KEYS, NUMBER, RECEIVING, _export  # noqa: F401
from tests.integration.conftest import TEMPORARY


def _payload(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("transfer.json"))


def _record(document: dict) -> dict:
    """Her record without what never travels into the receiving database."""
    tables = dict(document["tables"])
    tables.pop("transfers")
    return {"person": document["person"], "tables": tables}


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is needed for this test (.ci/run installs it)"
    return path


def _rezip(path: Path, out: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def _her_id(ws: Workspace) -> int | None:
    return people.find_id(ws, NUMBER)


# --- export -----------------------------------------------------------------------------------

def test_the_bundle_holds_her_whole_record_and_the_handover(exported, workspace, woman):
    name = exported.path.name
    assert name.startswith(f"{NUMBER}-TRANSFER-{today_london():%Y%m%d}-")
    assert name.endswith(f"-{exported.bundle_id[:8]}.rsb")
    members = _members(exported.path)
    assert sorted(members) == sorted(["manifest.json", "manifest.json.p7s", "transfer.json",
                                      "handover.pdf", "SHA256SUMS", "signer.pem"])
    assert members["handover.pdf"].startswith(b"%PDF")
    manifest = json.loads(members["manifest.json"])
    assert manifest["bundle_type"] == "transfer" and manifest["referral_type"] == "TRANSFER"
    payload = json.loads(members["transfer.json"])
    assert payload["schema_version"] == 1 and payload["exported_at"].endswith("Z")
    assert payload["person"]["prison_number"] == NUMBER and "id" not in payload["person"]
    assert "version" not in payload["person"]
    tables = payload["tables"]
    assert len(tables["consents"]) == 1 and len(tables["referrals"]) == 1
    assert len(tables["court_dates"]) == 1 and len(tables["screenings"]) == 2
    assert {s["status"] for s in tables["screenings"]} == {"COMPLETED", "DRAFT"}
    json.loads(tables["screenings"][0]["answers"])  # JSON columns stay their JSON text
    plan = tables["plans"][0]
    assert any(t["title"] == "Fictional: view a flat" for t in plan["children"]["plan_tasks"])
    assert plan["children"]["plan_tasks"][0].keys().isdisjoint({"id", "plan_id"})
    checklist = tables["release_checklists"][0]["children"]
    assert checklist["checklist_items"] and checklist["checklist_events"]
    assert tables["referrals"][0]["children"]["referral_events"]
    assert payload["history"] and {"at", "username", "action", "detail"} == set(
        payload["history"][0])
    outbox = bundles.outbox(workspace, woman)
    assert [(e.bundle_id, e.bundle_type, e.referral_type, e.referral_id)
            for e in outbox] == [(exported.bundle_id, "transfer", "TRANSFER", None)]
    with workspace.read() as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "bundle_exported")).one()
    assert exported.bundle_id in entry.detail and "Fictionperson" not in entry.detail


def test_openssl_and_sha256sum_verify_the_transfer_bundle(exported, tmp_path):
    folder = tmp_path / "unzipped"
    folder.mkdir()
    with zipfile.ZipFile(exported.path) as archive:
        archive.extractall(folder)
    verified = subprocess.run([_tool("openssl"), "cms", "-verify", "-binary", "-inform", "DER",
                               "-in", "manifest.json.p7s", "-content", "manifest.json",
                               "-CAfile", "signer.pem", "-out", "/dev/null"],
                              cwd=folder, capture_output=True, text=True, check=False)
    assert verified.returncode == 0, verified.stderr
    assert "Verification successful" in verified.stderr
    sums = subprocess.run([_tool("sha256sum"), "-c", "SHA256SUMS"], cwd=folder,
                          capture_output=True, text=True, check=False)
    assert sums.returncode == 0 and sums.stdout.count(": OK") == 3


def test_every_table_of_her_record_round_trips_except_the_senders_transfer(
        workspace, woman, receiving, tmp_path):
    """Rows of every table, with every kind of column; her transfer out stays at the sender."""
    today = today_london()
    sheets.record_given(workspace, woman, ["release-day"], "en", False, "PRINTED")
    release_day.record_outcome(workspace, woman, released_on=today - timedelta(days=1),
                               accommodation_code="A01D", address="1 Fictional Road",
                               reason="Released early by the court (fictional)")
    release_day.add_contact(workspace, woman, contacted_on=today, method="PHONE",
                            notes="Fictional call.")
    transfers.transfer_out(workspace, woman, transferred_on=today, destination=RECEIVING,
                           handover_pdf=tmp_path / "handover.pdf")
    made = _export(workspace, woman, tmp_path / "usb")
    sent = _payload(made.path)
    empty = [t for t, rows in sent["tables"].items() if not rows]
    assert empty == [] and set(sent["tables"]) == {m.__tablename__
                                                   for m in transfer_bundles.RECORD}
    assert json.loads(_members(made.path)["manifest.json"])["recipient"] == RECEIVING
    assert transfer_bundles.preview_transfer(receiving, made.path).counts["transfers"] == 1

    pid = transfer_bundles.import_transfer(receiving, made.path)
    arrived = transfer_bundles.transfer_document(receiving, pid)
    assert _record(arrived) == _record(sent) and arrived["tables"]["transfers"] == []
    [row] = [r for r in people.caseload(receiving) if r.id == pid]
    assert row.transferred_to == ""  # she is here now, not transferred away from here


# --- preview and import -----------------------------------------------------------------------

def test_the_receiving_prison_previews_and_imports_the_same_record(
        exported, workspace, woman, receiving):
    pem, fingerprint = bundles.signing_certificate(workspace)
    preview = transfer_bundles.preview_transfer(receiving, exported.path, trust_pem=pem)
    assert (preview.prison_number, preview.name) == (NUMBER, "FICTIONPERSON, Testina")
    assert preview.local == "NEW" and preview.local_updated_at is None and not preview.problems
    assert preview.fingerprint == fingerprint and "Testfield" in preview.sender
    assert preview.establishment == "HMP & YOI Testfield"
    sent = _payload(exported.path)
    assert preview.counts["consents"] == 1 and preview.counts["screenings"] == 2
    assert preview.counts["plan_tasks"] == len(sent["tables"]["plans"][0]["children"]
                                               ["plan_tasks"])
    assert preview.history_entries == len(sent["history"]) > 0

    new_id = transfer_bundles.import_transfer(receiving, exported.path, trust_pem=pem)
    arrived = transfer_bundles.transfer_document(receiving, new_id)
    assert _record(arrived) == _record(sent)
    assert _record(transfer_bundles.transfer_document(workspace, woman)) == _record(sent)
    # The receiving audit log says only what happened here, without personal data.
    history = people.history(receiving, new_id)
    assert [h.action for h in history] == ["transfer_imported"]
    assert history[0].detail.startswith(f"bundle={exported.bundle_id} tables=")
    assert "replace=False" in history[0].detail and "Fictionperson" not in history[0].detail
    # The imported record works with the ordinary services.
    assert screening.screenings_for(receiving, new_id)["BCST1"].status == "COMPLETED"
    assert planning.plan_for(receiving, new_id) is not None


def test_importing_twice_needs_replace_and_a_newer_export_replaces(
        exported, workspace, woman, receiving, tmp_path):
    first = transfer_bundles.import_transfer(receiving, exported.path)
    with pytest.raises(UserError, match="already here .* would replace her record"):
        transfer_bundles.import_transfer(receiving, exported.path)
    assert transfer_bundles.preview_transfer(receiving, exported.path).local == "EXISTS_OLDER"
    # Her referral is sent from here too, so her record is pointed at from the outbox.
    referral_id = referrals.referrals_for(receiving, first)[0].id
    sent_here = bundles.export_referral(receiving, referral_id, tmp_path / "usb")

    planning.update_plan(workspace, woman, notes="Fictional: changed after the first export.")
    newer = _export(workspace, woman, tmp_path / "usb2")
    preview = transfer_bundles.preview_transfer(receiving, newer.path)
    assert preview.local == "EXISTS_OLDER" and not preview.problems
    with pytest.raises(UserError, match="already here"):
        transfer_bundles.import_transfer(receiving, newer.path)

    again = transfer_bundles.import_transfer(receiving, newer.path, replace=True)
    assert again == first
    arrived = transfer_bundles.transfer_document(receiving, first)
    assert _record(arrived) == _record(_payload(newer.path))
    assert arrived["tables"]["plans"][0]["notes"] == "Fictional: changed after the first export."
    new_referral = referrals.referrals_for(receiving, first)[0].id
    entry = bundles.outbox(receiving, first)[0]
    assert entry.bundle_id == sent_here.bundle_id and entry.referral_id == new_referral
    with receiving.read() as session:
        assert session.scalars(select(Person.id)).all() == [first]
        details = session.scalars(select(AuditEntry.detail).where(
            AuditEntry.action == "transfer_imported").order_by(AuditEntry.id)).all()
    assert all(d.endswith(f"replace={r}") for d, r in zip(details, (False, True), strict=True))


@pytest.mark.parametrize("change, what", [
    (lambda ws, pid: planning.add_task(ws, pid, pathway="HEALTH", title="Fictional: GP",
                                       owner="PRISON", due_date=None), "her plan's tasks"),
    (lambda ws, pid: consent.record(ws, pid, scope="ALL", shared_with="Fictional probation",
                                    given_on=today_london(), method="VERBAL"), "her consents"),
    (lambda ws, pid: planning.add_hearing(ws, pid, today_london() + timedelta(days=9),
                                          "Fictional Magistrates"), "court dates"),
])
def test_a_change_here_after_the_bundle_is_never_overwritten(
        exported, receiving, change, what):
    pid = transfer_bundles.import_transfer(receiving, exported.path)
    before = transfer_bundles.transfer_document(receiving, pid)
    change(receiving, pid)
    after = transfer_bundles.transfer_document(receiving, pid)
    preview = transfer_bundles.preview_transfer(receiving, exported.path)
    assert preview.local == "EXISTS_NEWER" and what in preview.problems[0]
    assert "newer local data is never overwritten" in preview.problems[0]
    with pytest.raises(UserError, match="newer local data is never overwritten") as refused:
        transfer_bundles.import_transfer(receiving, exported.path, replace=True)
    assert str(refused.value) == preview.problems[0]
    assert _record(transfer_bundles.transfer_document(receiving, pid)) == _record(after)
    assert _record(after) != _record(before)


def test_a_newer_local_record_names_the_day(exported, receiving):
    pid = transfer_bundles.import_transfer(receiving, exported.path)
    planning.update_plan(receiving, pid, notes="Fictional: changed here.")
    preview = transfer_bundles.preview_transfer(receiving, exported.path)
    assert preview.local_updated_at is not None
    assert preview.problems[0].startswith(
        f"Her record here was changed on {today_london():%d/%m/%Y} at ")
    assert "(her plan), after this bundle was made on" in preview.problems[0]


def test_a_tampered_transfer_bundle_is_refused_with_the_reason(exported, receiving, tmp_path):
    members = _members(exported.path)
    members["transfer.json"] = members["transfer.json"].replace(b"Testina", b"Testine")
    bad = _rezip(exported.path, tmp_path / "tampered.rsb", members)
    with pytest.raises(fmt.BundleError) as reason:
        bundles.verify_file(bad)
    assert reason.value.code == "member_changed"
    with pytest.raises(UserError) as previewed:
        transfer_bundles.preview_transfer(receiving, bad)
    with pytest.raises(UserError) as imported:
        transfer_bundles.import_transfer(receiving, bad)
    assert str(previewed.value) == str(imported.value) == str(reason.value)
    assert _her_id(receiving) is None


def test_a_bundle_from_a_newer_resettle_is_refused(exported, workspace, receiving, tmp_path):
    document = _payload(exported.path)
    document["tables"]["consents"][0]["mood"] = "fictional"
    with workspace.read() as session:
        signer = bundles.active_identity(session)
    built = fmt.build({"transfer.json": json.dumps(document).encode(), "handover.pdf": b"%PDF"},
                      signer, bundle_type="transfer", referral_type="TRANSFER",
                      created_at=now_utc(), created_by=("admin", "administrator"),
                      establishment="HMP & YOI Testfield", recipient=RECEIVING)
    path = tmp_path / "newer.rsb"
    path.write_bytes(built.data)
    preview = transfer_bundles.preview_transfer(receiving, path)
    assert preview.problems[0].startswith("This bundle comes from a newer Resettle: update "
                                          "before importing")
    with pytest.raises(UserError, match="newer Resettle: update before importing"):
        transfer_bundles.import_transfer(receiving, path)
    assert _her_id(receiving) is None


def test_a_referral_bundle_is_not_imported_as_a_transfer(workspace, woman, receiving, tmp_path):
    referral_id = referrals.referrals_for(workspace, woman)[0].id
    made = bundles.export_referral(workspace, referral_id, tmp_path)
    with pytest.raises(UserError, match="not a transfer"):
        transfer_bundles.preview_transfer(receiving, made.path)


def test_a_viewer_cannot_import(exported, receiving, receiving_dir):
    users.add_user(receiving, "reader", "Reader", "viewer", TEMPORARY)
    viewer = vault.unlock(receiving_dir, "reader", TEMPORARY)
    try:
        assert transfer_bundles.preview_transfer(viewer, exported.path).local == "NEW"
        with pytest.raises(PermissionDenied):
            transfer_bundles.import_transfer(viewer, exported.path)
        with pytest.raises(PermissionDenied):
            transfer_bundles.export_transfer(viewer, 1, receiving_dir)
    finally:
        viewer.lock()
    assert _her_id(receiving) is None


def test_an_encrypted_bundle_opens_only_after_decryption(
        workspace, woman, receiving, tmp_path):
    pem, _fingerprint = bundles.signing_certificate(receiving)
    made = _export(workspace, woman, tmp_path / "usb", encrypt_to=pem)
    assert made.path.name.endswith(".rsb.p7m")
    with pytest.raises(UserError, match="encrypted"):
        transfer_bundles.preview_transfer(receiving, made.path)
    assert NUMBER.encode() not in made.path.read_bytes()
    with receiving.read() as session:
        key = bundles.active_identity(session)
    (tmp_path / "cert.pem").write_bytes(key.certificate_pem())
    (tmp_path / "key.pem").write_bytes(key.key_pem())
    plain = tmp_path / made.path.name.removesuffix(".p7m")
    opened = subprocess.run([_tool("openssl"), "cms", "-decrypt", "-binary", "-inform", "DER",
                             "-in", str(made.path), "-recip", "cert.pem", "-inkey", "key.pem",
                             "-out", str(plain)], cwd=tmp_path, capture_output=True, text=True,
                            check=False)
    assert opened.returncode == 0, opened.stderr
    pid = transfer_bundles.import_transfer(receiving, plain)
    assert people.get_person(receiving, pid).draft.prison_number == NUMBER


def test_nothing_is_left_in_the_temp_folder(workspace, woman, receiving, tmp_path,
                                            monkeypatch):
    """Python's temp folder is pointed at an empty one, so anything put there is seen."""
    temp = tmp_path / "system-temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("TMPDIR", str(temp))
    before = sorted(n for n in os.listdir(tempfile.gettempdir()) if not n.startswith("pytest"))
    pem, _fingerprint = bundles.signing_certificate(receiving)
    _export(workspace, woman, tmp_path / "usb", encrypt_to=pem)
    made = _export(workspace, woman, tmp_path / "usb2")
    transfer_bundles.preview_transfer(receiving, made.path)
    transfer_bundles.import_transfer(receiving, made.path)
    after = sorted(n for n in os.listdir(tempfile.gettempdir()) if not n.startswith("pytest"))
    assert tempfile.gettempdir() == str(temp)
    assert after == before == []


def test_every_table_about_her_travels_or_is_left_out_on_purpose():
    """A new table linked to people or to her rows must be placed in RECORD or here."""
    record = {m.__tablename__ for m in transfer_bundles.RECORD}
    record |= {c.__tablename__ for cs in transfer_bundles.RECORD.values() for c in cs}
    left_out = {"bundles", "bundle_events"}
    pointing_in = set()
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if target == "people" or target in record:
                if table.name not in record:
                    pointing_in.add((table.name, fk.parent.name))
    assert {t for t, _c in pointing_in} <= left_out
    assert pointing_in - {("bundles", "person_id")} == transfer_bundles.OUTSIDE_LINKS
