"""The induction queue and `due` list on a real encrypted database."""

from datetime import date, datetime, time, timedelta

from app.domain.timezone import london_to_utc
from app.services import calendar, induction, people, screening
from tests.conftest import make_draft
from tests.integration.test_screening_service import valid_answers


def at(y, m, d, hh=0, mm=0):
    return london_to_utc(date(y, m, d), time(hh, mm))


def add(ws, number, received: datetime):
    return people.add_person(ws, make_draft(prison_number=number, reception_at=received,
                                            release_date=None))


def test_queue_states_and_order(workspace):
    now = at(2026, 11, 20, 12)  # a Friday
    a = add(workspace, "Z1000AA", at(2026, 11, 17, 9))    # BCST1 overdue since Thu 09:00
    add(workspace, "Z2000AA", at(2026, 11, 19, 15))       # BCST1 due Sat 15:00
    c = add(workspace, "Z3000AA", at(2026, 11, 16, 10))   # BCST1 done Mon -> BCST2 due Mon 23
    d = add(workspace, "Z4000AA", at(2026, 11, 2, 10))    # fully screened: not in the queue
    del a
    screening.complete(workspace, c, "BCST1", valid_answers("BCST1"), None, at(2026, 11, 16, 15))
    for kind in ("BCST1", "BCST2"):
        screening.complete(workspace, d, kind, valid_answers(kind), None, at(2026, 11, 3, 9))
    rows = induction.queue(workspace, now)
    assert [r.prison_number for r in rows] == ["Z1000AA", "Z2000AA", "Z3000AA"]
    assert [r.state for r in rows] == ["BCST1_OVERDUE", "BCST1_DUE", "BCST2_DUE"]
    assert induction.counts(rows) == {"BCST1_OVERDUE": 1, "BCST1_DUE": 1,
                                      "BCST2_OVERDUE": 0, "BCST2_DUE": 1}
    assert rows[2].bcst2.due == london_to_utc(date(2026, 11, 23), time(23, 59, 59))


def test_a_closure_day_moves_bcst2_and_a_bcst2_draft_stays_in_the_queue(workspace):
    c = add(workspace, "Z3000AA", at(2026, 11, 16, 10))
    screening.complete(workspace, c, "BCST1", valid_answers("BCST1"), None, at(2026, 11, 16, 15))
    screening.save_draft(workspace, c, "BCST2", {}, None)
    before = induction.queue(workspace, at(2026, 11, 20, 12))[0].bcst2.due
    calendar.add_closure(workspace, date(2026, 11, 18), "Fictional office move")
    after = induction.queue(workspace, at(2026, 11, 20, 12))[0]
    assert after.bcst2.due - before == timedelta(days=1)
    assert after.bcst2_status == "DRAFT"


def test_due_items_report_due_overdue_and_done(workspace):
    c = add(workspace, "Z3000AA", at(2026, 11, 16, 10))
    screening.complete(workspace, c, "BCST1", valid_answers("BCST1"), None, at(2026, 11, 16, 15))
    add(workspace, "Z1000AA", at(2026, 11, 17, 9))
    items = induction.due_items(workspace, at(2026, 11, 24, 8))
    got = {(i.prison_number, i.kind): i.status for i in items}
    assert got == {
        ("Z3000AA", "BCST1"): "done",
        ("Z3000AA", "BCST2"): "overdue",
        ("Z1000AA", "BCST1"): "overdue",
        ("Z1000AA", "BCST2"): "due",
    }
    assert items == sorted(items, key=lambda i: (i.due, i.prison_number, i.kind))


def test_a_skipped_bcst2_leaves_the_queue(workspace):
    c = add(workspace, "Z3000AA", at(2026, 11, 16, 10))
    screening.skip(workspace, c, "BCST1", "TRANSFER", None)
    screening.skip(workspace, c, "BCST2", "TRANSFER", None)
    assert induction.queue(workspace, at(2026, 11, 20)) == []
