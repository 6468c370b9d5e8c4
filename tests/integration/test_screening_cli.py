"""`resettle due` and `resettle screening export`, run as a script would."""

import io
import json
from datetime import timedelta

from app.cli import main
from app.domain.timezone import now_utc
from app.services import people, screening
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, make_draft
from tests.integration.test_screening_service import valid_answers


def run(monkeypatch, capsys, *argv):
    monkeypatch.setattr("sys.stdin", io.StringIO(ADMIN_PASSPHRASE + "\n"))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_due_lists_open_deadlines_as_json(workspace, data_dir, monkeypatch, capsys):
    pid = people.add_person(workspace, make_draft(reception_at=now_utc() - timedelta(hours=60)))
    screening.complete(workspace, pid, "BCST1", valid_answers("BCST1"), None)
    workspace.lock()
    code, out, err = run(monkeypatch, capsys, "due", "--data-dir", str(data_dir), "--user",
                         ADMIN, "--passphrase-stdin", "--format", "json")
    assert code == 0, err
    items = json.loads(out)
    assert {(i["prison_number"], i["kind"], i["status"]) for i in items
            if i["kind"].startswith("BCST")} == {
        ("Z1234AB", "BCST1", "done"), ("Z1234AB", "BCST2", "due")}
    assert set(items[0]) == {"prison_number", "kind", "due", "status"}
    assert items[0]["due"].endswith("+00:00")


def test_due_on_a_later_day_shows_overdue(workspace, data_dir, monkeypatch, capsys):
    people.add_person(workspace, make_draft(reception_at=now_utc() - timedelta(hours=1)))
    workspace.lock()
    later = (now_utc() + timedelta(days=3)).date().isoformat()
    code, out, _ = run(monkeypatch, capsys, "due", "--on", later, "--data-dir", str(data_dir),
                       "--user", ADMIN, "--passphrase-stdin", "--format", "json")
    assert code == 0
    assert {i["kind"]: i["status"] for i in json.loads(out)}["BCST1"] == "overdue"


def test_due_with_a_bad_date_is_a_user_error(initialised, data_dir, monkeypatch, capsys):
    code, _, err = run(monkeypatch, capsys, "due", "--on", "30/11/2026", "--data-dir",
                       str(data_dir), "--user", ADMIN, "--passphrase-stdin")
    assert code == 1 and "2026-11-30" in err and "Traceback" not in err


def test_screening_export_prints_codes(workspace, data_dir, monkeypatch, capsys):
    pid = people.add_person(workspace, make_draft(reception_at=now_utc() - timedelta(hours=5)))
    answers = valid_answers("BCST1")
    screening.complete(workspace, pid, "BCST1", answers, None)
    workspace.lock()
    code, out, err = run(monkeypatch, capsys, "screening", "export", "--person", "z1234ab",
                         "--format", "json", "--data-dir", str(data_dir), "--user", ADMIN,
                         "--passphrase-stdin")
    assert code == 0, err
    data = json.loads(out)
    assert data["prison_number"] == "Z1234AB"
    assert data["screenings"][0]["kind"] == "BCST1"
    assert data["screenings"][0]["answers"]


def test_screening_export_of_an_unknown_person(initialised, data_dir, monkeypatch, capsys):
    code, _, err = run(monkeypatch, capsys, "screening", "export", "--person", "Z9999ZZ",
                       "--data-dir", str(data_dir), "--user", ADMIN, "--passphrase-stdin")
    assert code == 1 and "Z9999ZZ" in err
