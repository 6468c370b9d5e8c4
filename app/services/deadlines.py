"""Every deadline on the caseload, in one list: what `resettle due` prints.

The list used to be put together inside the CLI command; it lives here so that any screen (or a
report) can show exactly the same deadlines with the same statuses. Induction deadlines (BCST1,
BCST2) are instants; planning and release-day deadlines are days, due by the end of that day in
prison time (23:59:59 Europe/London), so all rows compare as UTC instants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum

from app.domain.timezone import london_to_utc, now_utc, to_london
from app.services import induction, planning, release_day
from app.services.workspace import Workspace

END_OF_DAY = time(23, 59, 59)


class DeadlineKind(StrEnum):
    """What falls due; the values are the `kind` field of `resettle due --format json`."""

    BCST1 = "BCST1"
    BCST2 = "BCST2"
    PLAN = "PLAN"
    DUTY_TO_REFER = "DUTY_TO_REFER"
    CRS = "CRS"
    TASK = "TASK"
    RELEASE_CHECKLIST = "RELEASE_CHECKLIST"
    FOLLOW_UP_12_WEEKS = "FOLLOW_UP_12_WEEKS"


@dataclass(frozen=True)
class Deadline:
    """One row of the list: whose, what, when (UTC instant) and "due", "overdue" or "done"."""

    prison_number: str
    kind: DeadlineKind
    due: datetime
    status: str

    def as_json(self) -> dict[str, str]:
        """The JSON fields `resettle due` has always printed (due as an ISO UTC instant)."""
        return {"prison_number": self.prison_number, "kind": self.kind.value,
                "due": self.due.isoformat(), "status": self.status}


def due_list(ws: Workspace, on: datetime | None = None) -> list[Deadline]:
    """Every deadline as of the instant `on` (default now), by due time, prison number, kind.

    Plans due at 12 weeks were opened at unlock (planning.open_due_plans), so this only reads.
    """
    on = on or now_utc()
    rows = [Deadline(i.prison_number, DeadlineKind(i.kind), i.due, i.status)
            for i in induction.due_items(ws, on)]
    day = to_london(on).date()
    day_items = planning.due_items(ws, day) + release_day.due_items(ws, day)
    rows += [Deadline(number, DeadlineKind(kind), london_to_utc(due, END_OF_DAY), status)
             for number, kind, due, status in day_items]
    rows.sort(key=lambda r: (r.due, r.prison_number, r.kind.value))
    return rows
