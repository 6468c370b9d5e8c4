"""Signed referral bundles, end to end: real keys, real zips, real OpenSSL and sha256sum."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from app.bundles import bundle_format as fmt
from app.bundles import identity as ident
from app.domain.referrals import ReferralDraft
from app.errors import PermissionDenied, UserError
from app.services import bundles, consent, people, referrals
from tests.bundle_fixtures import _KEYS  # noqa: E402 - the shared key cache
from tests.conftest import make_draft


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is needed for this test (.ci/run installs it)"
    return path


@pytest.fixture
def referral(workspace):
    pid = people.add_person(workspace, make_draft(prison_number="Z5555AB",
                                                  release_date=date(2027, 3, 5)))  # fmt: skip
    consent.record(workspace, pid, scope="ALL", shared_with="Hackney council housing",
                   given_on=date(2026, 11, 1), method="SIGNED_FORM")  # fmt: skip
    saved = referrals.save(workspace, pid, ReferralDraft(
        type="DUTY_TO_REFER", council_code="E09000012", council_choice="LOCAL_CONNECTION",
        notes="Fictional note: prefers a ground-floor room."))  # fmt: skip
    return saved.referral_id


@pytest.fixture
def exported(workspace, referral, tmp_path):
    out = tmp_path / "usb"
    out.mkdir()
    return bundles.export_referral(workspace, referral, out)


def _unzip(path: Path, into: Path) -> Path:
    into.mkdir()
    with zipfile.ZipFile(path) as archive:
        archive.extractall(into)
    return into


def _openssl_verify(folder: Path, ca: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([_tool("openssl"), "cms", "-verify", "-binary", "-inform", "DER",
                           "-in", "manifest.json.p7s", "-content", "manifest.json",
                           "-CAfile", str(ca or folder / "signer.pem"), "-out", "/dev/null"],
                          cwd=folder, capture_output=True, text=True, check=False)  # fmt: skip


def test_bundle_is_named_and_holds_exactly_its_members(exported):
    assert exported.path.name.startswith("Z5555AB-DUTY_TO_REFER-")
    assert exported.path.name.endswith(f"-{exported.bundle_id[:8]}.rsb")
    with zipfile.ZipFile(exported.path) as archive:
        names = sorted(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        payload = json.loads(archive.read("referral.json"))
    assert names == sorted(["manifest.json", "manifest.json.p7s", "referral.json",
                            "referral.pdf", "SHA256SUMS", "signer.pem"])  # fmt: skip
    assert manifest["schema_version"] == 1 and manifest["bundle_id"] == exported.bundle_id
    assert manifest["referral_type"] == "DUTY_TO_REFER"
    assert manifest["created_by"] == {"name": "admin", "role": "administrator"}
    assert manifest["recipient"] == "Hackney council (housing)"
    assert {m["name"] for m in manifest["members"]} == {"referral.json", "referral.pdf",
                                                         "signer.pem", "SHA256SUMS"}
    assert payload["person"]["prison_number"] == "Z5555AB"
    assert payload["details"]["council_name"] == "Hackney"
    assert "notes" in payload and "Fictional note" in payload["notes"]


def test_openssl_and_sha256sum_verify_a_good_bundle(exported, tmp_path):
    folder = _unzip(exported.path, tmp_path / "good")
    result = _openssl_verify(folder)
    assert result.returncode == 0, result.stderr
    assert "Verification successful" in result.stderr
    sums = subprocess.run([_tool("sha256sum"), "-c", "SHA256SUMS"], cwd=folder,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert sums.returncode == 0 and sums.stdout.count(": OK") == 3


def test_openssl_and_sha256sum_fail_on_a_tampered_bundle(exported, tmp_path):
    folder = _unzip(exported.path, tmp_path / "bad")
    manifest = (folder / "manifest.json").read_text()
    (folder / "manifest.json").write_text(manifest.replace("Hackney", "Hackny"))
    assert _openssl_verify(folder).returncode != 0
    (folder / "referral.json").write_text((folder / "referral.json").read_text() + " ")
    sums = subprocess.run([_tool("sha256sum"), "-c", "SHA256SUMS"], cwd=folder,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert sums.returncode != 0 and "referral.json: FAILED" in sums.stdout


def test_the_team_certificate_from_signing_cert_is_a_trust_anchor_for_openssl(
        workspace, exported, tmp_path):  # fmt: skip
    pem, fingerprint = bundles.signing_certificate(workspace)
    team = tmp_path / "team.pem"
    team.write_bytes(pem)
    folder = _unzip(exported.path, tmp_path / "anchored")
    assert _openssl_verify(folder, team).returncode == 0
    printed = subprocess.run([_tool("openssl"), "x509", "-in", str(team), "-noout",
                              "-fingerprint", "-sha256"], capture_output=True, text=True,
                             check=True).stdout  # fmt: skip
    assert fingerprint in printed


def test_resettle_verify_accepts_a_good_bundle_and_names_the_sender(exported, workspace):
    verified = bundles.verify_file(exported.path)
    assert verified.manifest["bundle_id"] == exported.bundle_id
    assert "HMP & YOI Testfield" in verified.signer
    pem, fingerprint = bundles.signing_certificate(workspace)
    assert verified.fingerprint == fingerprint
    assert bundles.verify_file(exported.path, trust_pem=pem).fingerprint == fingerprint


def _rezip(path: Path, out: Path, change) -> Path:  # noqa: ANN001
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members = change(members)
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out


def _other_signature(members: dict[str, bytes]) -> dict[str, bytes]:
    from app.bundles import cms

    stranger = ident.generate("HMP Somewhere Else (fictional)")
    members["manifest.json.p7s"] = cms.sign_detached(members["manifest.json"],
                                                     stranger.certificate, stranger.key)
    return members


def _edit_manifest(members: dict[str, bytes]) -> dict[str, bytes]:
    manifest = json.loads(members["manifest.json"])
    manifest["recipient"] = "Someone else"
    members["manifest.json"] = json.dumps(manifest, indent=2).encode()
    return members


def _flip_byte(name: str):  # noqa: ANN202
    def change(members: dict[str, bytes]) -> dict[str, bytes]:
        data = bytearray(members[name])
        data[len(data) // 2] ^= 0x01
        members[name] = bytes(data)
        return members
    return change


def _drop(name: str):  # noqa: ANN202
    def change(members: dict[str, bytes]) -> dict[str, bytes]:
        del members[name]
        return members
    return change


def _add(name: str):  # noqa: ANN202
    def change(members: dict[str, bytes]) -> dict[str, bytes]:
        members[name] = b"extra"
        return members
    return change


def _schema_version(members: dict[str, bytes]) -> dict[str, bytes]:
    """Re-signed with the team's key, so only the schema version is wrong."""
    return members


@pytest.mark.parametrize("change, code", [
    (_flip_byte("referral.json"), "member_changed"),
    (_flip_byte("referral.pdf"), "member_changed"),
    (_flip_byte("SHA256SUMS"), "member_changed"),
    (_flip_byte("signer.pem"), "signer_mismatch"),
    (_flip_byte("manifest.json.p7s"), {"bad_signature", "signer_mismatch"}),
    (_edit_manifest, "bad_signature"),
    (_other_signature, "signer_mismatch"),
    (_drop("referral.pdf"), "member_missing"),
    (_drop("manifest.json.p7s"), "missing_signature"),
    (_drop("manifest.json"), "missing_manifest"),
    (_add("notes.txt"), "member_added"),
    (_add("../evil.sh"), "unsafe_path"),
    (_add("/etc/cron.d/x"), "unsafe_path"),
])
def test_every_tampering_is_caught_with_its_own_message(exported, tmp_path, change, code):
    bad = _rezip(exported.path, tmp_path / "bad.rsb", change)
    with pytest.raises(fmt.BundleError) as caught:
        bundles.verify_file(bad)
    assert caught.value.code in ({code} if isinstance(code, str) else code), str(caught.value)
    assert str(caught.value)


def test_a_byte_changed_anywhere_in_the_file_is_never_accepted(exported, tmp_path):
    data = exported.path.read_bytes()
    for offset in range(0, len(data), max(1, len(data) // 40)):
        bad = bytearray(data)
        bad[offset] ^= 0x5A
        target = tmp_path / f"flip-{offset}.rsb"
        target.write_bytes(bytes(bad))
        try:
            bundles.verify_file(target)
        except fmt.BundleError:
            continue
        # a flip in zip bookkeeping the reader never uses is harmless only if every member
        # still verifies: check the members really are unchanged
        survivor = fmt.read_members(bytes(bad))
        assert survivor == fmt.read_members(data)


def test_a_garbled_signer_certificate_is_named_not_a_crash(exported, tmp_path):
    def garble(members: dict[str, bytes]) -> dict[str, bytes]:
        pem = members["signer.pem"].decode()
        members["signer.pem"] = pem.replace(pem.splitlines()[3][:4], "....", 1).encode()
        return members

    bad = _rezip(exported.path, tmp_path / "garbled.rsb", garble)
    with pytest.raises(fmt.BundleError) as caught:
        bundles.verify_file(bad)
    assert caught.value.code in {"signer_mismatch", "member_changed"}


def test_a_truncated_bundle_says_so(exported, tmp_path):
    cut = tmp_path / "cut.rsb"
    cut.write_bytes(exported.path.read_bytes()[:-200])
    with pytest.raises(fmt.BundleError) as caught:
        bundles.verify_file(cut)
    assert caught.value.code == "damaged"
    assert "cut short" in str(caught.value)


def test_an_unknown_schema_version_is_named(workspace, exported, tmp_path):
    with zipfile.ZipFile(exported.path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    payload = {k: v for k, v in members.items()
               if k in ("referral.json", "referral.pdf")}  # fmt: skip
    with workspace.read() as session:
        signer = bundles.active_identity(session)
    built = fmt.build(payload, signer, bundle_type="referral", referral_type="DUTY_TO_REFER",
                      created_at=datetime.now(UTC), created_by=("A", "pom"),
                      establishment="HMP Test", recipient="R")  # fmt: skip
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(built.data)).read("manifest.json"))
    assert manifest["schema_version"] == 1
    raw = {n: zipfile.ZipFile(io.BytesIO(built.data)).read(n)
           for n in zipfile.ZipFile(io.BytesIO(built.data)).namelist()}  # fmt: skip
    manifest["schema_version"] = 99
    from app.bundles import cms

    raw["manifest.json"] = json.dumps(manifest).encode()
    raw["manifest.json.p7s"] = cms.sign_detached(raw["manifest.json"], signer.certificate,
                                                 signer.key)  # fmt: skip
    bad = _rezip(exported.path, tmp_path / "v99.rsb", lambda _m: raw)
    with pytest.raises(fmt.BundleError) as caught:
        bundles.verify_file(bad)
    assert caught.value.code == "unknown_schema" and "99" in str(caught.value)


def test_a_payload_that_breaks_the_schema_is_refused(workspace, exported, tmp_path):
    with zipfile.ZipFile(exported.path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    payload = json.loads(members["referral.json"])
    payload["person"]["prison_number"] = "not a number"
    with workspace.read() as session:
        signer = bundles.active_identity(session)
    built = fmt.build({"referral.json": json.dumps(payload).encode(),
                       "referral.pdf": members["referral.pdf"]}, signer,
                      bundle_type="referral", referral_type="DUTY_TO_REFER",
                      created_at=datetime.now(UTC), created_by=("A", "pom"),
                      establishment="HMP Test", recipient="R")  # fmt: skip
    bad = tmp_path / "schema.rsb"
    bad.write_bytes(built.data)
    with pytest.raises(fmt.BundleError) as caught:
        bundles.verify_file(bad)
    assert caught.value.code == "schema_invalid" and "prison_number" in str(caught.value)


def test_export_without_consent_is_refused_and_leaves_nothing(workspace, tmp_path):
    pid = people.add_person(workspace, make_draft(prison_number="Z6666AB"))
    saved = referrals.save(workspace, pid, ReferralDraft(type="OTHER", provider="Fictional"))
    out = tmp_path / "usb"
    out.mkdir()
    with pytest.raises(UserError, match="no current consent"):
        bundles.export_referral(workspace, saved.referral_id, out)
    assert list(out.iterdir()) == []
    assert bundles.outbox(workspace) == []


def test_withdrawn_consent_refuses_export(workspace, referral, tmp_path):
    [given] = consent.consents_for(workspace, people.find_id(workspace, "Z5555AB"))
    consent.withdraw(workspace, given.id, date.today())
    with pytest.raises(UserError, match="no current consent"):
        bundles.preview(workspace, referral)


def test_a_missing_drive_or_write_failure_leaves_no_partial_bundle(
        workspace, referral, tmp_path, monkeypatch):  # fmt: skip
    with pytest.raises(UserError, match="not there"):
        bundles.export_referral(workspace, referral, tmp_path / "removed-drive")
    out = tmp_path / "usb"
    out.mkdir()
    import errno
    import os

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(UserError, match="not enough space"):
        bundles.export_referral(workspace, referral, out)
    monkeypatch.undo()
    assert list(out.iterdir()) == []
    assert bundles.outbox(workspace) == []


def test_a_copy_that_reads_back_differently_is_removed(workspace, referral, tmp_path,
                                                       monkeypatch):  # fmt: skip
    out = tmp_path / "usb"
    out.mkdir()
    real = Path.read_bytes

    def corrupt(self: Path) -> bytes:
        data = real(self)
        return data[:-1] + bytes([data[-1] ^ 1]) if self.suffix == ".rsb" else data

    monkeypatch.setattr(Path, "read_bytes", corrupt)
    with pytest.raises(UserError, match="did not read back the same"):
        bundles.export_referral(workspace, referral, out)
    monkeypatch.undo()
    assert list(out.iterdir()) == []


def test_reexport_supersedes_and_the_outbox_tracks_states(workspace, referral, tmp_path):
    out = tmp_path / "usb"
    out.mkdir()
    first = bundles.export_referral(workspace, referral, out)
    second = bundles.export_referral(workspace, referral, out)
    assert second.superseded == (first.bundle_id,)
    rows = {r.bundle_id: r for r in bundles.outbox(workspace)}
    assert rows[first.bundle_id].state == "SUPERSEDED"
    assert rows[first.bundle_id].superseded_by == second.bundle_id
    assert rows[second.bundle_id].state == "COPIED"
    assert rows[second.bundle_id].location == str(out.resolve())
    bundles.mark(workspace, second.bundle_id[:8], "uploaded", "Uploaded to the probation portal")
    bundles.mark(workspace, second.bundle_id, "acknowledged")
    with pytest.raises(UserError, match="Say why"):
        bundles.mark(workspace, second.bundle_id, "withdrawn")
    bundles.mark(workspace, second.bundle_id, "withdrawn", "Sent to the wrong council")
    row = next(r for r in bundles.outbox(workspace) if r.bundle_id == second.bundle_id)
    assert row.state == "WITHDRAWN"
    assert [e[2] for e in row.events] == ["CREATED", "COPIED", "UPLOADED", "ACKNOWLEDGED",
                                          "WITHDRAWN"]
    with pytest.raises(UserError):
        bundles.mark(workspace, first.bundle_id, "uploaded")  # superseded


def test_every_export_is_in_the_audit_log(workspace, exported):
    from app.services.audit import entries

    found = [e for e in entries(workspace, action="bundle_exported")]
    assert len(found) == 1 and exported.bundle_id in found[0].detail
    assert "Z5555AB" not in found[0].detail


def test_viewer_cannot_export(workspace, referral, make_user, tmp_path):
    viewer = make_user("viewer1", "viewer")
    with pytest.raises(PermissionDenied):
        bundles.export_referral(viewer, referral, tmp_path)


def _recipient(tmp_path: Path) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Fictional CPP, Probation")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1).not_valid_before(now)
            .not_valid_after(now + timedelta(days=30)).sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cpp.pem", tmp_path / "cpp.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))  # fmt: skip
    return cert_path, key_path


def test_encrypted_bundle_opens_with_openssl_and_stays_signed(workspace, referral, tmp_path):
    cert_path, key_path = _recipient(tmp_path)
    out = tmp_path / "share"
    out.mkdir()
    made = bundles.export_referral(workspace, referral, out,
                                   encrypt_to=cert_path.read_bytes())  # fmt: skip
    assert made.path.name.endswith(".rsb.p7m")
    assert b"Z5555AB" not in made.path.read_bytes()
    with pytest.raises(fmt.BundleError) as caught:
        bundles.verify_file(made.path)
    assert caught.value.code == "encrypted"
    opened = tmp_path / "opened.rsb"
    result = subprocess.run([_tool("openssl"), "cms", "-decrypt", "-binary", "-inform", "DER",
                             "-in", str(made.path), "-recip", str(cert_path), "-inkey",
                             str(key_path), "-out", str(opened)], capture_output=True,
                            text=True, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert bundles.verify_file(opened).manifest["referral_type"] == "DUTY_TO_REFER"
    printed = subprocess.run([_tool("openssl"), "cms", "-cmsout", "-print", "-inform", "DER",
                              "-in", str(made.path)], capture_output=True, text=True,
                             check=True).stdout  # fmt: skip
    assert "aes-256-cbc" in printed
    [row] = bundles.outbox(workspace)
    assert row.encrypted_to.startswith("Fictional CPP")


def test_rotation_keeps_old_bundles_verifiable(workspace, exported, tmp_path):
    old_pem, old_fingerprint = bundles.signing_certificate(workspace)
    _KEYS.pop("HMP & YOI Testfield", None)  # the next key must really be new
    new = bundles.rotate(workspace)
    assert new.fingerprint != old_fingerprint
    assert bundles.verify_file(exported.path, trust_pem=old_pem).fingerprint == old_fingerprint
    views = bundles.identities(workspace)
    assert [v.active for v in views] == [True, False]


def test_importing_an_organisation_certificate(workspace, tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "HMPPS Fictional Issuing CA")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(7).not_valid_before(now)
            .not_valid_after(now + timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    p12 = pkcs12.serialize_key_and_certificates(
        b"team", key, cert, None,
        serialization.BestAvailableEncryption(b"p12 password"))  # fmt: skip
    with pytest.raises(UserError, match="password is wrong"):
        bundles.import_pkcs12(workspace, p12, "wrong")
    view = bundles.import_pkcs12(workspace, p12, "p12 password")
    assert view.source == "IMPORTED" and view.fingerprint == ident.fingerprint(cert)
    pem, fingerprint = bundles.signing_certificate(workspace)
    assert fingerprint == view.fingerprint


def _cli(monkeypatch, capsys, *argv, data_dir=None):
    from app.cli import main
    from tests.conftest import ADMIN, ADMIN_PASSPHRASE

    monkeypatch.setattr("sys.stdin", io.StringIO(ADMIN_PASSPHRASE + "\n"))
    extra = ["--data-dir", str(data_dir), "--user", ADMIN, "--passphrase-stdin"] if data_dir \
        else []  # fmt: skip
    code = main([*argv, *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_export_list_verify_and_signing_cert(workspace, referral, data_dir, tmp_path,
                                                 monkeypatch, capsys):  # fmt: skip
    workspace.lock()
    out = tmp_path / "drive"
    out.mkdir()
    code, stdout, err = _cli(monkeypatch, capsys, "export-bundle", "--referral", str(referral),
                             "--out", str(out), data_dir=data_dir)  # fmt: skip
    assert code == 0, err
    [bundle] = list(out.iterdir())
    assert str(bundle) in stdout
    code, stdout, err = _cli(monkeypatch, capsys, "bundles", "--format", "json",
                             data_dir=data_dir)  # fmt: skip
    [row] = json.loads(stdout)
    assert row["state"] == "COPIED" and row["file_name"] == bundle.name
    assert row["history"][0]["state"] == "CREATED"
    code, stdout, err = _cli(monkeypatch, capsys, "bundles", "--mark", row["bundle_id"][:8],
                             "uploaded", "--note", "portal", data_dir=data_dir)  # fmt: skip
    assert code == 0, err
    code, stdout, err = _cli(monkeypatch, capsys, "verify", str(bundle))
    assert code == 0 and "VERIFIED" in stdout and "fingerprint" in stdout
    cert = tmp_path / "team.pem"
    code, stdout, err = _cli(monkeypatch, capsys, "signing-cert", "--out", str(cert),
                             data_dir=data_dir)  # fmt: skip
    assert code == 0 and "SHA-256 fingerprint" in stdout
    code, stdout, err = _cli(monkeypatch, capsys, "verify", str(bundle), "--trust", str(cert),
                             "--format", "json")  # fmt: skip
    assert code == 0 and json.loads(stdout)["ok"] is True
    damaged = tmp_path / "damaged.rsb"
    damaged.write_bytes(bundle.read_bytes()[:100])
    code, stdout, err = _cli(monkeypatch, capsys, "verify", str(damaged))
    assert code == 1 and "NOT VERIFIED (damaged)" in err
    code, stdout, err = _cli(monkeypatch, capsys, "verify", str(tmp_path / "nothing.rsb"))
    assert code == 1 and "no file" in err


def test_a_bundle_can_be_read_by_the_colleague_who_uploads_it(exported):
    import os

    mask = os.umask(0)
    os.umask(mask)
    assert exported.path.stat().st_mode & 0o777 == 0o666 & ~mask
