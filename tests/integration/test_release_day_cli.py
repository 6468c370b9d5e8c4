"""`resettle due` (release-day kinds) and `resettle report outcomes`, run as a script would."""

import csv
import importlib.util
import io
import json
from datetime import timedelta

import pytest

from app.cli import main
from app.domain.timezone import today_london
from app.services import people, release_day
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, make_draft

TODAY = today_london()


def run(monkeypatch, capsys, data_dir, *argv):
    monkeypatch.setattr("sys.stdin", io.StringIO(ADMIN_PASSPHRASE + "\n"))
    code = main([*argv, "--data-dir", str(data_dir), "--user", ADMIN, "--passphrase-stdin"])
    out, err = capsys.readouterr()
    return code, out, err


def add(ws, number, release):
    return people.add_person(ws, make_draft(prison_number=number, release_date=release))


def test_due_lists_release_checklists_and_follow_ups(workspace, data_dir, monkeypatch, capsys):
    add(workspace, "Z1000AA", TODAY + timedelta(days=5))
    gone = add(workspace, "Z2000AA", TODAY - timedelta(days=100))
    release_day.record_outcome(workspace, gone, released_on=TODAY - timedelta(days=100),
                               accommodation_code="A02", address="Fictional Approved Premises")
    workspace.lock()
    code, out, err = run(monkeypatch, capsys, data_dir, "due", "--format", "json")
    assert code == 0, err
    items = {(i["prison_number"], i["kind"]): i for i in json.loads(out)}
    checklist = items[("Z1000AA", "RELEASE_CHECKLIST")]
    assert checklist["status"] == "due"
    assert checklist["due"].startswith((TODAY + timedelta(days=5)).isoformat())
    assert checklist["due"][11:19] in ("23:59:59", "22:59:59")  # end of the day in London
    follow_up = items[("Z2000AA", "FOLLOW_UP_12_WEEKS")]
    assert follow_up["status"] == "overdue"
    code, out, err = run(monkeypatch, capsys, data_dir, "due")
    assert code == 0 and "RELEASE_CHECKLIST" in out and "FOLLOW_UP_12_WEEKS" in out


def test_report_outcomes_csv(workspace, data_dir, monkeypatch, capsys, tmp_path):
    pid = add(workspace, "Z1000AA", TODAY - timedelta(days=10))
    release_day.record_outcome(workspace, pid, released_on=TODAY - timedelta(days=10),
                               accommodation_code="A08A")
    workspace.lock()
    out_file = tmp_path / "outcomes.csv"
    code, out, err = run(monkeypatch, capsys, data_dir, "report", "outcomes",
                         "--from", (TODAY - timedelta(days=40)).isoformat(),
                         "--to", TODAY.isoformat(), "--out", str(out_file))
    assert code == 0, err
    assert str(out_file) in out
    table = list(csv.reader(out_file.open(encoding="utf-8")))
    overall = dict(zip(table[0], table[1], strict=True))
    assert (overall["homeless"], overall["total"], overall["settled"]) == ("<5", "<5", "0")


@pytest.mark.parametrize("dates", [("2026-13-01", "2026-12-31"), ("01/11/2026", "2026-12-31"),
                                   ("2026-12-31", "2026-11-01")])
def test_report_outcomes_bad_dates(initialised, data_dir, monkeypatch, capsys, tmp_path, dates):
    code, out, err = run(monkeypatch, capsys, data_dir, "report", "outcomes", "--from",
                         dates[0], "--to", dates[1], "--out", str(tmp_path / "x.csv"))
    assert code == 1 and out == ""
    assert err.startswith("resettle: ") and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.skipif(importlib.util.find_spec("app.documents.outcomes_report") is None,
                    reason="the PDF renderer has not landed yet")
def test_report_outcomes_pdf(workspace, data_dir, monkeypatch, capsys, tmp_path):
    add(workspace, "Z1000AA", TODAY - timedelta(days=10))
    workspace.lock()
    out_file = tmp_path / "outcomes.pdf"
    code, _out, err = run(monkeypatch, capsys, data_dir, "report", "outcomes", "--format", "pdf",
                          "--from", (TODAY - timedelta(days=40)).isoformat(),
                          "--to", TODAY.isoformat(), "--out", str(out_file))
    assert code == 0, err
    assert out_file.read_bytes().startswith(b"%PDF")
