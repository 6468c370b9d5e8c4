"""BCST1 and BCST2 deadlines, for remanded and sentenced women alike.

- BCST1 is due 48 clock hours after reception.
- BCST2 is due at the end (23:59 prison time) of the 5th working day after BCST1 was completed,
  or, while BCST1 is still outstanding, after the BCST1 deadline.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import NamedTuple

from app.domain.codes import ScreeningKind
from app.domain.timezone import london_to_utc, to_london
from app.domain.working_days import WorkingCalendar

BCST1_HOURS = 48
BCST2_WORKING_DAYS = 5
END_OF_DAY = time(23, 59, 59)


class DeadlineStatus(StrEnum):
    DUE = "due"
    OVERDUE = "overdue"
    DONE = "done"


class Deadline(NamedTuple):
    """A tuple, not a dataclass: the induction queue makes 10,000 of these per refresh."""

    kind: ScreeningKind
    due: datetime  # aware, UTC
    completed_at: datetime | None

    def status(self, now: datetime) -> DeadlineStatus:
        if self.completed_at is not None:
            return DeadlineStatus.DONE
        return DeadlineStatus.OVERDUE if now > self.due else DeadlineStatus.DUE

    def remaining(self, now: datetime) -> timedelta:
        return self.due - now


def bcst1_due(reception_at: datetime) -> datetime:
    return reception_at + timedelta(hours=BCST1_HOURS)


def bcst2_due(reception_at: datetime, bcst1_completed_at: datetime | None,
              calendar: WorkingCalendar) -> datetime:
    start = bcst1_completed_at or bcst1_due(reception_at)
    day = calendar.add_working_days(to_london(start).date(), BCST2_WORKING_DAYS)
    return london_to_utc(day, END_OF_DAY)


def deadlines(reception_at: datetime, bcst1_completed_at: datetime | None,
              bcst2_completed_at: datetime | None, calendar: WorkingCalendar
              ) -> tuple[Deadline, Deadline]:
    return (
        Deadline(ScreeningKind.BCST1, bcst1_due(reception_at), bcst1_completed_at),
        Deadline(ScreeningKind.BCST2, bcst2_due(reception_at, bcst1_completed_at, calendar),
                 bcst2_completed_at),
    )


def countdown(delta: timedelta, compact: bool = False) -> str:
    """'1 day 4 h left' or '3 h 20 min overdue': words, so colour is never the only signal.

    `compact` gives 'Overdue 1d 4h' / 'Due in 3h 20m' for narrow table columns.
    """
    overdue = delta < timedelta(0)
    seconds = int(abs(delta).total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if compact:
        text = f"{days}d {hours}h" if days else f"{hours}h {minutes}m" if hours else f"{minutes}m"
        return f"Overdue {text}" if overdue else f"Due in {text}"
    if days:
        text = f"{days} day{'s' * (days != 1)} {hours} h"
    elif hours:
        text = f"{hours} h {minutes} min"
    else:
        text = f"{minutes} min"
    return f"{text} overdue" if overdue else f"{text} left"


class DeadlineCalculator:
    """`deadlines` for a whole prison at once: BCST2 due dates are remembered per start day,
    since hundreds of women share the same few days."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar
        self._bcst2_by_day: dict[object, datetime] = {}

    def __call__(self, reception_at: datetime, bcst1_completed_at: datetime | None,
                 bcst2_completed_at: datetime | None) -> tuple[Deadline, Deadline]:
        first_due = reception_at + timedelta(hours=BCST1_HOURS)
        start_day = to_london(bcst1_completed_at or first_due).date()
        second_due = self._bcst2_by_day.get(start_day)
        if second_due is None:
            day = self.calendar.add_working_days(start_day, BCST2_WORKING_DAYS)
            second_due = self._bcst2_by_day[start_day] = london_to_utc(day, END_OF_DAY)
        return (Deadline(ScreeningKind.BCST1, first_due, bcst1_completed_at),
                Deadline(ScreeningKind.BCST2, second_due, bcst2_completed_at))
