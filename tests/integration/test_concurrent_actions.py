"""Two actions at once (the window's worker thread and the GUI thread) both go through.

In WAL mode a transaction that reads and only then writes fails at once with "database is
locked" if another connection committed in between; every action therefore begins with the
write lock (BEGIN IMMEDIATE) and the other waits its turn (busy_timeout).
"""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.services import people
from app.store.models import Person
from tests.conftest import make_draft


def test_an_action_that_reads_first_still_saves_when_another_commits_meanwhile(workspace):
    ours_has_read = threading.Event()
    failures: list[BaseException] = []

    def other_action() -> None:
        ours_has_read.wait(5)
        try:
            people.add_person(workspace, make_draft(prison_number="Z8001AA"))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)

    other = threading.Thread(target=other_action)
    other.start()
    with workspace.operation("setting_changed") as (session, _entry):  # any known action
        before = session.scalar(select(func.count()).select_from(Person))
        ours_has_read.set()
        other.join(0.5)  # it waits for our write lock rather than committing under us
    other.join(10)
    assert not failures
    assert before == 0
    assert people.find_id(workspace, "Z8001AA") is not None
