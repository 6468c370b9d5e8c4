"""Release risks show wherever the release is listed, from the moment the date is entered."""

import io
import json
from datetime import date, time

from app.cli import main
from app.services import meetings, people, planning
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, make_draft

FRIDAY_LATE = dict(prison_number="Z1000FR", release_date=date(2027, 5, 28),
                   release_time=time(17, 30))


def test_caseload_board_and_meetings_carry_the_risks(workspace):
    people.add_person(workspace, make_draft(**FRIDAY_LATE))
    people.add_person(workspace, make_draft(prison_number="Z2000RM", custody_status="REMAND",
                                            release_date=None))
    rows = {r.prison_number: r for r in people.caseload(workspace)}
    assert rows["Z1000FR"].risks == ("FRIDAY", "AFTER_17", "BEFORE_NON_WORKING_DAY")
    assert rows["Z2000RM"].risks == ("DATE_UNKNOWN",)
    board = {r.prison_number: r for r in planning.board(workspace)}
    assert board["Z1000FR"].risks == rows["Z1000FR"].risks
    edic = meetings.edic_rows(workspace, date(2027, 5, 24), date(2027, 5, 30))
    assert any("weekend or bank holiday" in r for r in edic[0].risks)


def test_people_json_lists_release_risk_codes(workspace, data_dir, monkeypatch, capsys):
    people.add_person(workspace, make_draft(**FRIDAY_LATE))
    workspace.lock()
    monkeypatch.setattr("sys.stdin", io.StringIO(ADMIN_PASSPHRASE + "\n"))
    code = main(["people", "--format", "json", "--data-dir", str(data_dir), "--user", ADMIN,
                 "--passphrase-stdin"])
    out = capsys.readouterr().out
    assert code == 0
    assert json.loads(out)[0]["release_risks"] == ["FRIDAY", "AFTER_17", "BEFORE_NON_WORKING_DAY"]


def test_a_released_woman_leaves_the_windows_the_board_and_the_queue(workspace):
    from app.services import induction, release_day

    pid = people.add_person(workspace, make_draft(prison_number="Z3000RL",
                                                  release_date=date(2026, 11, 2)))
    assert "overdue" in {w.value for w in people.caseload(workspace)[0].windows}
    release_day.record_outcome(workspace, pid, released_on=date(2026, 11, 2),
                               accommodation_code="A01D", address="Fictional flat")
    row = people.caseload(workspace)[0]
    assert row.released_on == date(2026, 11, 2) and row.windows == frozenset()
    assert pid not in {r.person_id for r in planning.board(workspace)}
    assert pid not in {r.person_id for r in induction.queue(workspace)}
