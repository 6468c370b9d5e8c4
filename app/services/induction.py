"""The induction queue and the open-deadline list (`resettle due`).

A woman is in the queue until her BCST2 is closed (completed, or skipped with a reason). The
queue is one query over people and screenings, read without ORM overhead, so 5,000 women list
in a few tens of milliseconds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import text

from app.domain.audit_actions import Action, RecordType
from app.domain.codes import ScreeningStatus
from app.domain.roles import Permission
from app.domain.screening_deadlines import Deadline, DeadlineCalculator, DeadlineStatus
from app.domain.timezone import now_utc
from app.services.calendar import working_calendar
from app.services.workspace import Workspace

STATES = ("BCST1_OVERDUE", "BCST1_DUE", "BCST2_OVERDUE", "BCST2_DUE")
STATE_LABELS = {
    "BCST1_OVERDUE": "BCST1 overdue",
    "BCST1_DUE": "BCST1 due",
    "BCST2_OVERDUE": "BCST2 overdue",
    "BCST2_DUE": "BCST2 due",
}

_QUEUE_SQL = text(
    "SELECT p.id, p.prison_number, p.family_name, p.given_names, p.custody_status,"
    " p.reception_at, s1.status, s1.completed_at, s2.status, s2.completed_at"
    " FROM people p"
    # INDEXED BY: the covering index answers the join without reading the answers column.
    " LEFT JOIN screenings s1 INDEXED BY ix_screenings_queue"
    "   ON s1.person_id = p.id AND s1.kind = 'BCST1'"
    " LEFT JOIN screenings s2 INDEXED BY ix_screenings_queue"
    "   ON s2.person_id = p.id AND s2.kind = 'BCST2'"
    " WHERE s2.completed_at IS NULL"
    " AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.person_id = p.id)"
    " AND NOT EXISTS (SELECT 1 FROM release_outcomes o WHERE o.person_id = p.id)"
)


class InductionRow(NamedTuple):
    person_id: int
    prison_number: str
    family_name: str
    given_names: str
    custody_status: str
    reception_at: datetime
    bcst1: Deadline
    bcst2: Deadline
    bcst1_status: str  # NOT_STARTED, DRAFT, COMPLETED, SKIPPED
    bcst2_status: str
    state: str  # one of STATES

    @property
    def next_deadline(self) -> Deadline:
        return self.bcst2 if self.bcst1.completed_at else self.bcst1


def _utc(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def queue(ws: Workspace, now: datetime | None = None) -> list[InductionRow]:
    """Everyone not yet fully screened, the most urgent deadline first."""
    ws.require(Permission.VIEW_PEOPLE)
    now = now or now_utc()
    deadlines = DeadlineCalculator(working_calendar(ws))
    rows = []
    with ws.operation(Action.INDUCTION_LISTED, RecordType.CASELOAD) as (session, entry):
        raw = session.connection().execute(_QUEUE_SQL).fetchall()
        for (pid, number, family, given, custody, received, s1_status, s1_done, s2_status,
             _s2_done) in raw:  # fmt: skip
            reception_at = _utc(received)
            assert reception_at is not None
            first, second = deadlines(reception_at, _utc(s1_done), None)
            current = second if first.completed_at else first
            overdue = current.status(now) is DeadlineStatus.OVERDUE
            state = f"{current.kind}_{'OVERDUE' if overdue else 'DUE'}"
            rows.append(InductionRow(pid, number, family, given, custody, reception_at, first,
                                     second, s1_status or ScreeningStatus.NOT_STARTED,
                                     s2_status or ScreeningStatus.NOT_STARTED, state))
        entry.detail = f"rows={len(rows)}"
    rows.sort(key=lambda r: r.next_deadline.due)
    return rows


def counts(rows: list[InductionRow]) -> dict[str, int]:
    found = Counter(r.state for r in rows)
    return {state: found.get(state, 0) for state in STATES}


@dataclass(frozen=True)
class DueItem:
    prison_number: str
    kind: str
    due: datetime
    status: str  # due, overdue, done


def due_items(ws: Workspace, on: datetime | None = None) -> list[DueItem]:
    """Every deadline of every woman still in induction, as `resettle due` lists them."""
    on = on or now_utc()
    items = []
    for row in queue(ws, on):
        for deadline in (row.bcst1, row.bcst2):
            items.append(DueItem(row.prison_number, deadline.kind, deadline.due,
                                 deadline.status(on).value))
    items.sort(key=lambda i: (i.due, i.prison_number, i.kind))
    return items
