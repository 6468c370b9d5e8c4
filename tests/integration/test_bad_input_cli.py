"""Bad input is the user's problem, not ours: exit 1 and one plain line, never exit 3.

Each case is a file or an option a person (or a damaged copy) can hand the CLI: the reader
that meets it says what is wrong. The real CLI runs in-process on a real encrypted profile.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import struct
import sys
import zipfile
from pathlib import Path

import pytest

from app import cli
from app.bundles import bundle_format as fmt
from app.domain.timezone import now_utc
from app.services import bundles, people
from tests.bundle_fixtures import NUMBER, RECEIVING
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, make_draft

LOGIN = ["--user", ADMIN, "--passphrase-stdin"]
HEADER = ("prison_number,family_name,given_names,date_of_birth,nationality,first_language,"
          "custody_status,reception_date,release_date,home_local_authority\n")  # fmt: skip
ROW = "A1234BC,Fictionperson,{name},1990-01-01,GB,en,REMAND,2026-01-05,,\n"


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def run(monkeypatch, capsys, data_dir):
    """The real CLI in-process; `profile` picks another data folder (a receiving prison)."""
    monkeypatch.delenv("RESETTLE_DATA_DIR", raising=False)
    monkeypatch.delenv("RESETTLE_DEBUG", raising=False)

    def _run(*argv: str, stdin: str = ADMIN_PASSPHRASE, profile: Path | None = None) -> Result:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = cli.main([*argv, "--data-dir", str(profile or data_dir)])
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return _run


def refused(result: Result, *words: str) -> None:
    """Exit 1 with one plain line (after any per-line report of a CSV) naming the problem."""
    assert result.code == 1, (result.code, result.err)
    assert "Traceback" not in result.err and "unexpected error" not in result.err
    last = result.err.strip().splitlines()[-1]
    assert last.startswith("resettle: "), result.err
    for word in words:
        assert word.lower() in result.err.lower(), result.err


def only_line(result: Result, *words: str) -> None:
    refused(result, *words)
    assert len(result.err.strip().splitlines()) == 1, result.err


# --- the caseload CSV -------------------------------------------------------------------------

def test_a_csv_field_over_the_limit_is_refused(run, initialised, tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(HEADER + ROW.format(name="T" * (129 * 1024)), encoding="utf-8")
    only_line(run("import-people", str(path), *LOGIN), "line 2", "too long")


# --- bundles: the zip ---------------------------------------------------------------------------

def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def _rezip(out: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out


def _patch_first_member(path: Path, local_offset: int, central_offset: int, value: int) -> None:
    """Set a 2-byte field of the first member in both its local and its central header."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        start = archive.start_dir  # type: ignore[attr-defined]
        first = archive.infolist()[0].header_offset
    assert data[first:first + 4] == b"PK\x03\x04" and data[start:start + 4] == b"PK\x01\x02"
    struct.pack_into("<H", data, first + local_offset, value)
    struct.pack_into("<H", data, start + central_offset, value)
    path.write_bytes(bytes(data))


def test_a_zip_member_marked_encrypted_is_refused(run, exported, tmp_path):
    bad = tmp_path / "flagged.rsb"
    shutil.copy(exported.path, bad)
    _patch_first_member(bad, 6, 8, 0x0001)  # general purpose flag: bit 0, encrypted
    only_line(run("verify", str(bad)), "NOT VERIFIED", "encrypted")


def test_a_zip_member_with_an_unknown_compression_is_refused(run, exported, tmp_path):
    bad = tmp_path / "squeezed.rsb"
    shutil.copy(exported.path, bad)
    _patch_first_member(bad, 8, 10, 99)  # compression method 99 (WinZip AES)
    only_line(run("verify", str(bad)), "NOT VERIFIED", "compress")


def test_a_deeply_nested_manifest_is_refused(run, exported, tmp_path):
    members = _members(exported.path)
    members["manifest.json"] = b"[" * 100_000 + b"]" * 100_000
    bad = _rezip(tmp_path / "deep.rsb", members)
    only_line(run("verify", str(bad)), "NOT VERIFIED", "manifest.json")


def test_a_signed_attribute_with_no_value_is_refused(run, exported, tmp_path):
    from asn1crypto import cms as acms

    members = _members(exported.path)
    info = acms.ContentInfo.load(members["manifest.json.p7s"])
    signer = info["content"]["signer_infos"][0]
    attrs = [a for a in signer["signed_attrs"]]
    attrs[-1] = acms.CMSAttribute({"type": attrs[-1]["type"].native, "values": []})
    signer["signed_attrs"] = acms.CMSAttributes(attrs)
    members["manifest.json.p7s"] = info.dump(force=True)
    bad = _rezip(tmp_path / "empty-attribute.rsb", members)
    only_line(run("verify", str(bad)), "NOT VERIFIED", "signature")


# --- transfer bundles: what the signed payload says ---------------------------------------------

def _resigned(workspace, exported, out: Path, change) -> Path:  # noqa: ANN001
    """The transfer bundle with transfer.json changed and signed again by the sending team."""
    document = json.loads(_members(exported.path)["transfer.json"])
    change(document)
    with workspace.read() as session:
        signer = bundles.active_identity(session)
    built = fmt.build({"transfer.json": json.dumps(document).encode(), "handover.pdf": b"%PDF"},
                      signer, bundle_type="transfer", referral_type="TRANSFER",
                      created_at=now_utc(), created_by=("admin", "administrator"),
                      establishment="HMP & YOI Testfield", recipient=RECEIVING)  # fmt: skip
    out.write_bytes(built.data)
    return out


@pytest.fixture
def receiving_profile(receiving_dir, receiving):  # noqa: ANN001
    receiving.lock()  # the CLI unlocks it itself
    return receiving_dir


def test_an_exported_at_that_is_no_day_is_refused(run, workspace, exported, receiving_profile,
                                                  tmp_path):  # fmt: skip
    def change(document: dict) -> None:
        document["exported_at"] = "2026-02-30T10:00:00Z"  # matches the schema's pattern

    bad = _resigned(workspace, exported, tmp_path / "no-day.rsb", change)
    result = run("import-transfer", str(bad), *LOGIN, profile=receiving_profile)
    refused(result, "exported_at")


def test_an_integer_too_large_for_the_database_is_refused(run, workspace, exported,
                                                          receiving_profile, tmp_path):  # fmt: skip
    def change(document: dict) -> None:
        document["tables"]["screenings"][0]["questionnaire_version"] = 2**70

    bad = _resigned(workspace, exported, tmp_path / "huge.rsb", change)
    result = run("import-transfer", str(bad), *LOGIN, profile=receiving_profile)
    refused(result, "Not imported", "questionnaire_version")


def test_answers_that_are_not_json_are_refused_at_import(run, workspace, exported,
                                                         receiving_profile, tmp_path):  # fmt: skip
    def change(document: dict) -> None:
        document["tables"]["screenings"][0]["answers"] = "not json {"

    bad = _resigned(workspace, exported, tmp_path / "answers.rsb", change)
    result = run("import-transfer", str(bad), *LOGIN, profile=receiving_profile)
    refused(result, "Not imported", "answers")
    after = run("screening", "export", "--person", NUMBER, *LOGIN, profile=receiving_profile)
    only_line(after, "no " + NUMBER)


# --- options ----------------------------------------------------------------------------------

def test_a_referral_id_beyond_any_record_is_refused(run, initialised, tmp_path):
    result = run("export-bundle", "--referral", "99999999999999999999", "--out", str(tmp_path),
                 *LOGIN)  # fmt: skip
    only_line(result, "referral")


def test_an_audit_limit_beyond_reason_is_refused(run, initialised):
    only_line(run("audit", "--limit", "99999999999999999999", *LOGIN), "--limit")


# --- the profile ------------------------------------------------------------------------------

@pytest.mark.parametrize("setting", [("memory_kib", 0), ("iterations", 2**40), ("lanes", 0),
                                     ("memory_kib", 2**40)])  # fmt: skip
def test_key_slot_kdf_settings_out_of_range_are_refused(run, initialised, data_dir, setting):
    path = data_dir / "keyslots.json"
    slots = json.loads(path.read_text("utf-8"))
    for slot in slots["slots"]:
        slot["kdf"][setting[0]] = setting[1]
    path.write_text(json.dumps(slots), encoding="utf-8")
    only_line(run("people", *LOGIN), "keyslots.json")


def test_a_database_that_is_a_folder_is_refused(run, initialised, data_dir):
    database = data_dir / "resettle.db"
    database.unlink()
    for extra in ("resettle.db-wal", "resettle.db-shm"):
        (data_dir / extra).unlink(missing_ok=True)
    database.mkdir()
    only_line(run("people", *LOGIN), "resettle.db", "folder")


def test_a_csv_mixing_utf8_and_windows_1252_is_refused_with_the_line(run, initialised, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes((HEADER + ROW.format(name="Zoë Ødegård")).encode()
                     + ROW.replace("A1234BC", "A1235BC").format(name="Renée").encode("cp1252"))
    only_line(run("import-people", str(path), *LOGIN), "mixes two text encodings", "line 3")
    assert "Ã" not in run("people", *LOGIN, "--format", "csv").out


# --- CSV out ----------------------------------------------------------------------------------

def test_people_csv_writes_formula_like_names_as_text(run, workspace):
    people.add_person(workspace, make_draft(prison_number="A1236BC", family_name="=1+2",
                                            given_names="@Fictional"))  # fmt: skip
    workspace.lock()
    result = run("people", *LOGIN, "--format", "csv")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert [(r["family_name"], r["given_names"]) for r in rows] == [("'=1+2", "'@Fictional")]
