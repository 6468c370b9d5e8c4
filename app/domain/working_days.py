"""Working days: Monday to Friday, minus England and Wales bank holidays and team closures.

Bank holidays come from the `holidays` package (offline data, substitute days included);
closure days are the team's own (an office move, a lockdown) and are passed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache

import holidays


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    # Wales shares England's bank holidays; "ENG" is the subdivision the package uses for both.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]))


def bank_holiday_name(day: date) -> str | None:
    return holidays.country_holidays("GB", subdiv="ENG", years=[day.year]).get(day)


class WorkingCalendar:
    def __init__(self, closures: Iterable[date] = ()) -> None:
        self.closures = frozenset(closures)
        # Deadlines for a whole prison repeat the same few start dates: remember each answer.
        self._added: dict[tuple[date, int], date] = {}

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() < 5
            and day not in _bank_holidays(day.year)
            and day not in self.closures
        )

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`-th working day after `start` (start itself never counts)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        known = self._added.get((start, count))
        if known is not None:
            return known
        day = start
        found = 0
        while found < count:
            day += timedelta(days=1)
            if self.is_working_day(day):
                found += 1
        self._added[(start, count)] = day
        return day
