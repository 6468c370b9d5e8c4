"""Release windows and the caseload filter: what the team looks at every morning.

Windows overlap on purpose ("this week" is also "within 12 weeks"): each answers its own
question. Counts ignore the window filter but respect the text and custody filters, so the
buttons always tell how many women each window would show.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import StrEnum


class ReleaseWindow(StrEnum):
    OVERDUE = "overdue"
    THIS_WEEK = "this_week"
    NEXT_WEEK = "next_week"
    WITHIN_12_WEEKS = "within_12_weeks"
    WITHIN_24_WEEKS = "within_24_weeks"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return WINDOW_LABELS[self]


WINDOW_LABELS = {
    ReleaseWindow.OVERDUE: "Overdue",
    ReleaseWindow.THIS_WEEK: "This week",
    ReleaseWindow.NEXT_WEEK: "Next week",
    ReleaseWindow.WITHIN_12_WEEKS: "Within 12 weeks",
    ReleaseWindow.WITHIN_24_WEEKS: "Within 24 weeks",
    ReleaseWindow.UNKNOWN: "Date unknown",
}


def windows_for(release: date | None, today: date) -> frozenset[ReleaseWindow]:
    if release is None:
        return frozenset({ReleaseWindow.UNKNOWN})
    if release < today:
        return frozenset({ReleaseWindow.OVERDUE})
    found = set()
    end_of_week = today + timedelta(days=6 - today.weekday())
    if release <= end_of_week:
        found.add(ReleaseWindow.THIS_WEEK)
    elif release <= end_of_week + timedelta(days=7):
        found.add(ReleaseWindow.NEXT_WEEK)
    if release <= today + timedelta(weeks=12):
        found.add(ReleaseWindow.WITHIN_12_WEEKS)
    if release <= today + timedelta(weeks=24):
        found.add(ReleaseWindow.WITHIN_24_WEEKS)
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    id: int
    prison_number: str
    family_name: str
    given_names: str
    date_of_birth: date
    nationality: str
    custody_status: str
    release_date: date | None
    release_time: time | None
    home_local_authority: str
    search_key: str
    windows: frozenset[ReleaseWindow]


def search_key(prison_number: str, family: str, given: str, aliases: str) -> str:
    return " ".join((prison_number, family, given, aliases)).casefold()


@dataclass(frozen=True)
class CaseloadFilter:
    text: str = ""
    custody_status: str | None = None
    window: ReleaseWindow | None = None

    def _matches_text_and_custody(self, row: CaseloadRow, needles: Sequence[str]) -> bool:
        if self.custody_status and row.custody_status != self.custody_status:
            return False
        return all(n in row.search_key for n in needles)

    def needles(self) -> list[str]:
        return self.text.casefold().split()

    def apply(self, rows: Iterable[CaseloadRow]) -> list[CaseloadRow]:
        needles = self.needles()
        return [
            r
            for r in rows
            if self._matches_text_and_custody(r, needles)
            and (self.window is None or self.window in r.windows)
        ]

    def window_counts(self, rows: Iterable[CaseloadRow]) -> dict[ReleaseWindow, int]:
        counts = dict.fromkeys(ReleaseWindow, 0)
        needles = self.needles()
        for row in rows:
            if self._matches_text_and_custody(row, needles):
                for window in row.windows:
                    counts[window] += 1
        return counts
