"""The deadline list behind `resettle due`, as a service: typed rows, same JSON as the CLI."""

from datetime import UTC, datetime, timedelta

from app.domain.timezone import now_utc, to_london, today_london
from app.services import deadlines, people
from app.services.deadlines import Deadline, DeadlineKind
from tests.conftest import make_draft


def test_due_list_has_typed_rows_sorted_and_the_cli_json_fields(workspace):
    people.add_person(workspace, make_draft(prison_number="Z1000AA",
                                            reception_at=now_utc() - timedelta(hours=2),
                                            release_date=today_london() + timedelta(days=40)))
    rows = deadlines.due_list(workspace)
    assert rows and all(isinstance(r, Deadline) for r in rows)
    kinds = {r.kind for r in rows}
    assert {DeadlineKind.BCST1, DeadlineKind.BCST2, DeadlineKind.DUTY_TO_REFER} <= kinds
    assert [r.due for r in rows] == sorted(r.due for r in rows)
    assert all(r.due.tzinfo is not None for r in rows)
    first = rows[0].as_json()
    assert set(first) == {"prison_number", "kind", "due", "status"}
    assert datetime.fromisoformat(first["due"]).utcoffset() == UTC.utcoffset(None)
    assert first["kind"] in {k.value for k in DeadlineKind}


def test_day_deadlines_fall_due_at_the_end_of_the_day_in_prison_time(workspace):
    people.add_person(workspace, make_draft(prison_number="Z1000AA",
                                            release_date=today_london() + timedelta(days=40)))
    dtr = next(r for r in deadlines.due_list(workspace) if r.kind is DeadlineKind.DUTY_TO_REFER)
    assert to_london(dtr.due).time().isoformat() == "23:59:59"
