"""EDIC and MAPPA lists, PDFs parsed back, transfers with a handover summary, the new CLI."""

import io
import json
import shutil
import subprocess
from datetime import time, timedelta

import pytest

from app.cli import main
from app.domain.planning import following_week, iso_week
from app.domain.timezone import today_london
from app.services import meetings, people, planning, transfers
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, make_draft

TODAY = today_london()
NEXT_MONDAY, NEXT_SUNDAY = following_week(TODAY)
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="pdftotext (poppler-utils) is not installed")


def pdf_text(path):
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture
def week(workspace):
    friday = NEXT_MONDAY + timedelta(days=4)
    people.add_person(workspace, make_draft(prison_number="Z1000AA", family_name="Fridayson",
                                            release_date=friday, release_time=time(18, 0),
                                            mappa_level="2"))
    people.add_person(workspace, make_draft(prison_number="Z2000AA", family_name="Mondayson",
                                            release_date=NEXT_MONDAY))
    people.add_person(workspace, make_draft(prison_number="Z3000AA", family_name="Laterson",
                                            release_date=NEXT_SUNDAY + timedelta(days=1)))
    return workspace


def test_edic_lists_next_weeks_releases_with_risks(week):
    rows = meetings.edic_rows(week, NEXT_MONDAY, NEXT_SUNDAY)
    assert [r.prison_number for r in rows] == ["Z2000AA", "Z1000AA"]
    friday = rows[1]
    assert any(r.startswith("Friday release") for r in friday.risks)
    assert any("after 17:00" in r for r in friday.risks)
    assert "No accommodation identified" in friday.risks
    assert friday.plan_status == "No plan"


@needs_pdftotext
def test_edic_and_mappa_pdfs_carry_the_names_and_dates(week, tmp_path):
    count = meetings.write_edic(week, NEXT_MONDAY, NEXT_SUNDAY, tmp_path / "edic.pdf")
    text = pdf_text(tmp_path / "edic.pdf")
    assert count == 2 and "FRIDAYSON" in text and "Z1000AA" in text
    assert (NEXT_MONDAY + timedelta(days=4)).strftime("%d/%m/%Y") in text
    assert "RISK:" in text
    meetings.write_mappa(week, TODAY, TODAY + timedelta(days=90), tmp_path / "mappa.pdf")
    mappa = pdf_text(tmp_path / "mappa.pdf")
    assert "Z1000AA" in mappa and "Z2000AA" not in mappa and "Level 2" in mappa


@needs_pdftotext
def test_transfer_writes_a_handover_and_leaves_the_board(week, tmp_path):
    pid = people.find_id(week, "Z2000AA")
    planning.start_plan(week, pid)
    out = transfers.transfer_out(week, pid, transferred_on=TODAY,
                                 destination="HMP Fictional Park", handover_pdf=tmp_path / "h.pdf")
    text = pdf_text(out)
    assert "Transfer handover summary" in text and "HMP Fictional Park" in text
    assert "tenancy" in text.lower()  # an open plan task travels with her
    assert pid not in {r.person_id for r in planning.board(week)}
    assert "Z2000AA" not in {r.prison_number for r in meetings.edic_rows(
        week, NEXT_MONDAY, NEXT_SUNDAY)}


def run(monkeypatch, capsys, *argv):
    monkeypatch.setattr("sys.stdin", io.StringIO(ADMIN_PASSPHRASE + "\n"))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@needs_pdftotext
def test_cli_edic_mappa_referrals(week, data_dir, tmp_path, monkeypatch, capsys):
    week.lock()
    iso = NEXT_MONDAY.isocalendar()
    label = f"{iso.year}-W{iso.week:02d}"
    assert iso_week(label) == (NEXT_MONDAY, NEXT_SUNDAY)
    common = ("--data-dir", str(data_dir), "--user", ADMIN, "--passphrase-stdin")
    code, out, err = run(monkeypatch, capsys, "edic", "--week", label, "--out",
                         str(tmp_path / "e.pdf"), *common)
    assert code == 0, err
    assert "2 women" in out and "Fridayson".upper() in pdf_text(tmp_path / "e.pdf")
    code, _out, err = run(monkeypatch, capsys, "edic", "--week", "2026-W99", "--out",
                          str(tmp_path / "x.pdf"), *common)
    assert code == 1 and "Traceback" not in err
    code, out, err = run(monkeypatch, capsys, "mappa", "--from", TODAY.isoformat(), "--out",
                         str(tmp_path / "m.pdf"), *common)
    assert code == 0, err
    code, out, err = run(monkeypatch, capsys, "referrals", "--format", "json", *common)
    assert code == 0 and json.loads(out) == []
    code, out, err = run(monkeypatch, capsys, "due", "--format", "json", *common)
    kinds = {i["kind"] for i in json.loads(out)}
    assert {"PLAN", "DUTY_TO_REFER", "CRS"} <= kinds
